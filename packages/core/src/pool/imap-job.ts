/**
 * `imap` and `imapUnordered`: a lazy async iterator over results. It pulls
 * the input (sync or async iterable) a chunk at a time and keeps at most
 * `buffersize` chunks submitted-but-unconsumed, so an infinite source works
 * and a slow consumer holds back the producer (SEMANTICS I10).
 *
 * Ordered mode yields by input position; unordered by completion. A task's
 * own error is thrown at its position and iteration can go on (I07); an input
 * error is thrown after the results of the chunks before it (I05); a chunk
 * that fails as a whole (dead worker, timeout, termination) throws once.
 */
import { PoolClosedError, TimeoutError } from '../errors.js';
import type { TaskKind } from '../protocol/messages.js';
import { clearLongTimeout, setLongTimeout, type LongTimeout } from '../util/long-timer.js';
import { now } from '../util/now.js';
import { checkOptions, checkTimeout, TIMEOUT_OPTION_KEYS } from '../util/validate.js';
import type { WaitOptions } from './async-result.js';
import { ChunkSizer } from './chunk-sizer.js';
import type { ProgressCallback } from './map-job.js';
import type { TaskOptions } from './pool-options.js';
import type { Scheduler } from './scheduler.js';
import type { DecodedChunk, Task, TaskSink } from './task.js';

/**
 * The iterator `imap`/`imapUnordered` return. `next({ timeout })` rejects with `TimeoutError` and loses nothing.
 *
 * @example
 * ```ts
 * const it = pool.imap('square', [1, 2, 3]);
 * const first = await it.next({ timeout: 1_000 });   // { value: 1, done: false }
 * for await (const v of it) console.log(v);       // 4, 9
 * ```
 */
export interface ImapIterator<R> extends AsyncIterableIterator<R, undefined> {
  next(options?: WaitOptions): Promise<IteratorResult<R, undefined>>;
}

interface ChunkRecord {
  readonly values: ArrayLike<unknown>;
  readonly errors: Record<number, unknown> | undefined;
  /** Set when the whole chunk failed: one error in place of its items. */
  readonly failure: { error: unknown } | undefined;
  /** Items the chunk was sent with: one result each, whatever the worker answered. */
  readonly size: number;
  pos: number;
}

interface Waiter {
  resolve(r: IteratorResult<unknown, undefined>): void;
  reject(e: unknown): void;
  timer: LongTimeout | undefined;
}

const DONE_RESULT: IteratorResult<never, undefined> = Object.freeze({ done: true, value: undefined });

export class ImapJob<R> implements TaskSink, ImapIterator<R> {
  readonly #s: Scheduler;
  readonly #name: string;
  readonly #kind: TaskKind;
  readonly #sync: Iterator<unknown> | undefined;
  readonly #async: AsyncIterator<unknown> | undefined;
  /** The chunksize given, or undefined: then {@link ChunkSizer} sizes each chunk. */
  readonly #chunksize: number | undefined;
  readonly #sizer: ChunkSizer | undefined;
  readonly #speeds: Map<string, number> | undefined;
  readonly #buffersize: number;
  readonly #ordered: boolean;
  readonly #options: TaskOptions;
  readonly #onProgress: ProgressCallback | undefined;
  readonly #byIndex = new Map<number, ChunkRecord>();
  readonly #arrived: ChunkRecord[] = [];
  #waiters: Waiter[] = [];
  /** Chunks submitted and not yet settled (at most `buffersize`), so `return()` can drop queued ones. */
  readonly #pending = new Set<Task>();
  #submitted = 0;
  #consumedChunks = 0;
  #doneItems = 0;
  #pulledItems = 0;
  #sourceDone = false;
  #sourceError: { error: unknown } | undefined;
  #pulling = false;
  #finished = false;
  #jobOpen = true;
  #waking = false;

  constructor(
    scheduler: Scheduler,
    name: string,
    kind: TaskKind,
    source: Iterable<unknown> | AsyncIterable<unknown>,
    chunksize: number | undefined,
    buffersize: number,
    ordered: boolean,
    options: TaskOptions,
    onProgress: ProgressCallback | undefined,
    speeds?: Map<string, number>,
  ) {
    this.#s = scheduler;
    this.#name = name;
    this.#kind = kind;
    if (typeof (source as AsyncIterable<unknown>)[Symbol.asyncIterator] === 'function') {
      this.#async = (source as AsyncIterable<unknown>)[Symbol.asyncIterator]();
    } else {
      this.#sync = (source as Iterable<unknown>)[Symbol.iterator]();
    }
    // An async source may yield slowly: a bigger chunk would wait for its items, so it keeps 1.
    this.#chunksize = chunksize ?? (this.#async !== undefined ? 1 : undefined);
    if (this.#chunksize === undefined) {
      this.#sizer = new ChunkSizer(Number.POSITIVE_INFINITY, scheduler.processes, now(), speeds?.get(name), true);
      this.#speeds = speeds;
    }
    this.#buffersize = buffersize;
    this.#ordered = ordered;
    this.#options = options;
    this.#onProgress = onProgress;
    scheduler.openJob();
    void this.#fill();
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  next(options?: WaitOptions): Promise<IteratorResult<R, undefined>> {
    const timeout = checkTimeout(checkOptions(options, 'next options', TIMEOUT_OPTION_KEYS).timeout, 'next options.timeout');
    if (this.#waiters.length === 0) {
      const now = this.#take();
      if (now !== undefined) return now as Promise<IteratorResult<R, undefined>>;
    }
    return new Promise<IteratorResult<R, undefined>>((resolve, reject) => {
      const w: Waiter = { resolve: resolve as Waiter['resolve'], reject, timer: undefined };
      if (timeout !== undefined) {
        w.timer = setLongTimeout(() => {
          this.#waiters = this.#waiters.filter((x) => x !== w);
          reject(new TimeoutError(`The next result was not ready within ${timeout} ms`));
        }, timeout);
      }
      this.#waiters.push(w);
    });
  }

  /** Stops early (`break` in `for await`): no more input is pulled; results still running are discarded. */
  return(): Promise<IteratorResult<R, undefined>> {
    this.#finished = true;
    this.#sourceDone = true;
    this.#closeJob();
    for (const w of this.#waiters.splice(0)) {
      clearLongTimeout(w.timer);
      w.resolve(DONE_RESULT);
    }
    for (const task of this.#pending) this.#s.drop(task);
    this.#pending.clear();
    void this.#async?.return?.();
    this.#sync?.return?.();
    return Promise.resolve(DONE_RESULT);
  }

  /**
   * Takes no more input (an executor shut down): the chunks submitted still run,
   * and `error` is thrown where the input was cut, after their results. Nothing
   * when the input was all taken already.
   */
  stopInput(error: unknown): void {
    if (this.#sourceDone) return;
    this.#sourceDone = true;
    this.#sourceError = { error };
    this.#closeJob();
    this.#wake();
  }

  // --- TaskSink ---

  taskDone(task: Task, value: unknown): void {
    this.#pending.delete(task);
    if (this.#sizer !== undefined) this.#measured(task.args.length, task.submittedAt);
    const { values, errors } = value as DecodedChunk;
    // Counted by what was sent, as map does: a worker that answers with a short list loses no item.
    const size = task.args.length;
    this.#arrive(task.index, { values, errors, failure: undefined, size, pos: 0 }, size);
  }

  taskFailed(task: Task, error: unknown): void {
    this.#pending.delete(task);
    if (this.#sizer !== undefined) this.#measured(task.args.length, task.submittedAt);
    this.#arrive(task.index, { values: [], errors: undefined, failure: { error }, size: task.args.length, pos: 0 }, task.args.length);
  }

  #arrive(index: number, record: ChunkRecord, items: number): void {
    if (this.#finished) return;
    if (this.#ordered) this.#byIndex.set(index, record);
    else this.#arrived.push(record);
    this.#doneItems += items;
    if (this.#onProgress !== undefined) {
      try {
        this.#onProgress(this.#doneItems, this.#sourceDone ? this.#pulledItems : undefined);
      } catch (err) {
        console.error('multiproc: onProgress threw; the iteration goes on.', err);
      }
    }
    this.#wake();
  }

  // --- internals ---

  /** The next outcome if one is available now, as a settled promise. */
  #take(): Promise<IteratorResult<unknown, undefined>> | undefined {
    if (this.#finished) return Promise.resolve(DONE_RESULT);
    const chunk = this.#ordered ? this.#byIndex.get(this.#consumedChunks) : this.#arrived[0];
    if (chunk === undefined) {
      if (this.#consumedChunks < this.#submitted || !this.#sourceDone) return undefined;
      if (this.#sourceError !== undefined) {
        const { error } = this.#sourceError;
        this.#sourceError = undefined;
        return Promise.reject(error);
      }
      this.#finished = true;
      return Promise.resolve(DONE_RESULT);
    }
    let out: Promise<IteratorResult<unknown, undefined>>;
    let last: boolean;
    if (chunk.failure !== undefined) {
      out = Promise.reject(chunk.failure.error);
      last = true;
    } else {
      const i = chunk.pos++;
      const err = chunk.errors?.[i];
      out = err !== undefined || (chunk.errors !== undefined && i in chunk.errors) ? Promise.reject(err) : Promise.resolve({ done: false, value: chunk.values[i] });
      last = chunk.pos >= chunk.size;
    }
    if (last) {
      if (this.#ordered) this.#byIndex.delete(this.#consumedChunks);
      else this.#arrived.shift();
      this.#consumedChunks++;
      void this.#fill();
    }
    return out;
  }

  #wake(): void {
    // #take can pull more input, which can land here again; one loop hands out outcomes.
    if (this.#waking) return;
    this.#waking = true;
    try {
      while (this.#waiters.length > 0) {
        const r = this.#take();
        if (r === undefined) return;
        const w = this.#waiters.shift() as Waiter;
        clearLongTimeout(w.timer);
        r.then(w.resolve, w.reject);
      }
    } finally {
      this.#waking = false;
    }
  }

  async #fill(): Promise<void> {
    if (this.#pulling || this.#sourceDone) return;
    this.#pulling = true;
    try {
      while (!this.#sourceDone && this.#submitted - this.#consumedChunks < this.#buffersize) {
        const broken = this.#s.broken;
        if (broken !== undefined || this.#s.state === 'terminated') {
          this.#sourceError = { error: broken ?? new PoolClosedError('The pool was terminated before the task finished') };
          this.#sourceDone = true;
          break;
        }
        const items: unknown[] = [];
        const size = this.#chunksize ?? (this.#sizer as ChunkSizer).next(Number.POSITIVE_INFINITY);
        while (items.length < size) {
          const r = this.#sync !== undefined ? this.#sync.next() : await (this.#async as AsyncIterator<unknown>).next();
          if (r.done === true) {
            this.#sourceDone = true;
            break;
          }
          items.push(r.value);
        }
        // Finished meanwhile, or cut by stopInput (whose error stands where these items were).
        if (this.#finished || this.#sourceError !== undefined) return;
        if (items.length > 0) {
          this.#pulledItems += items.length;
          const task = this.#s.createTask(this.#name, this.#kind, items, this, this.#submitted++, this.#options);
          this.#pending.add(task);
          this.#s.submit(task);
        }
      }
    } catch (err) {
      // The partial chunk is dropped: the error surfaces at chunk granularity (SEMANTICS I05).
      this.#sourceError = { error: err };
      this.#sourceDone = true;
    } finally {
      this.#pulling = false;
      if (this.#sourceDone) this.#closeJob();
      this.#wake();
    }
  }

  /** A chunk finished: the sizer learns from it, and the pool remembers the speed for the next imap or map of this task. */
  #measured(items: number, sentAt: number): void {
    const sizer = this.#sizer as ChunkSizer;
    sizer.record(items, now(), sentAt);
    const speed = sizer.perWorker();
    if (speed !== undefined && Number.isFinite(speed)) this.#speeds?.set(this.#name, speed);
  }

  #closeJob(): void {
    if (!this.#jobOpen) return;
    this.#jobOpen = false;
    this.#s.closeJob();
  }
}
