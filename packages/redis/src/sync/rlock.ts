/**
 * `RLock` on Redis: a `Lock` lease (with its fencing token) that the agent
 * holding it may take again; it is given back to Redis when this agent has
 * released it as many times as it acquired it. The owner is the agent, as a
 * thread is in Python: one process's concurrent async code shares it.
 */
import { StateError } from '@multiproc/core';
import { MARK, newId, withHeld, type Mark } from './base.js';
import type { PrimLink } from './link.js';
import { DEFAULT_LEASE_MS, RedisLock, type RedisLockOptions } from './lock.js';

/**
 * A re-entrant lock shared by a Redis context's client and every worker host.
 *
 * @example
 * ```ts
 * const rlock = new mp.RLock();
 * await rlock.withLock(() => rlock.withLock(() => save()));   // the holder may take it again
 * ```
 */
export class RedisRLock {
  readonly [MARK]: Mark;
  readonly #inner: RedisLock;
  #depth = 0;

  /** @internal Use the context's `RLock`. */
  constructor(link: PrimLink, options?: RedisLockOptions, id = newId()) {
    this.#inner = new RedisLock(link, options, `${id}:r`);
    this[MARK] = { kind: 'RLock', id, arg: options?.lease ?? DEFAULT_LEASE_MS };
  }

  /** The fencing token of this agent's hold (0 when it holds none). */
  get fence(): number {
    return this.#inner.fence;
  }

  /** @internal How deep this agent holds it (a Condition gives it all back while it waits). */
  get depth(): number {
    return this.#depth;
  }

  async acquire(options?: { timeout?: number }): Promise<boolean> {
    if (this.#depth > 0) {
      this.#depth++;
      return true;
    }
    const ok = await this.#inner.acquire(options);
    if (ok) this.#depth = 1;
    return ok;
  }

  release(): void {
    if (this.#depth === 0) throw new StateError('release() of an RLock this agent does not own');
    if (--this.#depth === 0) this.#inner.release();
  }

  tryAcquire(): never {
    throw new StateError('RLock.tryAcquire() needs an answer from Redis; use await rlock.acquire({ timeout: 0 })');
  }

  withLock<T>(fn: () => T | Promise<T>): Promise<T> {
    return withHeld(this, fn);
  }
}
