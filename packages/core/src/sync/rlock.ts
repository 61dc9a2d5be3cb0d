/**
 * `RLock`: Python's `multiprocessing.RLock`, a reentrant lock with an owner
 * (SEMANTICS K06, K07). Ownership is per agent: the main thread, a worker
 * thread, a child process. Two async tasks interleaving in one worker are the
 * same owner, so one can re-enter or release what the other took (K09).
 *
 * State (16 bytes): [0] the futex mutex, [1] the recursion level (only the
 * owner touches it), [2..3] the owner.
 */
import { StateError } from '../errors.js';
import { agentId } from '../agent/agent.js';
import { clearOwner, isOwner, mutexAcquire, mutexAcquireSync, mutexRelease, mutexTry, setOwner } from './shared-memory/mutex.js';
import { fromWireTimeout, timeoutOf, wireTimeout, type WaitOptions, type WireTimeout } from './options.js';
import { checkBlocking, initialHandle, type OpName, Primitive, unknownOp } from './primitive.js';
import { defineKind } from './transport/kinds.js';
import { holdOf, withHeld, type HeldLock } from './lock.js';

const STATE = 0;
const LEVEL = 1;
const OWNER = 2;

const KIND = defineKind('rlock', { revive: () => new RLock(), create: () => [new RLock()] });

/** RLock's brokered operations (see `OpTable` in primitive.ts): name: [arguments, result]. */
export type RLockOps = {
  acquire: [[timeout: WireTimeout], boolean];
  release: [[], undefined];
};


/**
 * A reentrant lock: its owner may take it again and must release it as many times.
 *
 * @example
 * ```ts
 * const rlock = new RLock();
 * await rlock.acquire();
 * await rlock.acquire();          // the owner re-enters
 * rlock.release(); rlock.release();
 * ```
 */
export class RLock extends Primitive<RLockOps> {
  readonly #i32: Int32Array | undefined;

  constructor() {
    const h = initialHandle(KIND, 16, []);
    super(h);
    this.#i32 = h.s === undefined ? undefined : new Int32Array(h.s);
  }

  /**
   * Takes the lock (again, if this agent owns it), waiting up to `timeout` ms.
   *
   * @example
   * ```ts
   * if (await rlock.acquire({ timeout: 50 })) rlock.release();
   * ```
   */
  acquire(options?: WaitOptions): Promise<boolean> {
    const timeout = timeoutOf(options, 'acquire');
    if (this.#i32 === undefined) return this._request('acquire', [wireTimeout(timeout)]);
    return this.#acquire(agentId(), timeout, undefined);
  }

  /**
   * `acquire` blocking the thread (workers with shared memory only).
   *
   * @example
   * ```ts
   * rlock.acquireSync(); try { ... } finally { rlock.release(); }
   * ```
   */
  acquireSync(options?: WaitOptions): boolean {
    const timeout = timeoutOf(options, 'acquireSync');
    checkBlocking(this, 'acquireSync()', 'await rlock.acquire()');
    const i32 = this.#i32 as Int32Array;
    const me = agentId();
    if (this.#reenter(me)) return true;
    if (!mutexAcquireSync(i32, STATE, timeout)) return false;
    this.#own(me, 1);
    return true;
  }

  /**
   * Takes it without waiting: `true` if free or already owned by this agent.
   *
   * @example
   * ```ts
   * if (rlock.tryAcquire()) rlock.release();
   * ```
   */
  tryAcquire(): boolean {
    if (this.#i32 === undefined) this._needsShared('tryAcquire()', 'await rlock.acquire({ timeout: 0 })');
    const me = agentId();
    if (this.#reenter(me)) return true;
    if (!mutexTry(this.#i32, STATE)) return false;
    this.#own(me, 1);
    return true;
  }

  /**
   * Releases one level. Throws `StateError` if this agent does not own it.
   *
   * @example
   * ```ts
   * rlock.release();
   * ```
   */
  release(): void {
    if (this.#i32 === undefined) {
      this._fire('release', []);
      return;
    }
    this.#release(agentId());
  }

  /**
   * Runs `fn` holding the lock, releasing it afterwards even if `fn` throws.
   *
   * @example
   * ```ts
   * await rlock.withLock(async () => { await rlock.withLock(() => nested()); });
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
   * { await using held = await rlock.hold(); ... }
   * ```
   */
  hold(): Promise<HeldLock> {
    return holdOf(this);
  }

  /** @internal */
  _isOwnedBy(owner: number): boolean {
    return this.#i32 !== undefined && Atomics.load(this.#i32, STATE) !== 0 && isOwner(this.#i32, OWNER, owner);
  }

  /** @internal Condition.wait: release every level, returning how many. */
  _releaseAll(owner: number): number {
    const i32 = this.#i32 as Int32Array;
    if (!this._isOwnedBy(owner)) throw new StateError('cannot release an RLock this agent does not own');
    const level = Atomics.load(i32, LEVEL);
    Atomics.store(i32, LEVEL, 0);
    clearOwner(i32, OWNER);
    mutexRelease(i32, STATE);
    return level;
  }

  /** @internal Condition.wait: take it back at the saved level. */
  async _acquireRestore(owner: number, level: number, signal: AbortSignal | undefined): Promise<boolean> {
    const i32 = this.#i32 as Int32Array;
    if (!(await mutexAcquire(i32, STATE, Infinity, signal))) return false;
    if (signal?.aborted) {
      mutexRelease(i32, STATE);
      return false;
    }
    this.#own(owner, level);
    return true;
  }

  /** @internal Condition.waitSync: take it back at the saved level, blocking. */
  _acquireRestoreSync(owner: number, level: number): void {
    mutexAcquireSync(this.#i32 as Int32Array, STATE, Infinity);
    this.#own(owner, level);
  }

  #reenter(owner: number): boolean {
    const i32 = this.#i32 as Int32Array;
    if (!this._isOwnedBy(owner)) return false;
    Atomics.add(i32, LEVEL, 1);
    return true;
  }

  #own(owner: number, level: number): void {
    const i32 = this.#i32 as Int32Array;
    setOwner(i32, OWNER, owner);
    Atomics.store(i32, LEVEL, level);
  }

  async #acquire(owner: number, timeout: number, signal: AbortSignal | undefined): Promise<boolean> {
    if (this.#reenter(owner)) return true;
    const i32 = this.#i32 as Int32Array;
    if (!(await mutexAcquire(i32, STATE, timeout, signal))) return false;
    if (signal?.aborted) {
      mutexRelease(i32, STATE);
      return false;
    }
    this.#own(owner, 1);
    return true;
  }

  #release(owner: number): void {
    const i32 = this.#i32 as Int32Array;
    if (!this._isOwnedBy(owner)) throw new StateError('cannot release an RLock this agent does not own (or an unlocked one)');
    if (Atomics.sub(i32, LEVEL, 1) > 1) return;
    clearOwner(i32, OWNER);
    mutexRelease(i32, STATE);
  }

  /** @internal */
  protected _run(op: OpName<RLockOps>, args: unknown[], owner: number, signal: AbortSignal | undefined): unknown {
    switch (op) {
      case 'acquire':
        return this.#acquire(owner, fromWireTimeout(args[0]), signal);
      case 'release':
        return this.#release(owner);
      default:
        return unknownOp('RLock', op);
    }
  }
}
