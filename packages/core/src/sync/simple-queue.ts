/**
 * `SimpleQueue`: Python's `multiprocessing.SimpleQueue` (SEMANTICS Q15,
 * Q16): unbounded, `put`, a `get` that waits as long as it takes, `empty`,
 * `close`. `put` never waits, so it is synchronous (in a worker without
 * shared memory it travels ahead of the task's result). After `close()`,
 * this agent's `put`, `get` and `empty` throw `StateError`.
 */
import { StateError } from '../errors.js';
import { checkBlocking, initialHandle, type OpName, Primitive, unknownOp } from './primitive.js';
import { defineKind } from './transport/kinds.js';
import { QueueCore } from './shared-memory/queue-core.js';
import { allocRing } from './shared-memory/ring.js';

const KIND = defineKind('simple-queue', { revive: () => new SimpleQueue(), create: () => [new SimpleQueue()] });

/** SimpleQueue's brokered operations (see `OpTable` in primitive.ts): name: [arguments, result]. */
export type SimpleQueueOps<T> = {
  put: [[item: T], undefined];
  get: [[], T];
};


/**
 * The simplest shared FIFO.
 *
 * @example
 * ```ts
 * const results = new SimpleQueue<string>();
 * pool.apply('report', [results]);      // the task: results.put('done')
 * console.log(await results.get());
 * ```
 */
export class SimpleQueue<T = unknown> extends Primitive<SimpleQueueOps<T>> {
  readonly #core: QueueCore | undefined;
  #closed = false;

  constructor() {
    const h = initialHandle(KIND, allocRing, []);
    super(h);
    this.#core = h.s === undefined ? undefined : new QueueCore(h.s, 0, false, 'SimpleQueue');
  }

  /**
   * Appends `item`; throws `EncodingError` at once if it cannot cross.
   *
   * @example
   * ```ts
   * q.put({ step: 3 });
   * ```
   */
  put(item: T): void {
    this.#open();
    if (this.#core === undefined) {
      this._fire('put', [item]);
      return;
    }
    if (!this.#core.pushNow(this.#core.encode(item))) throw new StateError('SimpleQueue is out of room (this runtime cannot grow shared buffers)');
  }

  /**
   * Removes and resolves with the first item, waiting for one.
   *
   * @example
   * ```ts
   * const msg = await q.get();
   * ```
   */
  get(): Promise<T> {
    try {
      this.#open();
      if (this.#core === undefined) return this._request('get', []);
      return this.#core.get(Infinity, undefined) as Promise<T>;
    } catch (err) {
      return Promise.reject(err);
    }
  }

  /**
   * `get` blocking the thread (workers with shared memory only).
   *
   * @example
   * ```ts
   * const msg = q.getSync();
   * ```
   */
  getSync(): T {
    this.#open();
    checkBlocking(this, 'getSync()', 'await queue.get()');
    return (this.#core as QueueCore).getSync(Infinity) as T;
  }

  /** Whether the queue holds no item now. */
  empty(): boolean {
    this.#open();
    if (this.#core === undefined) this._needsShared('empty()', 'await queue.get()');
    return this.#core.qsize() === 0;
  }

  /** No more use from this agent; `put`, `get` and `empty` then throw `StateError`. Idempotent. */
  close(): void {
    this.#closed = true;
  }

  #open(): void {
    if (this.#closed) throw new StateError('SimpleQueue is closed');
  }

  /** @internal */
  protected _run(op: OpName<SimpleQueueOps<T>>, args: unknown[], _owner: number, signal: AbortSignal | undefined): unknown {
    const core = this.#core as QueueCore;
    switch (op) {
      case 'put':
        if (!core.pushNow(core.encode(args[0]))) throw new StateError('SimpleQueue is out of room');
        return undefined;
      case 'get':
        return core.get(Infinity, signal);
      default:
        return unknownOp('SimpleQueue', op);
    }
  }
}
