/**
 * `Event` on Redis: a key that exists while the flag is set. `set()` and
 * `clear()` are sent at once without waiting; `wait()` returns as soon as the
 * flag is seen set.
 */
import { StateError } from '@multiproc/core';
import { checkTimeout, MARK, newId, reportLate, until, type Mark } from './base.js';
import type { PrimLink } from './link.js';

const SET = `redis.call('SET', KEYS[1], '1') redis.call('PUBLISH', ARGV[1], KEYS[1]) return 1`;

/**
 * An event shared by a Redis context's client and every worker host.
 *
 * @example
 * ```ts
 * const go = new mp.Event();
 * const r = pool.applyAsync('waitForGo', [go]);   // the task does: await go.wait()
 * go.set();
 * await r;
 * ```
 */
export class RedisEvent {
  readonly [MARK]: Mark;
  readonly #link: PrimLink;
  readonly #key: string;

  /** @internal Use the context's `Event`. */
  constructor(link: PrimLink, id = newId()) {
    this[MARK] = { kind: 'Event', id };
    this.#link = link;
    this.#key = link.key('event', id);
  }

  set(): void {
    this.#link.cmd.eval(SET, 1, this.#key, this.#link.channel).catch(reportLate('Event.set()'));
  }

  clear(): void {
    this.#link.cmd.del(this.#key).catch(reportLate('Event.clear()'));
  }

  /** `true` once the flag is set, `false` if `timeout` ms passed first. */
  async wait(options?: { timeout?: number }): Promise<boolean> {
    const timeout = checkTimeout(options, 'Event.wait');
    const seen = await until(this.#link, this.#key, timeout, async () => ((await this.#link.cmd.exists(this.#key)) === 1 ? true : undefined));
    return seen === true;
  }

  isSet(): never {
    throw new StateError('Event.isSet() needs an answer from Redis; use await event.wait({ timeout: 0 })');
  }
}
