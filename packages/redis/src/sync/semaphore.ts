/**
 * `Semaphore` on Redis: a counter that starts at its initial value (set when
 * first used), taken one at a time by a script that only takes it while it is
 * above 0, given back by `release(n)` at once without waiting.
 */
import { StateError } from '@multiproc/core';
import { checkTimeout, MARK, newId, reportLate, until, type Mark } from './base.js';
import type { PrimLink } from './link.js';

const ACQUIRE = `local v = tonumber(redis.call('GET', KEYS[1]) or ARGV[1]) if v > 0 then redis.call('SET', KEYS[1], v - 1) return 1 end return 0`;
// ARGV: initial, n, channel, bound (0: none).
const RELEASE = `local v = tonumber(redis.call('GET', KEYS[1]) or ARGV[1]) + tonumber(ARGV[2])
if tonumber(ARGV[4]) > 0 and v > tonumber(ARGV[4]) then return -1 end
redis.call('SET', KEYS[1], v) redis.call('PUBLISH', ARGV[3], KEYS[1]) return 1`;

/**
 * A semaphore shared by a Redis context's client and every worker host.
 *
 * @example
 * ```ts
 * const apiCalls = new mp.Semaphore(5);   // at most five tasks call the API at once, across machines
 * await apiCalls.acquire();
 * try { await fetch(api); } finally { apiCalls.release(); }
 * ```
 */
export class RedisSemaphore {
  readonly [MARK]: Mark;
  readonly #link: PrimLink;
  readonly #key: string;
  readonly #initial: number;

  readonly #bounded: boolean;

  /** @internal Use the context's `Semaphore`. */
  constructor(link: PrimLink, value = 1, id = newId(), kind = 'Semaphore') {
    if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) throw new RangeError(`${kind} value must be a whole number, 0 or more, got ${String(value)}`);
    this[MARK] = { kind, id, arg: value };
    this.#bounded = kind === 'BoundedSemaphore';
    this.#link = link;
    this.#key = link.key('semaphore', id);
    this.#initial = value;
  }

  /** `true` once one unit is taken, `false` if `timeout` ms passed first. */
  async acquire(options?: { timeout?: number }): Promise<boolean> {
    const timeout = checkTimeout(options, 'Semaphore.acquire');
    const got = await until(this.#link, this.#key, timeout, async () => (((await this.#link.cmd.eval(ACQUIRE, 1, this.#key, this.#initial)) as number) === 1 ? true : undefined));
    return got === true;
  }

  /** Gives back `n` units, sent at once without waiting. */
  release(n = 1): void {
    if (typeof n !== 'number' || !Number.isSafeInteger(n) || n < 1) throw new RangeError(`release(n): n must be a whole number, 1 or more, got ${String(n)}`);
    const kind = this[MARK].kind;
    this.#link.cmd
      .eval(RELEASE, 1, this.#key, this.#initial, n, this.#link.channel, this.#bounded ? this.#initial : 0)
      .then((r) => {
        // Sent without waiting, so it cannot throw: a release past the bound changes nothing and is reported.
        if ((r as number) < 0) console.error(new RangeError(`${kind}.release(${n}) would go past its initial value ${this.#initial}; nothing was released`));
      })
      .catch(reportLate(`${kind}.release()`));
  }

  tryAcquire(): never {
    throw new StateError('Semaphore.tryAcquire() needs an answer from Redis; use await semaphore.acquire({ timeout: 0 })');
  }

  getValue(): never {
    throw new StateError('Semaphore.getValue() needs an answer from Redis; use your own count');
  }
}

/**
 * A semaphore whose releases never take it past its initial value (one that would is reported and ignored).
 *
 * @example
 * ```ts
 * const slots = new mp.BoundedSemaphore(2);
 * if (await slots.acquire({ timeout: 1_000 })) { try { await call(); } finally { slots.release(); } }
 * ```
 */
export class RedisBoundedSemaphore extends RedisSemaphore {
  /** @internal Use the context's `BoundedSemaphore`. */
  constructor(link: PrimLink, value = 1, id = newId()) {
    super(link, value, id, 'BoundedSemaphore');
  }
}
