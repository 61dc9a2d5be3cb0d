/**
 * `Queue`, `SimpleQueue` and `JoinableQueue` on Redis: a list of items in
 * core's codec text. `put` appends only while there is room (`maxsize`), `get`
 * takes the oldest; each change wakes the other side. A `JoinableQueue` counts
 * unfinished items in the same scripts, and `join()` waits for that count to
 * reach 0. Items may hold other Redis primitives: they come back as
 * primitives bound to the taker.
 */
import { decodeValueText, encodeValueText, QueueEmptyError, QueueFullError, StateError } from '@multiproc/core';
import { checkTimeout, MARK, newId, reportLate, until, type Mark } from './base.js';
import type { PrimLink } from './link.js';
import { revive } from './revive.js';

// KEYS: items, unfinished. ARGV: item, maxsize, channel, joinable (1/0).
const PUT = `if tonumber(ARGV[2]) > 0 and redis.call('LLEN', KEYS[1]) >= tonumber(ARGV[2]) then return 0 end
redis.call('RPUSH', KEYS[1], ARGV[1])
if ARGV[4] == '1' then redis.call('INCR', KEYS[2]) end
redis.call('PUBLISH', ARGV[3], KEYS[1]) return 1`;
// KEYS: items. ARGV: channel.
const GET = `local v = redis.call('LPOP', KEYS[1]) if v then redis.call('PUBLISH', ARGV[1], KEYS[1]) end return v`;
// KEYS: unfinished. ARGV: channel.
const TASK_DONE = `local n = tonumber(redis.call('GET', KEYS[1]) or '0') if n <= 0 then return -1 end
n = redis.call('DECR', KEYS[1]) if n == 0 then redis.call('PUBLISH', ARGV[1], KEYS[1]) end return n`;

/**
 * A FIFO queue shared by a Redis context's client and every worker host.
 *
 * @example
 * ```ts
 * const q = new mp.Queue<number>(100);
 * const done = pool.apply('produce', [q, 1_000]);   // the task does: await q.put(i)
 * for (let i = 0; i < 1_000; i++) await q.get();
 * await done;
 * ```
 */
export class RedisQueue<T = unknown> {
  readonly [MARK]: Mark;
  readonly #link: PrimLink;
  readonly #items: string;
  // Private, not a plain field: only the MARK field may be an own property (it is what travels).
  readonly #unfinished: string;
  readonly #maxsize: number;
  readonly #joinable: boolean;
  #closed = false;

  /** @internal Use the context's `Queue`. */
  constructor(link: PrimLink, maxsize = 0, id = newId(), kind = 'Queue') {
    if (typeof maxsize !== 'number' || !Number.isSafeInteger(maxsize)) throw new RangeError(`maxsize must be a whole number, got ${String(maxsize)}`);
    this[MARK] = { kind, id, arg: maxsize };
    this.#link = link;
    const key = link.key('queue', id);
    this.#items = `${key}:items`;
    this.#unfinished = `${key}:unfinished`;
    this.#maxsize = Math.max(0, maxsize);
    this.#joinable = kind === 'JoinableQueue';
  }

  get maxsize(): number {
    return this.#maxsize;
  }

  /** Appends `item`, waiting for room; `QueueFullError` if `timeout` ms pass first. */
  async put(item: T, options?: { timeout?: number }): Promise<void> {
    const timeout = checkTimeout(options, `${this[MARK].kind}.put`);
    this.#open();
    const text = encodeValueText(item);
    const put = await until(this.#link, this.#items, timeout, async () =>
      ((await this.#link.cmd.eval(PUT, 2, this.#items, this.#unfinished, text, this.#maxsize, this.#link.channel, this.#joinable ? '1' : '0')) as number) === 1 ? true : undefined,
    );
    if (put === undefined) throw new QueueFullError(`${this[MARK].kind} is full`);
  }

  /** Takes the oldest item, waiting for one; `QueueEmptyError` if `timeout` ms pass first. */
  async get(options?: { timeout?: number }): Promise<T> {
    const timeout = checkTimeout(options, `${this[MARK].kind}.get`);
    this.#open();
    const text = await until(this.#link, this.#items, timeout, async () => ((await this.#link.cmd.eval(GET, 1, this.#items, this.#link.channel)) as string | null) ?? undefined);
    if (text === undefined) throw new QueueEmptyError(`${this[MARK].kind} is empty`);
    return revive(decodeValueText(text), this.#link) as T;
  }

  putNowait(_item: T): never {
    throw new StateError(`${this[MARK].kind}.putNowait() needs an answer from Redis; use await queue.put(item, { timeout: 0 })`);
  }

  getNowait(): never {
    throw new StateError(`${this[MARK].kind}.getNowait() needs an answer from Redis; use await queue.get({ timeout: 0 })`);
  }

  qsize(): never {
    throw new StateError(`${this[MARK].kind}.qsize() needs an answer from Redis; use your own count`);
  }

  empty(): never {
    throw new StateError(`${this[MARK].kind}.empty() needs an answer from Redis; use await queue.get({ timeout: 0 }) and catch QueueEmptyError`);
  }

  full(): never {
    throw new StateError(`${this[MARK].kind}.full() needs an answer from Redis; use await queue.put(item, { timeout: 0 }) and catch QueueFullError`);
  }

  /** This agent puts and gets no more (others still can). */
  close(): void {
    this.#closed = true;
  }

  #open(): void {
    if (this.#closed) throw new StateError(`${this[MARK].kind} is closed`);
  }

  /** @internal */
  protected get link(): PrimLink {
    return this.#link;
  }

  /** @internal The key of a JoinableQueue's count of unfinished items. */
  protected get unfinished(): string {
    return this.#unfinished;
  }
}

/**
 * A queue without a bound, as Python's `SimpleQueue`.
 *
 * @example
 * ```ts
 * const log = new mp.SimpleQueue<string>();
 * await log.put('started');
 * console.log(await log.get({ timeout: 1_000 }));
 * ```
 */
export class RedisSimpleQueue<T = unknown> extends RedisQueue<T> {
  /** @internal Use the context's `SimpleQueue`. */
  constructor(link: PrimLink, id = newId()) {
    super(link, 0, id, 'SimpleQueue');
  }
}

/**
 * A queue whose `join()` waits until every item put was marked done with `taskDone()`.
 *
 * @example
 * ```ts
 * const jobs = new mp.JoinableQueue<string>();
 * await jobs.put('a');
 * // a worker task: const j = await jobs.get(); handle(j); jobs.taskDone();
 * await jobs.join();   // every item put was marked done
 * ```
 */
export class RedisJoinableQueue<T = unknown> extends RedisQueue<T> {
  /** @internal Use the context's `JoinableQueue`. */
  constructor(link: PrimLink, maxsize = 0, id = newId()) {
    super(link, maxsize, id, 'JoinableQueue');
  }

  /** One item taken is done; sent at once (a call too many is reported, as it cannot throw here). */
  taskDone(): void {
    this.link.cmd
      .eval(TASK_DONE, 1, this.unfinished, this.link.channel)
      .then((n) => {
        if ((n as number) < 0) console.error(new StateError('JoinableQueue.taskDone() called more times than there were items'));
      })
      .catch(reportLate('JoinableQueue.taskDone()'));
  }

  /** Waits until every item put has been marked done. */
  async join(): Promise<void> {
    await until(this.link, this.unfinished, undefined, async () => (Number((await this.link.cmd.get(this.unfinished)) ?? '0') <= 0 ? true : undefined));
  }
}
