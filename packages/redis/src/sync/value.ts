/**
 * `Value` on Redis: one number (or BigInt) under a key, kept to its type
 * (`'int32'` wraps as an Int32Array element would). Reading and writing need
 * an answer, so they are `await v.get()` and `await v.set(x)`; `v.value`
 * throws `StateError` naming them. `update(fn)` reads, computes and writes
 * under a Redis `Lock`, for read-modify-write across machines.
 */
import { checkValueElement, checkValueType, StateError, VALUE_TYPES, type ValueType } from '@multiproc/core';
import { MARK, newId, type Mark } from './base.js';
import type { PrimLink } from './link.js';
import { RedisLock } from './lock.js';

type Num = number | bigint;

/**
 * A typed value shared by a Redis context's client and every worker host.
 *
 * @example
 * ```ts
 * const hits = new mp.Value('int32', 0);
 * await hits.update((n) => n + 1);   // atomic across the client and every host
 * console.log(await hits.get());
 * ```
 */
export class RedisValue {
  readonly [MARK]: Mark;
  readonly #link: PrimLink;
  readonly #key: string;
  readonly #type: ValueType;
  readonly #initial: Num;
  readonly #lock: RedisLock;

  /** @internal Use the context's `Value`. */
  constructor(link: PrimLink, type: ValueType, initial: Num = 0, id = newId()) {
    this.#type = checkValueType(type, 'Value');
    this.#initial = this.#coerce(initial);
    this[MARK] = { kind: 'Value', id, arg: `${type}:${String(this.#initial)}` };
    this.#link = link;
    this.#key = link.key('value', id);
    this.#lock = new RedisLock(link, undefined, `${id}:lock`);
  }

  /** Checked as core's Value checks it, then wrapped as its typed array would. */
  #coerce(v: unknown): Num {
    const one = new VALUE_TYPES[this.#type](1) as unknown as { [i: number]: Num };
    one[0] = checkValueElement(this.#type, v, 'a Value element');
    return one[0];
  }

  #parse(text: string | null): Num {
    if (text === null) return this.#initial;
    return this.#type === 'bigint64' || this.#type === 'biguint64' ? BigInt(text) : Number(text);
  }

  async get(): Promise<Num> {
    return this.#parse(await this.#link.cmd.get(this.#key));
  }

  async set(v: Num): Promise<void> {
    await this.#link.cmd.set(this.#key, String(this.#coerce(v)));
  }

  /** Reads, applies `fn` and writes back, holding the Value's lock; resolves with what was written. */
  async update(fn: (v: Num) => Num): Promise<Num> {
    return this.#lock.withLock(async () => {
      const next = this.#coerce(fn(await this.get()));
      await this.#link.cmd.set(this.#key, String(next));
      return next;
    });
  }

  get value(): never {
    throw new StateError('Value.value needs an answer from Redis; use await v.get() and await v.set(x)');
  }

  set value(_v: Num) {
    throw new StateError('Value.value needs an answer from Redis; use await v.get() and await v.set(x)');
  }

  /** The lock `update` holds. */
  getLock(): RedisLock {
    return this.#lock;
  }
}
