/**
 * `SharedArray`: Python's `multiprocessing.Array`, a typed array in shared
 * memory (SEMANTICS V07–V09). `.array` is the live view: index it, `set()`
 * into it, iterate it; every agent sees the same elements. Out-of-range
 * reads give `undefined` and writes are ignored, as on any typed array.
 * Like `Value`, it needs shared memory to travel (see value.ts).
 */
import { StateError } from '../errors.js';
import { show } from '../util/validate.js';
import type { Lock } from './lock.js';
import { initialHandle, type NoOps, Primitive, unknownOp } from './primitive.js';
import { defineKind } from './transport/kinds.js';
import type { RLock } from './rlock.js';
import { lockOption, type SharedValueOptions } from './value.js';
import { checkElement, checkType, VALUE_TYPES, viewOf, type TypedArrayOf, type ValueOf, type ValueType } from './value-types.js';

interface ArrayExtra {
  readonly type: ValueType;
  readonly length: number;
  readonly lock: Lock | RLock | null;
}

const KIND = defineKind('shared-array', { revive: (x) => new SharedArray(x.type as ValueType, x.length as number) });


/**
 * A fixed-length typed array shared by every agent it is passed to.
 *
 * @example
 * ```ts
 * const sums = new SharedArray('float64', 4);
 * await pool.starmap('fillRow', [[sums, 0], [sums, 1], [sums, 2], [sums, 3]]);
 * console.log([...sums.array]);
 * ```
 */
export class SharedArray<K extends ValueType = ValueType> extends Primitive<NoOps> {
  readonly #view: TypedArrayOf<K>;
  readonly #x: ArrayExtra;

  constructor(type: K, lengthOrValues: number | Iterable<ValueOf<K>> | ArrayLike<ValueOf<K>>, options?: SharedValueOptions) {
    const t = checkType(type, 'SharedArray');
    let values: (number | bigint)[] | undefined;
    let length: number;
    if (typeof lengthOrValues === 'number') {
      if (!Number.isInteger(lengthOrValues) || lengthOrValues < 0) throw new RangeError(`SharedArray length must be a non-negative integer, got ${lengthOrValues}`);
      length = lengthOrValues;
    } else if (lengthOrValues !== null && typeof lengthOrValues === 'object') {
      const list = Array.from(lengthOrValues as ArrayLike<unknown>);
      values = list.map((v, i) => checkElement(t, v, `SharedArray value [${i}]`));
      length = values.length;
    } else {
      throw new TypeError(`SharedArray needs a length or the values, got ${show(lengthOrValues)}`);
    }
    const bytes = Math.max(8, length * VALUE_TYPES[t].BYTES_PER_ELEMENT);
    const h = initialHandle(
      KIND,
      bytes,
      [],
      () => ({ type: t, length, lock: lockOption(options, 'SharedArray') }),
      (s) => {
        if (values !== undefined) viewOf(t, s, length).set(values);
      },
      false,
    );
    super(h);
    this.#x = h.x as ArrayExtra;
    this.#view = viewOf(this.#x.type, h.s as ArrayBufferLike, this.#x.length) as unknown as TypedArrayOf<K>;
  }

  /** The live typed-array view over the shared elements. */
  get array(): TypedArrayOf<K> {
    return this.#view;
  }

  /** The number of elements. */
  get length(): number {
    return this.#x.length;
  }

  /** The element type. */
  get type(): K {
    return this.#x.type as K;
  }

  /**
   * The lock that guards multi-element updates; throws `StateError` for one made with `{ lock: false }`.
   *
   * @example
   * ```ts
   * await arr.getLock().withLock(() => arr.array.reverse());
   * ```
   */
  getLock(): Lock | RLock {
    if (this.#x.lock === null) throw new StateError('this SharedArray was made with { lock: false } and has no lock');
    return this.#x.lock;
  }

  /** @internal */
  override get _sharedOnly(): boolean {
    return true;
  }

  /** @internal */
  protected _run(op: never): unknown {
    return unknownOp('SharedArray', op);
  }
}
