/**
 * `Barrier`: Python's `multiprocessing.Barrier` (a clone of
 * `threading.Barrier`, SEMANTICS B01–B11) without `action`, which cannot
 * cross agents. `wait()` resolves with this party's arrival index, 0 for the
 * first; the last to arrive releases the round.
 *
 * Broken: `abort()`, a `wait` that times out, or a party that dies while
 * waiting breaks the barrier for everyone now waiting and every later `wait`
 * (`BrokenBarrierError`) until `reset()`. `reset()` breaks only the current
 * round's waiters and leaves the barrier usable.
 *
 * A party's death is seen the same way on both backends: brokered, the
 * broker cancels the dead worker's wait; with shared memory each arrival
 * records its agent's token (life.ts), and the waiters (every 100 ms) and
 * each new arrival look for one that is gone.
 *
 * State (28 + 4 × parties bytes): [0] internal lock, [1] arrivals this round,
 * [2] round number (waiters sleep on it), [3] broken flag, [4] a bit per
 * round (mod 32) saying whether it ended broken, [5] a round is ending (a
 * journal, so a holder that dies inside is repaired), [6] the next round
 * number, [7…] the token of each arrival this round.
 */
import { BrokenBarrierError } from '../errors.js';
import { show } from '../util/validate.js';
import { deadlineAfter, futexNotify, futexWait, futexWaitSync, timeLeft } from './shared-memory/futex.js';
import { agentToken, isAlive } from '../agent/life.js';
import { internalLock, internalLockAsync, internalPatience, internalTryLock, internalUnlock } from './shared-memory/mutex.js';
import { fromWireTimeout, timeoutOf, wireTimeout, type WaitOptions, type WireTimeout } from './options.js';
import { checkBlocking, initialHandle, type OpName, Primitive, unknownOp } from './primitive.js';
import { defineKind } from './transport/kinds.js';
import { checkOptions, checkTimeout, TIMEOUT_OPTION_KEYS } from '../util/validate.js';

const LOCK = 0;
const COUNT = 1;
const ROUND = 2;
const BROKEN = 3;
const OUTCOME = 4;
const ENDING = 5;
const NEXT = 6;
const TOKENS = 7;
/** The most parties: each takes a word of shared state, so 2²⁰ is 4 MiB; more could not be allocated or ever arrive. */
const MAX_PARTIES = 2 ** 20;
/** How often a waiter looks for a party that died (ms). */
const DEATH_POLL_MS = 100;

interface BarrierExtra {
  readonly parties: number;
  /** Default wait timeout in ms, or null. */
  readonly timeout: number | null;
}

/**
 * Options of `new Barrier(parties, options)`.
 *
 * @example
 * ```ts
 * const start = new Barrier(4, { timeout: 10_000 });   // wait() breaks the barrier after 10 s
 * ```
 */
export interface BarrierOptions {
  /** The default `timeout` of `wait()`, in ms. */
  timeout?: number;
}

const KIND = defineKind('barrier', {
  revive: (x) => new Barrier(x.parties as number),
  create: (args) => [new Barrier(args[0] as number, args[1] as BarrierOptions | undefined)],
});

/** Barrier's brokered operations (see `OpTable` in primitive.ts): name: [arguments, result]. */
export type BarrierOps = {
  wait: [[timeout: WireTimeout], number];
  reset: [[], undefined];
  abort: [[], undefined];
};


/**
 * A meeting point for `parties` agents.
 *
 * @example
 * ```ts
 * const barrier = new Barrier(3);
 * await pool.map('phaseWork', [0, 1, 2].map((i) => [barrier, i]));   // each task: await barrier.wait()
 * ```
 */
export class Barrier extends Primitive<BarrierOps> {
  readonly #i32: Int32Array | undefined;
  readonly #x: BarrierExtra;

  constructor(parties: number, options?: BarrierOptions) {
    if (typeof parties !== 'number' || !Number.isInteger(parties)) throw new TypeError(`Barrier parties must be a positive integer, got ${show(parties)}`);
    if (parties < 1) throw new RangeError(`Barrier parties must be a positive integer, got ${parties}`);
    if (parties > MAX_PARTIES) throw new RangeError(`Barrier parties must be at most ${MAX_PARTIES}, got ${parties}`);
    const t = checkTimeout(checkOptions(options, 'Barrier options', TIMEOUT_OPTION_KEYS).timeout, 'Barrier options.timeout');
    const x: BarrierExtra = { parties, timeout: t ?? null };
    const h = initialHandle(KIND, 4 * (TOKENS + parties), [parties, options], x);
    super(h);
    this.#x = (h.x as BarrierExtra | undefined) ?? x;
    this.#i32 = h.s === undefined ? undefined : new Int32Array(h.s);
    const i32 = this.#i32;
    this.#repair = () => i32 !== undefined && finishEnding(i32);
  }

  // Private, so a structured clone never meets it.
  readonly #repair: () => void;

  /** How many parties must call `wait()` to pass. */
  get parties(): number {
    return this.#x.parties;
  }

  /** How many parties are waiting in the current round (0 when broken). */
  get nWaiting(): number {
    if (this.#i32 === undefined) this._needsShared('nWaiting', 'your own count');
    return Atomics.load(this.#i32, BROKEN) === 1 || this.#deadWaiter() ? 0 : Atomics.load(this.#i32, COUNT);
  }

  /** Whether the barrier is broken (until `reset()`). */
  get broken(): boolean {
    if (this.#i32 === undefined) this._needsShared('broken', 'await barrier.wait() and catch BrokenBarrierError');
    return Atomics.load(this.#i32, BROKEN) === 1 || this.#deadWaiter();
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
    if (this.#i32 === undefined) return this._request('wait', [wireTimeout(timeout)]);
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
    internalLock(i32, LOCK, 'Barrier', this.#repair);
    const [round, index] = this.#arrive();
    if (round < 0) return index;
    const deadline = deadlineAfter(timeout);
    for (;;) {
      const sleep = this.#nextSleep(round, deadline);
      if (sleep <= 0) return sleep === 0 ? this.#timedOut(round, index) : this.#outcome(round, index);
      if (futexWaitSync(i32, ROUND, round, sleep) === 'timed-out') this.#checkDeaths(round);
    }
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

  /** @internal */
  protected override _remoteExtra(): unknown {
    return this.#x;
  }

  #timeout(options: WaitOptions | undefined, what: string): number {
    if (options?.timeout === undefined && this.#x.timeout !== null) return Math.max(0, this.#x.timeout);
    return timeoutOf(options, what);
  }

  /**
   * Arrives, holding the internal lock (which it frees): [round, index], or
   * [-1, index] when this arrival completed the round. Throws if broken,
   * and breaks the round if a party waiting in it has died.
   */
  #arrive(): [number, number] {
    const i32 = this.#i32 as Int32Array;
    if (Atomics.load(i32, BROKEN) === 1) {
      internalUnlock(i32, LOCK);
      throw new BrokenBarrierError('the barrier is broken');
    }
    const round = Atomics.load(i32, ROUND);
    if (this.#deadWaiter()) {
      Atomics.store(i32, BROKEN, 1);
      this.#endRound(round, true);
      internalUnlock(i32, LOCK);
      throw new BrokenBarrierError('the barrier is broken: a party died while waiting');
    }
    const index = Atomics.load(i32, COUNT);
    // The token first: an arrival cut short before it counts leaves nothing behind.
    Atomics.store(i32, TOKENS + index, agentToken());
    Atomics.store(i32, COUNT, index + 1);
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
    Atomics.store(i32, NEXT, (round + 1) | 0);
    Atomics.store(i32, ENDING, 1);
    finishEnding(i32);
  }

  /** Whether an agent that arrived in this round is gone (shared memory; the broker reports its own). */
  #deadWaiter(): boolean {
    const i32 = this.#i32 as Int32Array;
    const n = Math.min(Atomics.load(i32, COUNT), this.#x.parties);
    for (let k = 0; k < n; k++) if (!isAlive(Atomics.load(i32, TOKENS + k))) return true;
    return false;
  }

  /** A waiter of `round` woke without news: breaks the round if a party of it died (or a breaker died inside). */
  #checkDeaths(round: number): void {
    const i32 = this.#i32 as Int32Array;
    if (Atomics.load(i32, BROKEN) !== 1 && !this.#deadWaiter()) return;
    this.#breakRound(round);
  }

  /** Breaks round `round` if it is still on; whether it did. */
  #breakRound(round: number): boolean {
    const i32 = this.#i32 as Int32Array;
    internalLock(i32, LOCK, 'Barrier', this.#repair);
    const on = Atomics.load(i32, ROUND) === round;
    if (on) {
      Atomics.store(i32, BROKEN, 1);
      this.#endRound(round, true);
    }
    internalUnlock(i32, LOCK);
    return on;
  }

  /**
   * Each time round the wait of both forms: -1 once `round` is over, 0 at the
   * deadline, else how long to sleep (ms; at most DEATH_POLL_MS, to look for
   * parties that died).
   */
  #nextSleep(round: number, deadline: number): number {
    if (Atomics.load(this.#i32 as Int32Array, ROUND) !== round) return -1;
    const left = timeLeft(deadline);
    return left <= 0 ? 0 : Math.min(left, DEATH_POLL_MS);
  }

  #outcome(round: number, index: number): number {
    if ((Atomics.load(this.#i32 as Int32Array, OUTCOME) & (1 << (round & 31))) !== 0) throw new BrokenBarrierError('the barrier was broken while waiting');
    return index;
  }

  #timedOut(round: number, index: number): number {
    if (this.#breakRound(round)) throw new BrokenBarrierError('the barrier timed out, and is now broken');
    return this.#outcome(round, index);
  }

  async #wait(timeout: number, signal: AbortSignal | undefined): Promise<number> {
    const i32 = this.#i32 as Int32Array;
    if (!internalTryLock(i32, LOCK, this.#repair, internalPatience())) await internalLockAsync(i32, LOCK, this.#repair, Infinity);
    const [round, index] = this.#arrive();
    if (round < 0) return index;
    const deadline = deadlineAfter(timeout);
    for (;;) {
      const sleep = this.#nextSleep(round, deadline);
      if (sleep <= 0) return sleep === 0 ? this.#timedOut(round, index) : this.#outcome(round, index);
      const r = await futexWait(i32, ROUND, round, sleep, signal, timeout !== Infinity);
      if (r === 'aborted') {
        // The (brokered) worker waiting here is gone: the round is broken, as when one dies with shared memory.
        this.#breakRound(round);
        return index;
      }
      if (r === 'timed-out') this.#checkDeaths(round);
    }
  }

  #reset(): void {
    const i32 = this.#i32 as Int32Array;
    internalLock(i32, LOCK, 'Barrier', this.#repair);
    if (Atomics.load(i32, COUNT) > 0) this.#endRound(Atomics.load(i32, ROUND), true);
    Atomics.store(i32, BROKEN, 0);
    internalUnlock(i32, LOCK);
  }

  #break(): void {
    const i32 = this.#i32 as Int32Array;
    internalLock(i32, LOCK, 'Barrier', this.#repair);
    Atomics.store(i32, BROKEN, 1);
    this.#endRound(Atomics.load(i32, ROUND), true);
    internalUnlock(i32, LOCK);
  }

  /** @internal */
  protected _run(op: OpName<BarrierOps>, args: unknown[], _owner: number, signal: AbortSignal | undefined): unknown {
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

/** Finishes a round's end from its journal (ENDING set): the next round starts empty, its waiters wake. */
function finishEnding(i32: Int32Array): void {
  if (Atomics.load(i32, ENDING) !== 1) return;
  Atomics.store(i32, ROUND, Atomics.load(i32, NEXT));
  Atomics.store(i32, COUNT, 0);
  Atomics.store(i32, ENDING, 0);
  futexNotify(i32, ROUND);
}
