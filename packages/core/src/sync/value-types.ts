/**
 * The numeric types of `Value` and `SharedArray`, Python's typecodes spelled
 * as typed arrays: `'int32'` is `'i'`, `'float64'` is `'d'`, `'bigint64'` is
 * `'q'` (its values are BigInts). Values are checked as Python checks them:
 * a fraction for an integer type is a TypeError (SEMANTICS V06), while an
 * integer out of range wraps, as the typed array does.
 */
import { show } from '../util/validate.js';

/**
 * The typed array of each `Value`/`SharedArray` type, for runtimes that keep values elsewhere (Redis).
 *
 * @example
 * ```ts
 * const one = new VALUE_TYPES.int8(1); one[0] = 200; // -56
 * ```
 */
export const VALUE_TYPES = {
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
} as const;

/**
 * A `Value`/`SharedArray` element type.
 *
 * @example
 * ```ts
 * const kind: ValueType = 'int32';
 * const counter = new Value(kind, 0);
 * ```
 */
export type ValueType = keyof typeof VALUE_TYPES;

/**
 * The JavaScript type of one element: bigint for the 64-bit integer types, number otherwise.
 *
 * @example
 * ```ts
 * const big: ValueOf<'bigint64'> = 1n;
 * const small: ValueOf<'int32'> = 1;
 * ```
 */
export type ValueOf<K extends ValueType> = K extends 'bigint64' | 'biguint64' ? bigint : number;

/**
 * The typed array of a type: `Int32Array` for `'int32'`... (over shared memory, or local memory where there is none).
 *
 * @example
 * ```ts
 * const arr = new SharedArray('float64', 1024);
 * const view: TypedArrayOf<'float64'> = arr.array;   // Float64Array
 * ```
 */
export type TypedArrayOf<K extends ValueType> = {
  int8: Int8Array<ArrayBufferLike>;
  uint8: Uint8Array<ArrayBufferLike>;
  int16: Int16Array<ArrayBufferLike>;
  uint16: Uint16Array<ArrayBufferLike>;
  int32: Int32Array<ArrayBufferLike>;
  uint32: Uint32Array<ArrayBufferLike>;
  float32: Float32Array<ArrayBufferLike>;
  float64: Float64Array<ArrayBufferLike>;
  bigint64: BigInt64Array<ArrayBufferLike>;
  biguint64: BigUint64Array<ArrayBufferLike>;
}[K];

/**
 * A `Value`/`SharedArray` type, checked: `TypeError` naming the types otherwise.
 *
 * @example
 * ```ts
 * checkType('int32', 'Value'); // 'int32'
 * ```
 */
export function checkType(type: unknown, what: string): ValueType {
  if (typeof type !== 'string' || !Object.hasOwn(VALUE_TYPES, type)) {
    throw new TypeError(`${what}: unknown type ${show(type)}; expected one of ${Object.keys(VALUE_TYPES).join(', ')}`);
  }
  return type as ValueType;
}

/**
 * Checks one element for `type` (a bigint for the 64-bit integer types, an integer for the other
 * integer types, SEMANTICS V06); returns it.
 *
 * @example
 * ```ts
 * checkElement('int32', 1.5, 'value'); // TypeError
 * ```
 */
export function checkElement(type: ValueType, v: unknown, what: string): number | bigint {
  if (type === 'bigint64' || type === 'biguint64') {
    if (typeof v !== 'bigint') throw new TypeError(`${what} must be a bigint for type ${type}, got ${show(v)}`);
    return v;
  }
  if (typeof v !== 'number') throw new TypeError(`${what} must be a number for type ${type}, got ${show(v)}`);
  if (type !== 'float32' && type !== 'float64' && !Number.isInteger(v)) throw new TypeError(`${what} must be an integer for type ${type}, got ${v}`);
  return v;
}

/** An element view of `type` over `buffer`. */
export function viewOf(type: ValueType, buffer: ArrayBufferLike, length: number): { [i: number]: number | bigint; set(a: ArrayLike<number | bigint>): void } {
  const C = VALUE_TYPES[type] as unknown as new (b: ArrayBufferLike, offset: number, length: number) => { [i: number]: number | bigint; set(a: ArrayLike<number | bigint>): void };
  return new C(buffer, 0, length);
}
