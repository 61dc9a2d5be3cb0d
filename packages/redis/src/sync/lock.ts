/**
 * `Lock` on Redis: a lease with a fencing token. `acquire` sets the key only
 * if nobody holds it, with an expiry (`lease`, 10 s by default) that the
 * holder renews while it holds it, and takes the next number of a counter as
 * its fence. A holder that dies stops renewing: the lease expires and the next
 * holder's fence is larger, so a resource that checks fences refuses the late
 * writes of a holder that lost the lock. Only the holder releases (over Redis a
 * lease has an owner); `release()` by anyone else throws `StateError`.
 */
import { checkOptions, optionKeys, StateError } from '@multiproc/core';
import { checkTimeout, MARK, newId, reportLate, until, withHeld, type Mark } from './base.js';
import type { PrimLink } from './link.js';

const ACQUIRE = `if redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then return redis.call('INCR', KEYS[2]) end return 0`;
const RELEASE = `if redis.call('GET', KEYS[1]) == ARGV[1] then redis.call('DEL', KEYS[1]) redis.call('PUBLISH', ARGV[2], KEYS[1]) return 1 end return 0`;
const RENEW = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end return 0`;
const LOCK_KEYS = optionKeys<RedisLockOptions>({ lease: true });

/**
 * The lease when none is given (ms).
 *
 * @example
 * ```ts
 * const lock = new mp.Lock({ lease: 3 * DEFAULT_LEASE_MS });   // for holders that may stall longer
 * ```
 */
export const DEFAULT_LEASE_MS = 10_000;

/**
 * Options of a Redis `Lock`.
 *
 * @example
 * ```ts
 * const lock = new mp.Lock({ lease: 30_000 });   // renewed every 10 s while held
 * ```
 */
export interface RedisLockOptions {
  /** How long a hold lasts unless renewed (ms); the holder renews it every third of it. @default 10000 */
  readonly lease?: number;
}

/**
 * A lock shared by a Redis context's client and every worker host.
 *
 * @example
 * ```ts
 * const lock = new mp.Lock({ lease: 5_000 });
 * await lock.withLock(async () => {
 *   await store.write(row, { fence: lock.fence });   // the fencing token rejects a stale holder's writes
 * });
 * ```
 */
export class RedisLock {
  /** What travels (core's codec copies this field only). */
  readonly [MARK]: Mark;
  readonly #link: PrimLink;
  readonly #key: string;
  readonly #lease: number;
  #token: string | undefined;
  #fence = 0;
  #renew: ReturnType<typeof setInterval> | undefined;

  /** @internal Use the context's `Lock`. */
  constructor(link: PrimLink, options?: RedisLockOptions, id = newId()) {
    const lease = checkOptions(options, 'Lock options', LOCK_KEYS).lease ?? DEFAULT_LEASE_MS;
    if (typeof lease !== 'number' || !Number.isInteger(lease) || lease < 100) throw new RangeError(`lease must be a whole number of ms, at least 100, got ${String(lease)}`);
    this[MARK] = { kind: 'Lock', id, arg: lease };
    this.#link = link;
    this.#key = link.key('lock', id);
    this.#lease = lease;
  }

  /** The fencing token of this agent's current hold (0 when it holds none): larger for every later hold. */
  get fence(): number {
    return this.#token === undefined ? 0 : this.#fence;
  }

  /** Waits for the lock; `true` once held, `false` if `timeout` ms passed first. */
  async acquire(options?: { timeout?: number }): Promise<boolean> {
    const timeout = checkTimeout(options, 'Lock.acquire');
    if (this.#token !== undefined) throw new StateError('This agent already holds this Lock (a Lock is not re-entrant: use an RLock)');
    const token = newId();
    const fence = await until(this.#link, this.#key, timeout, async () => {
      const f = (await this.#link.cmd.eval(ACQUIRE, 2, this.#key, `${this.#key}:fence`, token, this.#lease)) as number;
      return f > 0 ? f : undefined;
    });
    if (fence === undefined) return false;
    this.#token = token;
    this.#fence = fence;
    this.#renew = setInterval(() => {
      this.#link.cmd.eval(RENEW, 1, this.#key, token, this.#lease).catch(reportLate('renewing a Lock lease'));
    }, Math.floor(this.#lease / 3));
    this.#renew.unref?.();
    return true;
  }

  /** Releases this agent's hold; `StateError` if it holds none. Sent at once, without waiting. */
  release(): void {
    const token = this.#token;
    if (token === undefined) throw new StateError('release() of a Lock this agent does not hold (over Redis a Lock is a lease: its holder releases it)');
    this.#token = undefined;
    clearInterval(this.#renew);
    this.#link.cmd.eval(RELEASE, 1, this.#key, token, this.#link.channel).catch(reportLate('Lock.release()'));
  }

  /** Over Redis there is no answer without waiting. */
  tryAcquire(): never {
    throw new StateError('Lock.tryAcquire() needs an answer from Redis; use await lock.acquire({ timeout: 0 })');
  }

  /** Runs `fn` holding the lock, releasing it after, however `fn` ends. */
  withLock<T>(fn: () => T | Promise<T>): Promise<T> {
    return withHeld(this, fn);
  }
}
