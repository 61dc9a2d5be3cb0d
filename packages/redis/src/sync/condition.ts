/**
 * `Condition` on Redis, over a Redis `RLock` (or the `Lock`/`RLock` given).
 * A waiter puts its own ticket in a list, gives the lock back, and sleeps
 * until `notify(n)` moves its ticket to the set of woken ones (one script:
 * the first n tickets of the list); then it takes the lock again. A waiter
 * whose timeout passes takes its ticket out of the list, unless it was
 * woken meanwhile. Only waiters already waiting are woken, as in Python.
 */
import { StateError } from '@multiproc/core';
import { checkTimeout, MARK, newId, reportLate, until, withHeld, type Mark } from './base.js';
import type { PrimLink } from './link.js';
import { RedisLock } from './lock.js';
import { RedisRLock } from './rlock.js';

// KEYS: waiters, woken. ARGV: n, channel.
const NOTIFY = `local n = tonumber(ARGV[1]) local moved = 0
while moved < n do local t = redis.call('LPOP', KEYS[1]) if not t then break end redis.call('SADD', KEYS[2], t) moved = moved + 1 end
if moved > 0 then redis.call('PUBLISH', ARGV[2], KEYS[2]) end return moved`;
// KEYS: waiters, woken. ARGV: ticket, give up (1/0). 1: woken; 0: not yet (or given up).
const CHECK = `if redis.call('SREM', KEYS[2], ARGV[1]) == 1 then return 1 end
if ARGV[2] == '1' then redis.call('LREM', KEYS[1], 0, ARGV[1]) end return 0`;

/**
 * A condition variable shared by a Redis context's client and every worker host.
 *
 * @example
 * ```ts
 * const cond = new mp.Condition();
 * await cond.acquire();   // a consumer task: wait until there is stock
 * try { await cond.waitFor(async () => (await stock.get()) > 0, { timeout: 5_000 }); } finally { cond.release(); }
 * ```
 */
export class RedisCondition {
  readonly [MARK]: Mark;
  readonly #link: PrimLink;
  readonly #lock: RedisLock | RedisRLock;
  readonly #waiters: string;
  readonly #woken: string;

  /** @internal Use the context's `Condition`. */
  constructor(link: PrimLink, lock?: RedisLock | RedisRLock, id = newId()) {
    if (lock !== undefined && !(lock instanceof RedisLock) && !(lock instanceof RedisRLock)) throw new TypeError('Condition(lock): lock must be a Lock or RLock of a Redis context');
    this.#lock = lock ?? new RedisRLock(link, undefined, `${id}:lock`);
    this[MARK] = { kind: 'Condition', id, arg: this.#lock instanceof RedisRLock ? `R${this.#lock[MARK].id}` : `L${this.#lock[MARK].id}` };
    this.#link = link;
    const key = link.key('condition', id);
    this.#waiters = `${key}:waiters`;
    this.#woken = `${key}:woken`;
  }

  acquire(options?: { timeout?: number }): Promise<boolean> {
    return this.#lock.acquire(options);
  }

  release(): void {
    this.#lock.release();
  }

  /** Runs `fn` holding the condition's lock, releasing it after, however `fn` ends. */
  withLock<T>(fn: () => T | Promise<T>): Promise<T> {
    return withHeld(this, fn);
  }

  #held(): boolean {
    return this.#lock.fence > 0;
  }

  /** Gives the lock back, sleeps until notified (`true`) or `timeout` ms pass (`false`), then holds the lock again. */
  async wait(options?: { timeout?: number }): Promise<boolean> {
    const timeout = checkTimeout(options, 'Condition.wait');
    if (!this.#held()) throw new StateError('Condition.wait() needs the condition\'s lock held by this agent');
    const ticket = newId();
    await this.#link.cmd.rpush(this.#waiters, ticket);
    const depth = this.#lock instanceof RedisRLock ? this.#lock.depth : 1;
    for (let i = 0; i < depth; i++) this.#lock.release();
    let woken: boolean;
    try {
      const seen = await until(this.#link, this.#woken, timeout, async () => (((await this.#link.cmd.eval(CHECK, 2, this.#waiters, this.#woken, ticket, '0')) as number) === 1 ? true : undefined));
      // Timed out: leave the list, unless a notify took this ticket in the meantime.
      woken = seen === true || ((await this.#link.cmd.eval(CHECK, 2, this.#waiters, this.#woken, ticket, '1')) as number) === 1;
    } finally {
      await this.#lock.acquire();
      for (let i = 1; i < depth; i++) await this.#lock.acquire();
    }
    return woken;
  }

  /** Waits until `predicate()` is truthy (checked first, and after each wake-up); its last value. */
  async waitFor<T>(predicate: () => T | Promise<T>, options?: { timeout?: number }): Promise<T> {
    const timeout = checkTimeout(options, 'Condition.waitFor');
    const deadline = timeout === undefined ? Number.POSITIVE_INFINITY : performance.now() + timeout;
    let result = await predicate();
    while (!result) {
      const left = deadline - performance.now();
      if (left <= 0) break;
      await this.wait(left === Number.POSITIVE_INFINITY ? undefined : { timeout: left });
      result = await predicate();
    }
    return result;
  }

  /** Wakes up to `n` waiters; needs the lock held. Sent at once. */
  notify(n = 1): void {
    if (typeof n !== 'number' || !(n >= 0)) throw new RangeError(`notify(n): n must be 0 or more, got ${String(n)}`);
    if (!this.#held()) throw new StateError('Condition.notify() needs the condition\'s lock held by this agent');
    this.#link.cmd.eval(NOTIFY, 2, this.#waiters, this.#woken, Math.min(n, 2 ** 31), this.#link.channel).catch(reportLate('Condition.notify()'));
  }

  notifyAll(): void {
    this.notify(2 ** 31);
  }
}
