/**
 * `Queue`: Python's `multiprocessing.Queue` (SEMANTICS Q01–Q14), shared by
 * the parent and every worker it is passed to. FIFO; `maxsize` 0 or less is
 * unbounded. A put is visible to every agent as soon as it returns (an
 * improvement Q07 allows). `close()` is per agent, as in Python: after it,
 * this agent's `put`/`get` throw `StateError`; others go on.
 *
 * Items are anything structured clone copies (see `shared-memory/codec.ts` for the exact
 * list), including other primitives. One that cannot cross fails the put at
 * once with `EncodingError`, taking no slot.
 */
import { QueueFullError, StateError } from '../errors.js';
import { show } from '../util/validate.js';
import { fromWireTimeout, timeoutOf, wireTimeout, type WaitOptions, type WireTimeout } from './options.js';
import { checkBlocking, initialHandle, type OpName, Primitive, unknownOp } from './primitive.js';
import { defineKind } from './transport/kinds.js';
import { QueueCore } from './shared-memory/queue-core.js';
import { allocRing } from './shared-memory/ring.js';

/**
 * Options of `put`.
 *
 * @example
 * ```ts
 * await q.put(item, { timeout: 1_000 });   // QueueFullError if no room within a second
 * ```
 */
export type PutOptions = WaitOptions;


const KIND = defineKind('queue', { revive: (x) => new Queue(x.maxsize as number), create: (args) => [new Queue(args[0] as number)] });

/** Queue's and JoinableQueue's brokered operations (see `OpTable` in primitive.ts): name: [arguments, result]. */
export type QueueOps<T> = {
  put: [[item: T, timeout: WireTimeout], undefined];
  get: [[timeout: WireTimeout], T];
  taskDone: [[], undefined];
  join: [[timeout: WireTimeout], boolean];
};

/**
 * A FIFO queue shared by every agent it is passed to.
 *
 * @example
 * ```ts
 * const q = new Queue<number>(100);
 * const done = pool.apply('produce', [q, 1_000]);      // the task awaits q.put(i)
 * for (let i = 0; i < 1_000; i++) console.log(await q.get());
 * await done;
 * ```
 */
export class Queue<T = unknown> extends Primitive<QueueOps<T>> {
  /** @internal the kind a subclass revives as. */
  static readonly _kind: string = KIND;
  /** @internal whether the ring counts unfinished items (a JoinableQueue). */
  static readonly _joinable: boolean = false;
  /** @internal */
  protected readonly _core: QueueCore | undefined;
  readonly #maxsize: number;
  #closed = false;

  constructor(maxsize = 0) {
    if (typeof maxsize !== 'number' || !Number.isInteger(maxsize)) throw new TypeError(`maxsize must be an integer, got ${show(maxsize)}`);
    const kind = (new.target as typeof Queue)._kind;
    const h = initialHandle(kind, allocRing, [maxsize], { maxsize });
    super(h);
    this.#maxsize = (h.x as { maxsize: number }).maxsize;
    this._core = h.s === undefined ? undefined : new QueueCore(h.s, this.#maxsize, (new.target as typeof Queue)._joinable, (new.target as typeof Queue).name);
  }

  /** The bound given at construction (0 or less: unbounded). */
  get maxsize(): number {
    return this.#maxsize;
  }

  /**
   * Appends `item`, waiting up to `timeout` ms for room in a bounded queue;
   * rejects with `QueueFullError` if there is none in time, and with
   * `EncodingError` at once if the item cannot cross.
   *
   * @example
   * ```ts
   * await q.put({ id: 1 }, { timeout: 1_000 });
   * ```
   */
  put(item: T, options?: PutOptions): Promise<void> {
    try {
      const timeout = timeoutOf(options, 'put');
      this.#open();
      if (this._core === undefined) return this._request('put', [item, wireTimeout(timeout)]);
      return this._core.put(item, timeout, undefined);
    } catch (err) {
      return Promise.reject(err);
    }
  }

  /**
   * Appends now or throws `QueueFullError`.
   *
   * @example
   * ```ts
   * try { q.putNowait(x); } catch (e) { if (e instanceof QueueFullError) drop(x); }
   * ```
   */
  putNowait(item: T): void {
    this.#open();
    if (this._core === undefined) this._needsShared('putNowait()', 'await queue.put(item, { timeout: 0 })');
    const core = this._core;
    const r = core.tryPush(core.encode(item));
    if (r !== true) throw new QueueFullError(r === false ? `${this.constructor.name} is full` : `${this.constructor.name} is busy: another agent is inside it; await put() waits for it`);
  }

  /**
   * `put` blocking the thread (workers with shared memory only).
   *
   * @example
   * ```ts
   * q.putSync(result);
   * ```
   */
  putSync(item: T, options?: PutOptions): void {
    const timeout = timeoutOf(options, 'putSync');
    this.#open();
    checkBlocking(this, 'putSync()', 'await queue.put(item)');
    (this._core as QueueCore).putSync(item, timeout);
  }

  /**
   * Removes and resolves with the first item, waiting up to `timeout` ms;
   * rejects with `QueueEmptyError` if none comes in time.
   *
   * @example
   * ```ts
   * const job = await q.get({ timeout: 5_000 });
   * ```
   */
  get(options?: WaitOptions): Promise<T> {
    try {
      const timeout = timeoutOf(options, 'get');
      this.#open();
      if (this._core === undefined) return this._request('get', [wireTimeout(timeout)]);
      return this._core.get(timeout, undefined) as Promise<T>;
    } catch (err) {
      return Promise.reject(err);
    }
  }

  /**
   * Removes the first item now or throws `QueueEmptyError`.
   *
   * @example
   * ```ts
   * const next = q.empty() ? undefined : q.getNowait();
   * ```
   */
  getNowait(): T {
    this.#open();
    if (this._core === undefined) this._needsShared('getNowait()', 'await queue.get({ timeout: 0 })');
    return this._core.getNowait() as T;
  }

  /**
   * `get` blocking the thread (workers with shared memory only).
   *
   * @example
   * ```ts
   * for (;;) { const job = q.getSync(); if (job === null) break; run(job); }
   * ```
   */
  getSync(options?: WaitOptions): T {
    const timeout = timeoutOf(options, 'getSync');
    this.#open();
    checkBlocking(this, 'getSync()', 'await queue.get()');
    return (this._core as QueueCore).getSync(timeout) as T;
  }

  /** The number of items now (exact at the moment it is read). */
  qsize(): number {
    if (this._core === undefined) this._needsShared('qsize()', 'your own count');
    return this._core.qsize();
  }

  /** Whether the queue holds no item now. */
  empty(): boolean {
    if (this._core === undefined) this._needsShared('empty()', 'await queue.get({ timeout: 0 }) and catch QueueEmptyError');
    return this._core.qsize() === 0;
  }

  /** Whether a bounded queue is at its `maxsize` now. */
  full(): boolean {
    if (this._core === undefined) this._needsShared('full()', 'await queue.put(item, { timeout: 0 }) and catch QueueFullError');
    return this._core.full();
  }

  /**
   * No more puts or gets from this agent (others go on). Idempotent.
   *
   * @example
   * ```ts
   * q.close();
   * ```
   */
  close(): void {
    this.#closed = true;
  }

  /** @internal */
  protected override _remoteExtra(): unknown {
    return { maxsize: this.#maxsize };
  }

  #open(): void {
    if (this.#closed) throw new StateError(`${this.constructor.name} is closed`);
  }

  /** @internal */
  protected _run(op: OpName<QueueOps<T>>, args: unknown[], _owner: number, signal: AbortSignal | undefined): unknown {
    const core = this._core as QueueCore;
    switch (op) {
      case 'put':
        return core.put(args[0], fromWireTimeout(args[1]), signal);
      case 'get':
        return core.get(fromWireTimeout(args[0]), signal);
      case 'taskDone':
        return core.taskDone();
      case 'join':
        return core.join(fromWireTimeout(args[0]), signal);
      default:
        return unknownOp(this.constructor.name, op);
    }
  }
}
