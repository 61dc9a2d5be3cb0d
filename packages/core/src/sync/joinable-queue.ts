/**
 * `JoinableQueue`: a `Queue` that counts unfinished items (SEMANTICS
 * Q17–Q19). The count rises on `put` and falls on `taskDone()`; `join()`
 * waits for it to reach zero, and never needs `close()` first.
 */
import { timeoutOf, wireTimeout, type WaitOptions } from './options.js';
import { checkBlocking } from './primitive.js';
import { defineKind } from './transport/kinds.js';
import { Queue } from './queue.js';
import type { QueueCore } from './shared-memory/queue-core.js';


const KIND = defineKind('joinable-queue', {
  revive: (x) => new JoinableQueue(x.maxsize as number),
  create: (args) => [new JoinableQueue(args[0] as number)],
});

/**
 * A queue whose producer can wait until every item has been processed.
 *
 * @example
 * ```ts
 * const jobs = new JoinableQueue<string>();
 * for (const f of files) await jobs.put(f);
 * pool.apply('drain', [jobs]);          // the task: for (;;) { const f = await jobs.get(); ...; jobs.taskDone(); }
 * await jobs.join();                    // every file processed
 * ```
 */
export class JoinableQueue<T = unknown> extends Queue<T> {
  /** @internal */
  static override readonly _kind: string = KIND;
  /** @internal */
  static override readonly _joinable: boolean = true;

  constructor(maxsize = 0) {
    super(maxsize);
  }

  /**
   * Marks one item taken with `get` as processed. Throws `StateError` when
   * called more times than items were put.
   *
   * @example
   * ```ts
   * const job = await jobs.get(); try { run(job); } finally { jobs.taskDone(); }
   * ```
   */
  taskDone(): void {
    if (this._core === undefined) {
      this._fire('taskDone', []);
      return;
    }
    this._core.taskDone();
  }

  /**
   * Waits until every item put so far has had its `taskDone()`, or `timeout`
   * ms; resolves `true` when they all have.
   *
   * @example
   * ```ts
   * await jobs.join();
   * ```
   */
  join(options?: WaitOptions): Promise<boolean> {
    try {
      const timeout = timeoutOf(options, 'join');
      if (this._core === undefined) return this._request('join', [wireTimeout(timeout)]);
      return this._core.join(timeout, undefined);
    } catch (err) {
      return Promise.reject(err);
    }
  }

  /**
   * `join` blocking the thread (workers with shared memory only).
   *
   * @example
   * ```ts
   * jobs.joinSync();
   * ```
   */
  joinSync(options?: WaitOptions): boolean {
    const timeout = timeoutOf(options, 'joinSync');
    checkBlocking(this, 'joinSync()', 'await queue.join()');
    return (this._core as QueueCore).joinSync(timeout);
  }
}
