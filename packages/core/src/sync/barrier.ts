/**
 * `Barrier`: Python's `multiprocessing.Barrier` (a clone of
 * `threading.Barrier`, SEMANTICS B01–B11) without `action`, which cannot
 * cross agents. `wait()` resolves with this party's arrival index, 0 for the
 * first; the last to arrive releases the round.
 *
 * Broken: `abort()`, or a `wait` that times out, breaks the barrier for
 * everyone now waiting and every later `wait` (`BrokenBarrierError`) until
 * `reset()`. `reset()` breaks only the current round's waiters and leaves
 * the barrier usable.
 *
 * State (24 bytes): [0] internal lock, [1] arrivals this round, [2] round
 * number (waiters sleep on it), [3] broken flag, [4] a bit per round (mod 32)
 * saying whether it ended broken.
 */
import { BrokenBarrierError } from '../errors.js';
import { show } from '../util/validate.js';
import { deadlineAfter, futexNotify, futexWait, futexWaitSync, timeLeft } from './futex.js';
import { internalLock, internalUnlock } from './mutex.js';
import { fromWireTimeout, timeoutOf, wireTimeout, type WaitOptions } from './options.js';
import { checkBlocking, initialHandle, Primitive, unknownOp } from './primitive.js';
import { checkOptions, checkTimeout } from '../util/validate.js';

const LOCK = 0;
const COUNT = 1;
const ROUND = 2;
const BROKEN = 3;
const OUTCOME = 4;

interface BarrierExtra {
  readonly parties: number;
  /** Default wait timeout in ms, or null. */
  readonly timeout: number | null;
}

/** Options of `new Barrier(parties, options)`. */
export interface BarrierOptions {
  /** The default `timeout` of `wait()`, in ms. */
  timeout?: number;
}

/**
 * A meeting point for `parties` agents.
 *
 * @example
 * ```ts
 * const barrier = new Barrier(3);
 * await pool.map('phaseWork', [0, 1, 2].map((i) => [barrier, i]));   // each task: await barrier.wait()
 * ```
 */
export class Barrier extends Primitive {
  readonly #i32: Int32Array | undefined;
  readonly #x: BarrierExtra;

  constructor(parties: number, options?: BarrierOptions) {
    if (typeof parties !== 'number' || !Number.isInteger(parties)) throw new TypeError(`Barrier parties must be a positive integer, got ${show(parties)}`);
    if (parties < 1) throw new RangeError(`Barrier parties must be a positive integer, got ${parties}`);
    const t = checkTimeout(checkOptions(options, 'Barrier options').timeout, 'Barrier options.timeout');
    const x: BarrierExtra = { parties, timeout: t ?? null };
    const h = initialHandle('barrier', 24, [parties, options], x);
    super(h);
    this.#x = (h.x as BarrierExtra | undefined) ?? x;
    this.#i32 = h.s === undefined ? undefined : new Int32Array(h.s);
  }

  /** How many parties must call `wait()` to pass. */
  get parties(): number {
    return this.#x.parties;
  }

  /** How many parties are waiting in the current round (0 when broken). */
  get nWaiting(): number {
    if (this.#i32 === undefined) this._needsShared('nWaiting', 'your own count');
    return Atomics.load(this.#i32, BROKEN) === 1 ? 0 : Atomics.load(this.#i32, COUNT);
  }

  /** Whether the barrier is broken (until `reset()`). */
  get broken(): boolean {
    if (this.#i32 === undefined) this._needsShared('broken', 'await barrier.wait() and catch BrokenBarrierError');
    return Atomics.load(this.#i32, BROKEN) === 1;
  }

  /**
   * Waits until `parties` agents are waiting; resolves with this party's
   * arrival index. Rejects with `BrokenBarrierError` if the barrier is or
   * becomes broken; a timeout breaks it.
   *
   * @example
   * ```ts
   * const i = await barrier.wait({ timeout: 5_000 });
   * if (i === 0) console.log('first to arrive');
   * ```
   */
  wait(options?: WaitOptions): Promise<number> {
    const timeout = this.#timeout(options, 'wait');
    if (this.#i32 === undefined) return this._request('wait', [wireTimeout(timeout)]) as Promise<number>;
    return this.#wait(timeout, undefined);
  }

  /**
   * `wait` blocking the thread (workers with shared memory only).
   *
   * @example
   * ```ts
   * barrier.waitSync();
   * ```
   */
  waitSync(options?: WaitOptions): number {
    const timeout = this.#timeout(options, 'waitSync');
    checkBlocking(this, 'waitSync()', 'await barrier.wait()');
    const i32 = this.#i32 as Int32Array;
    const [round, index] = this.#arrive();
    if (round < 0) return index;
    const deadline = deadlineAfter(timeout);
    while (Atomics.load(i32, ROUND) === round) {
      const left = timeLeft(deadline);
      if (left <= 0) return this.#timedOut(round, index);
      futexWaitSync(i32, ROUND, round, left);
    }
    return this.#outcome(round, index);
  }

  /**
   * Breaks the current round (its waiters get `BrokenBarrierError`) and makes
   * the barrier usable again, also after `abort()` or a timeout.
   *
   * @example
   * ```ts
   * barrier.reset();
   * ```
   */
  reset(): void {
    if (this.#i32 === undefined) {
      this._fire('reset', []);
      return;
    }
    this.#reset();
  }

  /**
   * Breaks the barrier: waiters now and later get `BrokenBarrierError` until `reset()`.
   *
   * @example
   * ```ts
   * barrier.abort();
   * ```
   */
  abort(): void {
    if (this.#i32 === undefined) {
      this._fire('abort', []);
      return;
    }
    this.#break();
  }

  protected override _remoteExtra(): unknown {
    return this.#x;
  }

  #timeout(options: WaitOptions | undefined, what: string): number {
    if (options?.timeout === undefined && this.#x.timeout !== null) return Math.max(0, this.#x.timeout);
    return timeoutOf(options, what);
  }

  /** Arrives: [round, index], or [-1, index] when this arrival completed the round. Throws if broken. */
  #arrive(): [number, number] {
    const i32 = this.#i32 as Int32Array;
    internalLock(i32, LOCK, 'Barrier');
    if (Atomics.load(i32, BROKEN) === 1) {
      internalUnlock(i32, LOCK);
      throw new BrokenBarrierError('the barrier is broken');
    }
    const round = Atomics.load(i32, ROUND);
    const index = Atomics.add(i32, COUNT, 1);
    if (index + 1 < this.#x.parties) {
      internalUnlock(i32, LOCK);
      return [round, index];
    }
    this.#endRound(round, false);
    internalUnlock(i32, LOCK);
    return [-1, index];
  }

  /** Ends round `round` (internal lock held): everyone waiting in it wakes. */
  #endRound(round: number, broken: boolean): void {
    const i32 = this.#i32 as Int32Array;
    const bit = 1 << (round & 31);
    if (broken) Atomics.or(i32, OUTCOME, bit);
    else Atomics.and(i32, OUTCOME, ~bit);
    Atomics.store(i32, COUNT, 0);
    Atomics.store(i32, ROUND, (round + 1) | 0);
    futexNotify(i32, ROUND);
  }

  #outcome(round: number, index: number): number {
    if ((Atomics.load(this.#i32 as Int32Array, OUTCOME) & (1 << (round & 31))) !== 0) throw new BrokenBarrierError('the barrier was broken while waiting');
    return index;
  }

  #timedOut(round: number, index: number): number {
    const i32 = this.#i32 as Int32Array;
    internalLock(i32, LOCK, 'Barrier');
    if (Atomics.load(i32, ROUND) === round) {
      Atomics.store(i32, BROKEN, 1);
      this.#endRound(round, true);
      internalUnlock(i32, LOCK);
      throw new BrokenBarrierError('the barrier timed out, and is now broken');
    }
    internalUnlock(i32, LOCK);
    return this.#outcome(round, index);
  }

  async #wait(timeout: number, signal: AbortSignal | undefined): Promise<number> {
    const i32 = this.#i32 as Int32Array;
    const [round, index] = this.#arrive();
    if (round < 0) return index;
    const deadline = deadlineAfter(timeout);
    while (Atomics.load(i32, ROUND) === round) {
      const left = timeLeft(deadline);
      if (left <= 0) return this.#timedOut(round, index);
      if ((await futexWait(i32, ROUND, round, left, signal)) === 'aborted') {
        // The waiting worker is gone: count it out of this round.
        internalLock(i32, LOCK, 'Barrier');
        if (Atomics.load(i32, ROUND) === round) Atomics.sub(i32, COUNT, 1);
        internalUnlock(i32, LOCK);
        return index;
      }
    }
    return this.#outcome(round, index);
  }

  #reset(): void {
    const i32 = this.#i32 as Int32Array;
    internalLock(i32, LOCK, 'Barrier');
    if (Atomics.load(i32, COUNT) > 0) this.#endRound(Atomics.load(i32, ROUND), true);
    Atomics.store(i32, BROKEN, 0);
    internalUnlock(i32, LOCK);
  }

  #break(): void {
    const i32 = this.#i32 as Int32Array;
    internalLock(i32, LOCK, 'Barrier');
    Atomics.store(i32, BROKEN, 1);
    this.#endRound(Atomics.load(i32, ROUND), true);
    internalUnlock(i32, LOCK);
  }

  protected _run(op: string, args: unknown[], _owner: number, signal: AbortSignal | undefined): unknown {
    switch (op) {
      case 'wait':
        return this.#wait(fromWireTimeout(args[0]), signal);
      case 'reset':
        return this.#reset();
      case 'abort':
        return this.#break();
      default:
        return unknownOp('Barrier', op);
    }
  }
}
