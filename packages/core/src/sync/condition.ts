/**
 * `Condition`: Python's `multiprocessing.Condition` (SEMANTICS C01–C09) over
 * a `Lock` or `RLock` (a new `RLock` by default).
 *
 * `notify(n)` wakes exactly min(n, waiting) waiters, and a notification with
 * nobody waiting is not remembered. The bookkeeping: `waiting` counts waiters
 * not yet notified, `tokens` notifications granted and not yet taken. A
 * waiter leaves by taking a token (`true`) or, after its timeout, by taking
 * itself off `waiting` (`false`); if a notification counted it first, it
 * takes that token instead. Both counters change by compare-and-swap, so no
 * notification is lost or handed to a waiter that arrives later.
 *
 * State (12 bytes): [0] a sequence number waiters sleep on, [1] waiting,
 * [2] tokens.
 */
import { StateError } from '../errors.js';
import { agentId } from '../agent/agent.js';
import { deadlineAfter, futexNotify, timeLeft } from './shared-memory/futex.js';
import { waitUntil, waitUntilSync, type WaitStep } from './shared-memory/wait-loop.js';
import { holdOf, Lock, withHeld, type HeldLock } from './lock.js';
import { fromWireTimeout, timeoutOf, wireTimeout, type WaitOptions, type WireTimeout } from './options.js';
import { checkBlocking, initialHandle, type OpName, Primitive, unknownOp } from './primitive.js';
import { defineKind } from './transport/kinds.js';
import { RLock } from './rlock.js';

const SEQ = 0;
const WAITING = 1;
const TOKENS = 2;

const KIND = defineKind('condition', {
  revive: () => new Condition(),
  create: (args) => [new Condition(args[0] as Lock | RLock | undefined)],
});

/** Condition's brokered operations (see `OpTable` in primitive.ts): name: [arguments, result]. */
export type ConditionOps = {
  acquire: [[timeout: WireTimeout], boolean];
  release: [[], undefined];
  wait: [[timeout: WireTimeout], boolean];
  notify: [[n: WireTimeout], undefined];
};


/**
 * A condition variable shared by every agent it is passed to.
 *
 * @example
 * ```ts
 * const cond = new Condition();
 * // consumer task:  await cond.withLock(() => cond.waitFor(() => flag.value === 1));
 * // producer:       await cond.acquire(); flag.value = 1; cond.notifyAll(); cond.release();
 * ```
 */
export class Condition extends Primitive<ConditionOps> {
  readonly #i32: Int32Array | undefined;
  readonly #lock: Lock | RLock | undefined;

  constructor(lock?: Lock | RLock) {
    if (lock !== undefined && !(lock instanceof Lock) && !(lock instanceof RLock)) {
      throw new TypeError('Condition(lock): lock must be a Lock or an RLock');
    }
    const h = initialHandle(KIND, 12, lock === undefined ? [] : [lock], () => ({ lock: lock ?? new RLock() }));
    super(h);
    this.#i32 = h.s === undefined ? undefined : new Int32Array(h.s);
    this.#lock = (h.x as { lock?: Lock | RLock } | undefined)?.lock;
  }

  /**
   * Takes the underlying lock.
   *
   * @example
   * ```ts
   * await cond.acquire(); try { ... } finally { cond.release(); }
   * ```
   */
  acquire(options?: WaitOptions): Promise<boolean> {
    const timeout = timeoutOf(options, 'acquire');
    if (this.#lock === undefined) return this._request('acquire', [wireTimeout(timeout)]);
    return this.#lock.acquire({ timeout });
  }

  /** `acquire` blocking the thread (workers with shared memory only). */
  acquireSync(options?: WaitOptions): boolean {
    checkBlocking(this, 'acquireSync()', 'await condition.acquire()');
    return (this.#lock as Lock | RLock).acquireSync(options);
  }

  /**
   * Releases the underlying lock.
   *
   * @example
   * ```ts
   * cond.release();
   * ```
   */
  release(): void {
    if (this.#lock === undefined) {
      this._fire('release', []);
      return;
    }
    this.#lock.release();
  }

  /**
   * Runs `fn` holding the lock.
   *
   * @example
   * ```ts
   * await cond.withLock(() => cond.notifyAll());
   * ```
   */
  withLock<T>(fn: () => T | PromiseLike<T>): Promise<Awaited<T>> {
    return withHeld(this, fn);
  }

  /**
   * Takes the lock and returns a disposable that releases it.
   *
   * @example
   * ```ts
   * { await using held = await cond.hold(); cond.notify(); }
   * ```
   */
  hold(): Promise<HeldLock> {
    return holdOf(this);
  }

  /**
   * Releases the lock, waits for a notification or `timeout` ms, and takes
   * the lock back (at its recursion level) before resolving: `true` if
   * notified. Throws `StateError` unless this agent holds the lock.
   *
   * @example
   * ```ts
   * await cond.acquire();
   * while (!ready()) await cond.wait();
   * cond.release();
   * ```
   */
  wait(options?: WaitOptions): Promise<boolean> {
    const timeout = timeoutOf(options, 'wait');
    if (this.#i32 === undefined) return this._request('wait', [wireTimeout(timeout)]);
    return this.#wait(agentId(), timeout, undefined);
  }

  /**
   * `wait` blocking the thread (workers with shared memory only).
   *
   * @example
   * ```ts
   * cond.acquireSync(); while (!ready()) cond.waitSync(); cond.release();
   * ```
   */
  waitSync(options?: WaitOptions): boolean {
    const timeout = timeoutOf(options, 'waitSync');
    checkBlocking(this, 'waitSync()', 'await condition.wait()');
    const i32 = this.#i32 as Int32Array;
    const lock = this.#lock as Lock | RLock;
    const me = agentId();
    const level = this.#enter(me);
    const woken = waitUntilSync(CLAIM, i32, SEQ, timeout);
    lock._acquireRestoreSync(me, level);
    return woken || leave(i32);
  }

  /**
   * Waits until `predicate()` is truthy (checked first, then after each
   * notification) or `timeout` ms pass; resolves with its last value.
   *
   * @example
   * ```ts
   * await cond.withLock(() => cond.waitFor(() => queue.length > 0, { timeout: 1_000 }));
   * ```
   */
  async waitFor<T>(predicate: () => T, options?: WaitOptions): Promise<T> {
    if (typeof predicate !== 'function') throw new TypeError('waitFor(predicate): predicate must be a function');
    const deadline = deadlineAfter(timeoutOf(options, 'waitFor'));
    let result = predicate();
    while (!result) {
      const left = timeLeft(deadline);
      if (left <= 0) break;
      await this.wait(left === Infinity ? undefined : { timeout: left });
      result = predicate();
    }
    return result;
  }

  /**
   * Wakes up to `n` waiters (they run once they get the lock back). Throws
   * `StateError` unless this agent holds the lock.
   *
   * @example
   * ```ts
   * await cond.withLock(() => { items.push(x); cond.notify(); });
   * ```
   */
  notify(n = 1): void {
    if (typeof n !== 'number' || Number.isNaN(n) || n < 0) throw new RangeError(`notify(n): n must be a non-negative number, got ${String(n)}`);
    if (this.#i32 === undefined) {
      this._fire('notify', [wireTimeout(n)]);
      return;
    }
    this.#notify(agentId(), n);
  }

  /**
   * Wakes every waiter.
   *
   * @example
   * ```ts
   * await cond.withLock(() => cond.notifyAll());
   * ```
   */
  notifyAll(): void {
    this.notify(Infinity);
  }

  #enter(owner: number): number {
    const lock = this.#lock as Lock | RLock;
    if (!lock._isOwnedBy(owner)) throw new StateError('must acquire() the condition before wait()');
    Atomics.add(this.#i32 as Int32Array, WAITING, 1);
    return lock._releaseAll(owner);
  }

  async #wait(owner: number, timeout: number, signal: AbortSignal | undefined): Promise<boolean> {
    const i32 = this.#i32 as Int32Array;
    const level = this.#enter(owner);
    const woken = await waitUntil(CLAIM, i32, SEQ, timeout, signal);
    await (this.#lock as Lock | RLock)._acquireRestore(owner, level, signal);
    return woken || leave(i32);
  }

  #notify(owner: number, n: number): void {
    const i32 = this.#i32 as Int32Array;
    if (!(this.#lock as Lock | RLock)._isOwnedBy(owner)) throw new StateError('cannot notify on an un-acquired condition (the lock is not owned)');
    let k = 0;
    for (;;) {
      const w = Atomics.load(i32, WAITING);
      k = Math.min(n, w);
      if (k === 0) return;
      if (Atomics.compareExchange(i32, WAITING, w, w - k) === w) break;
    }
    Atomics.add(i32, TOKENS, k);
    Atomics.add(i32, SEQ, 1);
    futexNotify(i32, SEQ, k);
  }

  /** @internal */
  protected _run(op: OpName<ConditionOps>, args: unknown[], owner: number, signal: AbortSignal | undefined): unknown {
    const lock = this.#lock as Lock | RLock;
    switch (op) {
      case 'acquire':
      case 'release':
        return lock._serve(op, args, owner, signal, true);
      case 'wait':
        return this.#wait(owner, fromWireTimeout(args[0]), signal);
      case 'notify':
        return this.#notify(owner, fromWireTimeout(args[0]));
      default:
        return unknownOp('Condition', op);
    }
  }
}

/** Takes a notification token if there is one. */
function claim(i32: Int32Array): boolean {
  for (;;) {
    const t = Atomics.load(i32, TOKENS);
    if (t <= 0) return false;
    if (Atomics.compareExchange(i32, TOKENS, t, t - 1) === t) return true;
  }
}

/** The wait of both forms of `wait`: take a token, else sleep until the notify sequence moves. */
const CLAIM: WaitStep = { attempt: claim };

/** A waiter that was not woken leaves: off `waiting`, or takes the token a notify already counted for it. */
function leave(i32: Int32Array): boolean {
  for (;;) {
    if (claim(i32)) return true;
    const w = Atomics.load(i32, WAITING);
    if (w > 0 && Atomics.compareExchange(i32, WAITING, w, w - 1) === w) return false;
  }
}
