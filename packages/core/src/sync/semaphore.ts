/**
 * `Semaphore` and `BoundedSemaphore`: Python's counting semaphores
 * (SEMANTICS S01–S07). A plain one can be released above its initial value; a
 * bounded one throws `RangeError` past it (DESIGN.md) and keeps its value.
 *
 * State (4 bytes): [0] the value, which waiters wait on while it is 0.
 */
import { futexNotify } from './shared-memory/futex.js';
import { waitUntil, waitUntilSync, type WaitStep } from './shared-memory/wait-loop.js';
import { fromWireTimeout, timeoutOf, wireTimeout, type WaitOptions, type WireTimeout } from './options.js';
import { checkBlocking, initialHandle, type OpName, Primitive, unknownOp } from './primitive.js';
import { defineKind } from './transport/kinds.js';
import { show } from '../util/validate.js';

interface SemaphoreExtra {
  /** The bound, or -1 for a plain semaphore. */
  readonly max: number;
}

/** The largest value: the count lives in one Int32 word, and a larger one would wrap negative. */
const MAX_VALUE = 2 ** 31 - 1;

function checkValue(value: unknown, what: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value)) throw new TypeError(`${what} must be an integer, got ${show(value)}`);
  if (value < 0) throw new RangeError(`${what} must be >= 0, got ${value}`);
  if (value > MAX_VALUE) throw new RangeError(`${what} must be at most ${MAX_VALUE}, got ${value}`);
  return value + 0;
}

const KIND = defineKind('semaphore', { revive: () => new Semaphore(), create: (args) => [new Semaphore(args[0] as number)] });
const BOUNDED = defineKind('bounded-semaphore', {
  revive: () => new BoundedSemaphore(),
  create: (args) => [new BoundedSemaphore(args[0] as number)],
});

/** Semaphore's brokered operations (see `OpTable` in primitive.ts): name: [arguments, result]. */
export type SemaphoreOps = {
  acquire: [[timeout: WireTimeout], boolean];
  release: [[n: number], undefined];
};


/**
 * A counter of permits shared by every agent it is passed to.
 *
 * @example
 * ```ts
 * const slots = new Semaphore(3);               // at most 3 downloads at once
 * await pool.map('download', urls.map((u) => [slots, u]));
 * // in the task: await slots.acquire(); try { ... } finally { slots.release(); }
 * ```
 */
export class Semaphore extends Primitive<SemaphoreOps> {
  readonly #i32: Int32Array | undefined;
  readonly #max: number;

  constructor(value = 1) {
    const initial = checkValue(value, 'Semaphore value');
    const bounded = new.target === BoundedSemaphore;
    const h = initialHandle(bounded ? BOUNDED : KIND, 4, [value], { max: bounded ? initial : -1 }, (s) => {
      new Int32Array(s)[0] = initial;
    });
    super(h);
    this.#max = (h.x as SemaphoreExtra).max;
    this.#i32 = h.s === undefined ? undefined : new Int32Array(h.s);
  }

  /**
   * Takes one permit, waiting up to `timeout` ms; `false` on timeout.
   *
   * @example
   * ```ts
   * if (await sem.acquire({ timeout: 0 })) sem.release();
   * ```
   */
  acquire(options?: WaitOptions): Promise<boolean> {
    const timeout = timeoutOf(options, 'acquire');
    if (this.#i32 === undefined) return this._request('acquire', [wireTimeout(timeout)]);
    return this.#acquire(timeout, undefined);
  }

  /**
   * `acquire` blocking the thread (workers with shared memory only).
   *
   * @example
   * ```ts
   * sem.acquireSync(); try { ... } finally { sem.release(); }
   * ```
   */
  acquireSync(options?: WaitOptions): boolean {
    const timeout = timeoutOf(options, 'acquireSync');
    checkBlocking(this, 'acquireSync()', 'await semaphore.acquire()');
    return waitUntilSync(TAKE, this.#i32 as Int32Array, 0, timeout);
  }

  /**
   * Takes a permit if one is free, without waiting.
   *
   * @example
   * ```ts
   * if (sem.tryAcquire()) { ... sem.release(); }
   * ```
   */
  tryAcquire(): boolean {
    if (this.#i32 === undefined) this._needsShared('tryAcquire()', 'await semaphore.acquire({ timeout: 0 })');
    return take(this.#i32);
  }

  /**
   * Returns `n` permits, waking as many waiters. A `BoundedSemaphore` throws
   * `RangeError` past its initial value.
   *
   * @example
   * ```ts
   * sem.release();
   * ```
   */
  release(n = 1): void {
    if (typeof n !== 'number' || !Number.isInteger(n) || n < 1 || n > MAX_VALUE) throw new RangeError(`release(n): n must be an integer from 1 to ${MAX_VALUE}, got ${show(n)}`);
    if (this.#i32 === undefined) {
      this._fire('release', [n]);
      return;
    }
    this.#release(n);
  }

  /**
   * The number of permits free now.
   *
   * @example
   * ```ts
   * console.log(sem.getValue());
   * ```
   */
  getValue(): number {
    if (this.#i32 === undefined) this._needsShared('getValue()', 'await semaphore.acquire({ timeout: 0 }) to test for a permit');
    return Atomics.load(this.#i32, 0);
  }

  /** @internal */
  protected override _remoteExtra(): unknown {
    return { max: this.#max };
  }

  #acquire(timeout: number, signal: AbortSignal | undefined): Promise<boolean> {
    const i32 = this.#i32 as Int32Array;
    if (take(i32)) return TRUE;
    return waitUntil(TAKE, i32, 0, timeout, signal);
  }

  #release(n: number): void {
    const i32 = this.#i32 as Int32Array;
    // Compare-and-swap, not Atomics.add: a plain semaphore's count must not wrap past MAX_VALUE either.
    const max = this.#max < 0 ? MAX_VALUE : this.#max;
    for (;;) {
      const v = Atomics.load(i32, 0);
      if (v + n > max) {
        throw new RangeError(this.#max < 0 ? `Semaphore released past its largest value ${MAX_VALUE} (value ${v}, release(${n}))` : `BoundedSemaphore released too many times (value ${v}, bound ${this.#max})`);
      }
      if (Atomics.compareExchange(i32, 0, v, v + n) === v) break;
    }
    futexNotify(i32, 0, n);
  }

  /** @internal */
  protected _run(op: OpName<SemaphoreOps>, args: unknown[], _owner: number, signal: AbortSignal | undefined): unknown {
    switch (op) {
      case 'acquire':
        return this.#acquire(fromWireTimeout(args[0]), signal);
      case 'release':
        return this.#release(args[0] as number);
      default:
        return unknownOp('Semaphore', op);
    }
  }
}

function take(i32: Int32Array): boolean {
  for (;;) {
    const v = Atomics.load(i32, 0);
    if (v <= 0) return false;
    if (Atomics.compareExchange(i32, 0, v, v - 1) === v) return true;
  }
}

/** The wait of both forms of `acquire`: take a permit, else sleep while the value is 0. */
const TAKE: WaitStep = { attempt: take, sleepOn: 0 };

const TRUE: Promise<boolean> = Promise.resolve(true);

/**
 * A semaphore that refuses to be released above its initial value.
 *
 * @example
 * ```ts
 * const b = new BoundedSemaphore(2);
 * b.release();   // RangeError: released too many times
 * ```
 */
export class BoundedSemaphore extends Semaphore {
  constructor(value = 1) {
    super(value);
  }
}
