/**
 * `Barrier` on Redis: parties arrive through one script that counts them in
 * the current generation; the last one starts the next generation and wakes
 * the rest. A party whose timeout passes breaks the barrier, and every
 * waiter, and every later `wait()`, gets `BrokenBarrierError` until `reset()`.
 * `abort()` breaks it at once.
 */
import { BrokenBarrierError, StateError } from '@multiproc/core';
import { checkTimeout, MARK, newId, reportLate, until, type Mark } from './base.js';
import type { PrimLink } from './link.js';

// KEYS: count, gen, broken. ARGV: parties, channel. Returns {index, gen}, or {-1, gen} when broken.
const ARRIVE = `local gen = tonumber(redis.call('GET', KEYS[2]) or '0')
if redis.call('EXISTS', KEYS[3]) == 1 then return {-1, gen} end
local count = redis.call('INCR', KEYS[1])
if count >= tonumber(ARGV[1]) then redis.call('SET', KEYS[1], 0) redis.call('INCR', KEYS[2]) redis.call('PUBLISH', ARGV[2], KEYS[2]) end
return {count - 1, gen}`;
// KEYS: gen, broken, resets. ARGV: gen. 1: passed; -1: broken (or reset while waiting); 0: still waiting.
const CHECK = `if tonumber(redis.call('GET', KEYS[1]) or '0') ~= tonumber(ARGV[1]) then
  if redis.call('SISMEMBER', KEYS[3], ARGV[1]) == 1 then return -1 end return 1 end
if redis.call('EXISTS', KEYS[2]) == 1 then return -1 end return 0`;
// KEYS: count, broken, gen. ARGV: channel.
const BREAK = `redis.call('SET', KEYS[2], '1') redis.call('SET', KEYS[1], 0) redis.call('PUBLISH', ARGV[1], KEYS[3]) return 1`;
// KEYS: count, broken, gen, resets. ARGV: channel. The generation waited on is marked reset: its waiters break.
const RESET = `redis.call('SADD', KEYS[4], tonumber(redis.call('GET', KEYS[3]) or '0'))
redis.call('DEL', KEYS[2]) redis.call('SET', KEYS[1], 0) redis.call('INCR', KEYS[3]) redis.call('PUBLISH', ARGV[1], KEYS[3]) return 1`;

/**
 * Options of a Redis `Barrier`.
 *
 * @example
 * ```ts
 * const b = new mp.Barrier(4, { timeout: 10_000 });   // wait() breaks the barrier after 10 s
 * ```
 */
export interface RedisBarrierOptions {
  /** The default timeout of `wait()` (ms). */
  readonly timeout?: number;
}

/**
 * A barrier shared by a Redis context's client and every worker host.
 *
 * @example
 * ```ts
 * const start = new mp.Barrier(3, { timeout: 30_000 });
 * // in each of three tasks: const i = await start.wait();   // all three go on together
 * ```
 */
export class RedisBarrier {
  readonly [MARK]: Mark;
  // Private with a getter: only the MARK field may be an own property (it is what travels).
  readonly #parties: number;
  readonly #link: PrimLink;
  readonly #count: string;
  readonly #gen: string;
  readonly #broken: string;
  readonly #resets: string;
  readonly #timeout: number | undefined;

  /** @internal Use the context's `Barrier`. */
  constructor(link: PrimLink, parties: number, options?: RedisBarrierOptions, id = newId()) {
    if (typeof parties !== 'number' || !Number.isSafeInteger(parties) || parties < 1) throw new RangeError(`Barrier parties must be a whole number, 1 or more, got ${String(parties)}`);
    this.#timeout = checkTimeout(options, 'Barrier');
    this.#parties = parties;
    this[MARK] = { kind: 'Barrier', id, arg: this.#timeout === undefined ? `${parties}` : `${parties}:${this.#timeout}` };
    this.#link = link;
    const key = link.key('barrier', id);
    this.#count = `${key}:count`;
    this.#gen = `${key}:gen`;
    this.#broken = `${key}:broken`;
    this.#resets = `${key}:resets`;
  }

  /** How many parties pass together. */
  get parties(): number {
    return this.#parties;
  }

  /** Waits for all parties; this party's index (0 to parties − 1). `BrokenBarrierError` if broken, or on timeout (which breaks it). */
  async wait(options?: { timeout?: number }): Promise<number> {
    const timeout = checkTimeout(options, 'Barrier.wait') ?? this.#timeout;
    const [index, gen] = (await this.#link.cmd.eval(ARRIVE, 3, this.#count, this.#gen, this.#broken, this.#parties, this.#link.channel)) as [number, number];
    if (index < 0) throw new BrokenBarrierError('The barrier is broken');
    if (index === this.#parties - 1) return index;
    const outcome = await until(this.#link, this.#gen, timeout, async () => {
      const r = (await this.#link.cmd.eval(CHECK, 3, this.#gen, this.#broken, this.#resets, gen)) as number;
      return r === 0 ? undefined : r;
    });
    if (outcome === 1) return index;
    if (outcome === undefined) await this.#link.cmd.eval(BREAK, 3, this.#count, this.#broken, this.#gen, this.#link.channel);
    throw new BrokenBarrierError(outcome === undefined ? 'The barrier timed out and is now broken' : 'The barrier is broken');
  }

  /** Breaks the barrier: waiters and later `wait()`s get `BrokenBarrierError` until `reset()`. Sent at once. */
  abort(): void {
    this.#link.cmd.eval(BREAK, 3, this.#count, this.#broken, this.#gen, this.#link.channel).catch(reportLate('Barrier.abort()'));
  }

  /** Back to its first state; parties waiting now get `BrokenBarrierError`. Waits for Redis. */
  async reset(): Promise<void> {
    await this.#link.cmd.eval(RESET, 4, this.#count, this.#broken, this.#gen, this.#resets, this.#link.channel);
  }

  get nWaiting(): never {
    throw new StateError('Barrier.nWaiting needs an answer from Redis; use your own count');
  }

  get broken(): never {
    throw new StateError('Barrier.broken needs an answer from Redis; use await barrier.wait() and catch BrokenBarrierError');
  }
}
