/**
 * `Value` on Redis: one number (or BigInt) under a key, kept to its type
 * (`'int32'` wraps as an Int32Array element would). Reading and writing need
 * an answer, so they are `await v.get()` and `await v.set(x)`; `v.value`
 * throws `StateError` naming them. `update(fn)` reads, computes and writes
 * under a Redis `Lock`, for read-modify-write across machines.
 */
import { StateError, type ValueType } from '@multiproc/core';
import { MARK, newId, type Mark } from './base.js';
import type { PrimLink } from './link.js';
import { RedisLock } from './lock.js';

type Num = number | bigint;

const ARRAYS: Record<ValueType, new (n: number) => { [i: number]: Num }> = {
  int8: Int8Array,
  uint8: Uint8Array,
  int16: Int16Array,
  uint16: Uint16Array,
  int32: Int32Array,
  uint32: Uint32Array,
  float32: Float32Array,
  float64: Float64Array,
  bigint64: BigInt64Array,
  biguint64: BigUint64Array,
};

/** A typed value shared by a Redis context's client and every worker host. */
export class RedisValue {
  readonly [MARK]: Mark;
  readonly #link: PrimLink;
  readonly #key: string;
  readonly #type: ValueType;
  readonly #initial: Num;
  readonly #lock: RedisLock;

  /** @internal Use the context's `Value`. */
  constructor(link: PrimLink, type: ValueType, initial: Num = 0, id = newId()) {
    if (typeof type !== 'string' || !Object.hasOwn(ARRAYS, type)) throw new TypeError(`Value type must be one of ${Object.keys(ARRAYS).join(', ')}, got ${String(type)}`);
    this.#type = type;
    this.#initial = this.#coerce(initial);
    this[MARK] = { kind: 'Value', id, arg: `${type}:${String(this.#initial)}` };
    this.#link = link;
    this.#key = link.key('value', id);
    this.#lock = new RedisLock(link, undefined, `${id}:lock`);
  }

  #coerce(v: unknown): Num {
    const big = this.#type === 'bigint64' || this.#type === 'biguint64';
    if (big ? typeof v !== 'bigint' : typeof v !== 'number') throw new TypeError(`A ${this.#type} Value holds ${big ? 'a bigint' : 'a number'}, got ${typeof v}`);
    const one = new ARRAYS[this.#type](1);
    one[0] = v as Num;
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
