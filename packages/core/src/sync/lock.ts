/**
 * `Lock`: Python's `multiprocessing.Lock`. Not reentrant and with no owner:
 * any agent may release it (SEMANTICS K01–K05). It remembers its last
 * acquirer only so a `Condition` can check the caller holds it.
 *
 * State (16 bytes): [0] the futex mutex word, [2..3] the last acquirer.
 */
import { StateError } from '../errors.js';
import { agentId } from '../agent/agent.js';
import { futexNotify } from './shared-memory/futex.js';
import { mutexAcquire, mutexAcquireSync, mutexRelease, mutexTry, setOwner, setOwnerMe, clearOwner, isOwner } from './shared-memory/mutex.js';
import { fromWireTimeout, timeoutOf, wireTimeout, type WaitOptions, type WireTimeout } from './options.js';
import { checkBlocking, initialHandle, type OpName, Primitive, unknownOp } from './primitive.js';
import { defineKind } from './transport/kinds.js';

const STATE = 0;
const OWNER = 2;

/**
 * What `hold()` returns: releases the lock when disposed (`await using held = await lock.hold()`).
 *
 * @example
 * ```ts
 * await using held = await lock.hold();   // released at the end of the block, even on a throw
 * counter.value += 1;
 * ```
 */
export interface HeldLock extends Disposable, AsyncDisposable {
  release(): void;
}

const TRUE: Promise<boolean> = Promise.resolve(true);

const KIND = defineKind('lock', { revive: () => new Lock(), create: () => [new Lock()] });

/** Lock's brokered operations (see `OpTable` in primitive.ts): name: [arguments, result]. */
export type LockOps = {
  acquire: [[timeout: WireTimeout], boolean];
  release: [[], undefined];
};


/**
 * A mutual-exclusion lock shared by the parent and every worker it is passed to.
 *
 * @example
 * ```ts
 * const lock = new Lock();
 * await pool.map('appendLine', lines.map((l) => [lock, l]));   // tasks do: await lock.withLock(() => write(l))
 * if (await lock.acquire({ timeout: 100 })) { try { ... } finally { lock.release(); } }
 * ```
 */
export class Lock extends Primitive<LockOps> {
  readonly #i32: Int32Array | undefined;
  #canBlock = false;

  constructor() {
    const h = initialHandle(KIND, 16, []);
    super(h);
    this.#i32 = h.s === undefined ? undefined : new Int32Array(h.s);
  }

  /**
   * Takes the lock, waiting up to `timeout` ms (forever by default; `0` or
   * less: do not wait). Resolves `true` once held, `false` on timeout.
   *
   * @example
   * ```ts
   * if (!(await lock.acquire({ timeout: 1_000 }))) throw new Error('busy');
   * ```
   */
  acquire(options?: WaitOptions): Promise<boolean> {
    const timeout = options === undefined ? Infinity : timeoutOf(options, 'acquire');
    const i32 = this.#i32;
    if (i32 === undefined) return this._request('acquire', [wireTimeout(timeout)]);
    if (mutexTry(i32, STATE)) {
      setOwnerMe(i32, OWNER);
      return TRUE;
    }
    return this.#acquire(agentId(), timeout, undefined);
  }

  /**
   * `acquire` that blocks the thread with `Atomics.wait`: workers with shared
   * memory only; elsewhere it throws `StateError`.
   *
   * @example
   * ```ts
   * export function work(lock: Lock) { lock.acquireSync(); try { ... } finally { lock.release(); } }
   * ```
   */
  acquireSync(options?: WaitOptions): boolean {
    const timeout = options === undefined ? Infinity : timeoutOf(options, 'acquireSync');
    if (!this.#canBlock) this.#canBlock = checkBlocking(this, 'acquireSync()', 'await lock.acquire()');
    const i32 = this.#i32 as Int32Array;
    if (Atomics.compareExchange(i32, STATE, 0, 1) !== 0 && !mutexAcquireSync(i32, STATE, timeout)) return false;
    setOwnerMe(i32, OWNER);
    return true;
  }

  /**
   * Takes the lock if it is free, without waiting (even the holder gets `false`).
   *
   * @example
   * ```ts
   * if (lock.tryAcquire()) { try { ... } finally { lock.release(); } }
   * ```
   */
  tryAcquire(): boolean {
    if (this.#i32 === undefined) this._needsShared('tryAcquire()', 'await lock.acquire({ timeout: 0 })');
    if (!mutexTry(this.#i32, STATE)) return false;
    setOwnerMe(this.#i32, OWNER);
    return true;
  }

  /**
   * Frees the lock; any agent may. Throws `StateError` if it is not locked.
   *
   * @example
   * ```ts
   * lock.release();
   * ```
   */
  release(): void {
    const i32 = this.#i32;
    if (i32 === undefined) {
      this._fire('release', []);
      return;
    }
    clearOwner(i32, OWNER);
    const c = Atomics.exchange(i32, STATE, 0);
    if (c === 2) futexNotify(i32, STATE, 1);
    else if (c === 0) throw new StateError('release() of an unlocked Lock');
  }

  /**
   * Runs `fn` holding the lock, releasing it afterwards even if `fn` throws.
   *
   * @example
   * ```ts
   * const n = await lock.withLock(() => counter.value++);
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
   * { await using held = await lock.hold(); ... }   // released here
   * ```
   */
  hold(): Promise<HeldLock> {
    return holdOf(this);
  }

  /** @internal whether `owner` took it last (a Condition's check). */
  _isOwnedBy(owner: number): boolean {
    return this.#i32 !== undefined && Atomics.load(this.#i32, STATE) !== 0 && isOwner(this.#i32, OWNER, owner);
  }

  /** @internal Condition.wait: release, remembering the level (1). */
  _releaseAll(_owner: number): number {
    this.#release();
    return 1;
  }

  /** @internal Condition.wait: take it back. */
  async _acquireRestore(owner: number, _level: number, signal: AbortSignal | undefined): Promise<boolean> {
    return this.#acquire(owner, Infinity, signal);
  }

  /** @internal Condition.waitSync: take it back, blocking. */
  _acquireRestoreSync(owner: number, _level: number): void {
    mutexAcquireSync(this.#i32 as Int32Array, STATE, Infinity);
    setOwner(this.#i32 as Int32Array, OWNER, owner);
  }

  async #acquire(owner: number, timeout: number, signal: AbortSignal | undefined): Promise<boolean> {
    const i32 = this.#i32 as Int32Array;
    if (!(await mutexAcquire(i32, STATE, timeout, signal))) return false;
    if (signal?.aborted) {
      // Granted to a worker that is gone: hand it straight back.
      mutexRelease(i32, STATE);
      return false;
    }
    setOwner(i32, OWNER, owner);
    return true;
  }

  #release(): void {
    const i32 = this.#i32 as Int32Array;
    clearOwner(i32, OWNER);
    if (!mutexRelease(i32, STATE)) throw new StateError('release() of an unlocked Lock');
  }

  /** @internal */
  protected _run(op: OpName<LockOps>, args: unknown[], owner: number, signal: AbortSignal | undefined): unknown {
    switch (op) {
      case 'acquire':
        return this.#acquire(owner, fromWireTimeout(args[0]), signal);
      case 'release':
        return this.#release();
      default:
        return unknownOp('Lock', op);
    }
  }
}

/** What `withLock`/`hold` need of a lock (Lock, RLock, Condition). */
interface Acquirable {
  acquire(): Promise<unknown>;
  release(): void;
}

/** @internal `withLock` for every lock-like primitive: run `fn` holding it, release even if it throws. */
export async function withHeld<T>(lock: Acquirable, fn: () => T | PromiseLike<T>): Promise<Awaited<T>> {
  await lock.acquire();
  try {
    return await fn();
  } finally {
    lock.release();
  }
}

/** @internal `hold` for every lock-like primitive: take it, return a disposable that releases it. */
export async function holdOf(lock: Acquirable): Promise<HeldLock> {
  await lock.acquire();
  return heldBy(() => lock.release());
}

/** A disposable that calls `release` once. */
export function heldBy(release: () => void): HeldLock {
  let done = false;
  const once = (): void => {
    if (done) return;
    done = true;
    release();
  };
  return {
    release: once,
    [Symbol.dispose]: once,
    [Symbol.asyncDispose]: async () => once(),
  };
}
