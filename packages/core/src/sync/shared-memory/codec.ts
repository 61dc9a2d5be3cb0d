/**
 * The byte codec of shared queues: structured data to bytes and back, in
 * JavaScript, fast for the small items queues mostly carry. It follows
 * structured clone: primitives, strings, BigInts, arrays, plain objects (a
 * class instance travels as its own enumerable fields), Date, RegExp, Map,
 * Set, ArrayBuffer, typed arrays, DataView, errors, boxed primitives, shared
 * and cyclic references. It refuses, at once, what structured clone refuses
 * (functions, symbols, WeakMap, Promise...) and what would share memory
 * unseen (a SharedArrayBuffer: use a SharedArray) or cannot be copied by
 * value (MessagePort, Blob). Array holes and extra array properties are not
 * kept.
 *
 * Synchronization primitives inside an item are written as references by id
 * (see `transport/refs.ts`). An encoded item is `[u32 length][u8 flags][refs][value]`:
 * the refs (a count and the ids, only with HAS_REFS) come first so a consumer
 * can check them before taking the item; HAS_BACKREFS tells the decoder
 * whether it must remember the objects it makes.
 */
import { EncodingError } from '../../errors.js';
import { isLive } from '../transport/handle.js';
import type { Primitive } from '../primitive.js';
import { standardErrors } from '../../util/standard-errors.js';

const T_UNDEF = 0, T_NULL = 1, T_FALSE = 2, T_TRUE = 3, T_INT = 4, T_F64 = 5, T_STR1 = 6, T_STR2 = 7, T_BIGINT = 8;
const T_ARRAY = 9, T_OBJECT = 10, T_DATE = 11, T_REGEXP = 12, T_MAP = 13, T_SET = 14, T_ABUF = 15, T_VIEW = 16;
const T_ERROR = 17, T_BACKREF = 18, T_REF = 19, T_BOXED = 20;

type ViewCtor = new (buffer: ArrayBuffer, byteOffset: number, length: number) => ArrayBufferView;
const VIEWS: ViewCtor[] = [
  DataView as unknown as ViewCtor, Int8Array, Uint8Array, Uint8ClampedArray, Int16Array, Uint16Array, Int32Array, Uint32Array,
  Float32Array, Float64Array, BigInt64Array, BigUint64Array,
];

/** Bytes before the value: the u32 length. */
export const LEN_BYTES = 4;

/** Flags byte, first of the payload. */
export const HAS_REFS = 1;
export const HAS_BACKREFS = 2;

let buf = new Uint8Array(1024);
let view = new DataView(buf.buffer);
let pos = 0;
// Objects seen so far, for shared and cyclic references: a short list first, a Map past 16.
const seenList: object[] = [];
let memo: Map<object, number> | null = null;
let objects = 0;
let backrefs = false;
let refs: Primitive[] = [];

function seenIndex(v: object): number {
  if (memo !== null) return memo.get(v) ?? -1;
  for (let i = 0; i < seenList.length; i++) if (seenList[i] === v) return i;
  return -1;
}

function remember(v: object): void {
  if (memo !== null) memo.set(v, objects);
  else {
    seenList.push(v);
    if (seenList.length > 16) memo = new Map(seenList.map((o, i) => [o, i]));
  }
  objects++;
}

function ensure(n: number): void {
  if (pos + n <= buf.length) return;
  let size = buf.length * 2;
  while (size < pos + n) size *= 2;
  const next = new Uint8Array(size);
  next.set(buf.subarray(0, pos));
  buf = next;
  view = new DataView(buf.buffer);
}

function varint(n: number): void {
  ensure(5);
  while (n >= 0x80) {
    buf[pos++] = (n & 0x7f) | 0x80;
    n >>>= 7;
  }
  buf[pos++] = n;
}

function str(s: string): void {
  const n = s.length;
  ensure(6 + n * 2);
  const tagAt = pos;
  buf[pos++] = T_STR1;
  varint(n);
  const start = pos;
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c > 0xff) {
      buf[tagAt] = T_STR2;
      pos = start;
      for (let j = 0; j < n; j++) {
        const d = s.charCodeAt(j);
        buf[pos++] = d & 0xff;
        buf[pos++] = d >>> 8;
      }
      return;
    }
    buf[pos++] = c;
  }
}

function bytes(src: Uint8Array): void {
  varint(src.length);
  ensure(src.length);
  buf.set(src, pos);
  pos += src.length;
}

function refuse(what: string): never {
  throw new EncodingError(`A queue item cannot hold ${what} (it could not be cloned)`);
}

function isShared(b: ArrayBufferLike): boolean {
  return typeof SharedArrayBuffer === 'function' && b instanceof SharedArrayBuffer;
}

function value(v: unknown): void {
  switch (typeof v) {
    case 'number':
      ensure(9);
      if ((v | 0) === v && !Object.is(v, -0)) {
        buf[pos++] = T_INT;
        view.setInt32(pos, v, true);
        pos += 4;
      } else {
        buf[pos++] = T_F64;
        view.setFloat64(pos, v, true);
        pos += 8;
      }
      return;
    case 'string':
      return str(v);
    case 'boolean':
      ensure(1);
      buf[pos++] = v ? T_TRUE : T_FALSE;
      return;
    case 'undefined':
      ensure(1);
      buf[pos++] = T_UNDEF;
      return;
    case 'bigint':
      ensure(1);
      buf[pos++] = T_BIGINT;
      return str(v.toString(16));
    case 'object':
      if (v === null) {
        ensure(1);
        buf[pos++] = T_NULL;
        return;
      }
      return object(v);
    default:
      return refuse(`a ${typeof v}`);
  }
}

function object(v: object): void {
  if (isLive(v)) {
    let i = refs.indexOf(v);
    if (i < 0) i = refs.push(v) - 1;
    ensure(1);
    buf[pos++] = T_REF;
    return varint(i);
  }
  const seen = seenIndex(v);
  if (seen >= 0) {
    backrefs = true;
    ensure(1);
    buf[pos++] = T_BACKREF;
    return varint(seen);
  }
  remember(v);
  ensure(1);
  if (Array.isArray(v)) {
    buf[pos++] = T_ARRAY;
    const n = v.length;
    varint(n);
    for (let i = 0; i < n; i++) value(v[i]);
    return;
  }
  const proto = Object.getPrototypeOf(v) as object | null;
  if (proto === Object.prototype || proto === null) return plain(v);
  if (v instanceof Date) {
    buf[pos++] = T_DATE;
    ensure(8);
    view.setFloat64(pos, v.getTime(), true);
    pos += 8;
    return;
  }
  if (ArrayBuffer.isView(v)) {
    if (isShared(v.buffer)) refuse('a view of a SharedArrayBuffer (use a SharedArray)');
    const kind = VIEWS.findIndex((C) => v instanceof C);
    if (kind < 0) refuse(`a ${v.constructor.name}`);
    buf[pos++] = T_VIEW;
    ensure(1);
    buf[pos++] = kind;
    return bytes(new Uint8Array(v.buffer, v.byteOffset, v.byteLength));
  }
  if (v instanceof ArrayBuffer) {
    buf[pos++] = T_ABUF;
    return bytes(new Uint8Array(v));
  }
  if (v instanceof Map) {
    buf[pos++] = T_MAP;
    varint(v.size);
    for (const [k, x] of v) {
      value(k);
      value(x);
    }
    return;
  }
  if (v instanceof Set) {
    buf[pos++] = T_SET;
    varint(v.size);
    for (const x of v) value(x);
    return;
  }
  if (v instanceof RegExp) {
    buf[pos++] = T_REGEXP;
    str(v.source);
    return str(v.flags);
  }
  if (v instanceof Error) {
    buf[pos++] = T_ERROR;
    str(typeof v.name === 'string' && standardErrors.has(v.name) ? v.name : 'Error');
    str(String(v.message));
    value(typeof v.stack === 'string' ? v.stack : undefined);
    return value('cause' in v ? v.cause : undefined);
  }
  if (v instanceof Boolean || v instanceof Number || v instanceof String || (typeof BigInt === 'function' && v instanceof BigInt)) {
    buf[pos++] = T_BOXED;
    return value(v.valueOf());
  }
  if (isShared(v as ArrayBufferLike)) refuse('a SharedArrayBuffer (use a SharedArray)');
  if (v instanceof Promise || v instanceof WeakMap || v instanceof WeakSet || (typeof WeakRef === 'function' && v instanceof WeakRef)) refuse(`a ${v.constructor.name}`);
  const ctor = (v as { constructor?: { name?: string } }).constructor?.name;
  if (ctor === 'MessagePort' || ctor === 'Blob' || ctor === 'File' || ctor === 'ImageBitmap' || ctor === 'OffscreenCanvas') refuse(`a ${ctor}`);
  return plain(v);
}

function plain(v: object): void {
  buf[pos++] = T_OBJECT;
  const keys = Object.keys(v);
  varint(keys.length);
  for (const k of keys) {
    str(k);
    value((v as Record<string, unknown>)[k]);
  }
}

/**
 * Encodes `item`. Returns the bytes (`[u32 length][refs][value]`, valid until
 * the next encode) and the primitives it references, in ref order. Throws
 * `EncodingError` for what cannot be copied.
 */
export function encodeItem(item: unknown, refIds: (p: Primitive) => string): Uint8Array {
  pos = LEN_BYTES + 1;
  objects = 0;
  backrefs = false;
  if (refs.length > 0) refs = [];
  try {
    value(item);
  } catch (err) {
    if (err instanceof EncodingError) throw err;
    throw new EncodingError(`A queue item could not be encoded: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
  } finally {
    seenList.length = 0;
    memo = null;
  }
  const flags = (backrefs ? HAS_BACKREFS : 0) | (refs.length > 0 ? HAS_REFS : 0);
  let out = buf.subarray(0, pos);
  if (refs.length > 0) {
    const body = out.slice(LEN_BYTES + 1);
    const found = refs;
    refs = [];
    pos = LEN_BYTES + 1;
    varint(found.length);
    for (const p of found) str(refIds(p));
    ensure(body.length);
    buf.set(body, pos);
    pos += body.length;
    out = buf.subarray(0, pos);
  }
  buf[LEN_BYTES] = flags;
  view.setUint32(0, pos - LEN_BYTES, true);
  return out;
}

export { decodeItem, hasRefs, readRefIds } from './codec-read.js';
