/**
 * The decoding half of the queue codec (see `codec.ts` for the format).
 * Reads from a local, non-shared copy of an item's bytes.
 */
import type { Primitive } from '../primitive.js';
import { standardErrors } from '../../util/standard-errors.js';

const T_UNDEF = 0, T_NULL = 1, T_FALSE = 2, T_TRUE = 3, T_INT = 4, T_F64 = 5, T_STR1 = 6, T_STR2 = 7, T_BIGINT = 8;
const T_ARRAY = 9, T_OBJECT = 10, T_DATE = 11, T_REGEXP = 12, T_MAP = 13, T_SET = 14, T_ABUF = 15, T_VIEW = 16;
const T_ERROR = 17, T_BACKREF = 18, T_REF = 19, T_BOXED = 20;

type ViewCtor = new (buffer: ArrayBuffer, byteOffset?: number, length?: number) => ArrayBufferView;
const VIEWS: ViewCtor[] = [
  DataView as unknown as ViewCtor, Int8Array, Uint8Array, Uint8ClampedArray, Int16Array, Uint16Array, Int32Array, Uint32Array,
  Float32Array, Float64Array, BigInt64Array, BigUint64Array,
];

const HAS_REFS = 1;
const HAS_BACKREFS = 2;

let b: Uint8Array = new Uint8Array(0);
let p = 0;
let objects: unknown[] = [];
let track = false;
let resolved: readonly Primitive[] = [];
const utf16 = typeof TextDecoder === 'function' ? new TextDecoder('utf-16le') : undefined;
// Reinterprets 8 little-endian bytes as a float64 without a DataView per item.
const f64 = new Float64Array(1);
const f64Bytes = new Uint8Array(f64.buffer);
const littleEndian = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

function int32(): number {
  const v = b[p] | (b[p + 1] << 8) | (b[p + 2] << 16) | (b[p + 3] << 24);
  p += 4;
  return v;
}

function float64(): number {
  if (littleEndian) for (let i = 0; i < 8; i++) f64Bytes[i] = b[p + i];
  else for (let i = 0; i < 8; i++) f64Bytes[7 - i] = b[p + i];
  p += 8;
  return f64[0];
}

function keep<T>(x: T): T {
  if (track) objects.push(x);
  return x;
}

function varint(): number {
  let n = 0;
  let shift = 0;
  for (;;) {
    const c = b[p++];
    n += (c & 0x7f) * 2 ** shift;
    if (c < 0x80) return n;
    shift += 7;
  }
}

function latin1(start: number, n: number): string {
  if (n < 32) {
    let s = '';
    for (let i = 0; i < n; i++) s += String.fromCharCode(b[start + i]);
    return s;
  }
  let s = '';
  for (let i = 0; i < n; i += 8192) s += String.fromCharCode.apply(null, b.subarray(start + i, start + Math.min(n, i + 8192)) as unknown as number[]);
  return s;
}

function twoByte(start: number, n: number): string {
  if (utf16 !== undefined && n >= 32) return utf16.decode(b.subarray(start, start + n * 2));
  let s = '';
  for (let i = 0; i < n; i++) s += String.fromCharCode(b[start + 2 * i] | (b[start + 2 * i + 1] << 8));
  return s;
}

function string(tag: number): string {
  const n = varint();
  const start = p;
  if (tag === T_STR1) {
    p += n;
    return latin1(start, n);
  }
  p += n * 2;
  return twoByte(start, n);
}

function readString(): string {
  return string(b[p++]);
}

// Object keys repeat from item to item: short one-byte keys are looked up by a hash of their
// bytes, so decoding one makes no new string.
const keyCache = new Map<number, string>();

function readKey(): string {
  const tag = b[p];
  const n = b[p + 1];
  if (tag !== T_STR1 || n > 24) return readString();
  const start = p + 2;
  let h = n;
  for (let i = 0; i < n; i++) h = (Math.imul(h, 31) + b[start + i]) | 0;
  const hit = keyCache.get(h);
  if (hit !== undefined && hit.length === n) {
    let same = true;
    for (let i = 0; i < n; i++) {
      if (hit.charCodeAt(i) !== b[start + i]) {
        same = false;
        break;
      }
    }
    if (same) {
      p = start + n;
      return hit;
    }
  }
  const key = readString();
  if (keyCache.size < 4096) keyCache.set(h, key);
  return key;
}

function raw(): Uint8Array {
  const n = varint();
  const out = b.slice(p, p + n);
  p += n;
  return out;
}

function value(): unknown {
  const tag = b[p++];
  switch (tag) {
    case T_INT:
      return int32();
    case T_STR1:
    case T_STR2:
      return string(tag);
    case T_F64:
      return float64();
    case T_UNDEF:
      return undefined;
    case T_NULL:
      return null;
    case T_FALSE:
      return false;
    case T_TRUE:
      return true;
    case T_BIGINT: {
      const s = readString();
      return s.startsWith('-') ? -BigInt('0x' + s.slice(1)) : BigInt('0x' + s);
    }
    case T_ARRAY: {
      const n = varint();
      const a = keep(new Array<unknown>(n));
      for (let i = 0; i < n; i++) a[i] = value();
      return a;
    }
    case T_OBJECT: {
      const o: Record<string, unknown> = keep({});
      const n = varint();
      for (let i = 0; i < n; i++) {
        const k = readKey();
        // Defined, not assigned: an own key named `__proto__` must stay a key, not set the prototype.
        if (k === '__proto__') Object.defineProperty(o, k, { value: value(), writable: true, enumerable: true, configurable: true });
        else o[k] = value();
      }
      return o;
    }
    case T_REF:
      return resolved[varint()];
    case T_BACKREF:
      return objects[varint()];
    default:
      return rare(tag);
  }
}

function rare(tag: number): unknown {
  switch (tag) {
    case T_DATE:
      return keep(new Date(float64()));
    case T_REGEXP: {
      const at = track ? objects.push(null) - 1 : -1;
      const r = new RegExp(readString(), readString());
      if (at >= 0) objects[at] = r;
      return r;
    }
    case T_MAP: {
      const m = keep(new Map<unknown, unknown>());
      const n = varint();
      for (let i = 0; i < n; i++) {
        const k = value();
        m.set(k, value());
      }
      return m;
    }
    case T_SET: {
      const s = keep(new Set<unknown>());
      const n = varint();
      for (let i = 0; i < n; i++) s.add(value());
      return s;
    }
    case T_ABUF: {
      const at = track ? objects.push(null) - 1 : -1;
      const ab = raw().buffer;
      if (at >= 0) objects[at] = ab;
      return ab;
    }
    case T_VIEW: {
      const at = track ? objects.push(null) - 1 : -1;
      const C = VIEWS[b[p++]];
      const bytes = raw();
      const per = (C as unknown as { BYTES_PER_ELEMENT?: number }).BYTES_PER_ELEMENT ?? 1;
      const v = C === (DataView as unknown as ViewCtor) ? new DataView(bytes.buffer as ArrayBuffer) : new C(bytes.buffer as ArrayBuffer, 0, bytes.byteLength / per);
      if (at >= 0) objects[at] = v;
      return v;
    }
    case T_ERROR: {
      const at = track ? objects.push(null) - 1 : -1;
      const name = readString();
      const message = readString();
      const e = new (standardErrors.get(name) ?? Error)(message);
      if (at >= 0) objects[at] = e;
      const stack = value();
      if (typeof stack === 'string') Object.defineProperty(e, 'stack', { value: stack, writable: true, configurable: true });
      else delete (e as { stack?: string }).stack;
      const cause = value();
      if (cause !== undefined) Object.defineProperty(e, 'cause', { value: cause, writable: true, configurable: true });
      return e;
    }
    case T_BOXED: {
      const at = track ? objects.push(null) - 1 : -1;
      const boxed = Object(value()) as object;
      if (at >= 0) objects[at] = boxed;
      return boxed;
    }
    default:
      throw new Error(`multiproc: corrupt queue item (tag ${tag})`);
  }
}

/** Whether an item (its payload, from the flags byte) references primitives. */
export function hasRefs(item: Uint8Array): boolean {
  return (item[0] & HAS_REFS) !== 0;
}

/** The ids an item references, and where its value starts. `item` is the payload (flags first). */
export function readRefIds(item: Uint8Array): { ids: string[]; start: number } {
  b = item;
  p = 1;
  const ids: string[] = [];
  if ((item[0] & HAS_REFS) !== 0) {
    const n = varint();
    for (let i = 0; i < n; i++) ids.push(readString());
  }
  return { ids, start: p };
}

/** Decodes an item whose refs resolved to `prims`; `start` from {@link readRefIds} (1 without refs). */
export function decodeItem(item: Uint8Array, start: number, prims: readonly Primitive[]): unknown {
  b = item;
  p = start;
  track = (item[0] & HAS_BACKREFS) !== 0;
  resolved = prims;
  try {
    return value();
  } finally {
    if (track) objects = [];
    resolved = [];
  }
}
