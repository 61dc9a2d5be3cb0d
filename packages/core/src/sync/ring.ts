/**
 * The storage of a shared queue: one growable buffer, a header of counters
 * and a ring of length-prefixed items.
 *
 * Two internal locks, as in a two-lock queue: producers append under
 * `PUT_LOCK`, consumers remove under `GET_LOCK`, so a producer and a consumer
 * never wait for each other. They share only `COUNT` and `USED`, changed
 * atomically: a producer writes the bytes, then adds to `USED` and `COUNT`,
 * which publishes them; a consumer reads them, then subtracts. Growing takes
 * both locks. No user code ever runs under either lock.
 *
 * The buffer grows (in place, every agent sees it) when an item does not fit,
 * so an unbounded queue never refuses a put; `maxsize` bounds the number of
 * items, as in Python. Where buffers cannot grow, the ring has a fixed size
 * and a put that does not fit waits for room.
 */
import { EncodingError } from '../errors.js';
import { internalLock, internalUnlock } from './mutex.js';

// Header words (Int32), by cache line: shared counters, the producers' side, the consumers' side.
export const COUNT = 1;
const USED = 4;
const CAP = 5;
/** Bumped on each put; getters sleep on it. */
export const ITEM_SEQ = 6;
/** Bumped on each get; putters sleep on it. */
export const SPACE_SEQ = 7;
export const GET_WAITERS = 8;
export const PUT_WAITERS = 9;
/** JoinableQueue: items put and not yet `taskDone()`. */
export const UNFINISHED = 10;
/** Free for the owner of the ring. */
export const SPARE = 11;
export const PUT_LOCK = 16;
const TAIL = 17;
export const GET_LOCK = 32;
const HEAD = 33;
const HEADER_WORDS = 48;
const HEADER_BYTES = HEADER_WORDS * 4;
const FIRST_CAPACITY = 8 * 1024;
/** The most a queue may hold at once, in bytes. */
const MAX_CAPACITY = 2 ** 30;
/** The size of a ring that cannot grow (runtimes without growable buffers). */
const FIXED_CAPACITY = 4 * 1024 * 1024;

/** Makes the buffer of an empty ring. */
export function allocRing(): SharedArrayBuffer | ArrayBuffer {
  const shared = typeof SharedArrayBuffer === 'function';
  const options = { maxByteLength: HEADER_BYTES + MAX_CAPACITY };
  let b: SharedArrayBuffer | ArrayBuffer | undefined;
  try {
    b = shared ? new SharedArrayBuffer(HEADER_BYTES + FIRST_CAPACITY, options) : new ArrayBuffer(HEADER_BYTES + FIRST_CAPACITY, options);
  } catch {
    // no growable buffers here
  }
  const growable = (b as { growable?: boolean; resizable?: boolean } | undefined)?.growable === true || (b as { resizable?: boolean } | undefined)?.resizable === true;
  if (b === undefined || !growable) b = shared ? new SharedArrayBuffer(HEADER_BYTES + FIXED_CAPACITY) : new ArrayBuffer(HEADER_BYTES + FIXED_CAPACITY);
  new Int32Array(b, 0, HEADER_WORDS)[CAP] = b.byteLength - HEADER_BYTES;
  return b;
}

/** A view of one ring buffer in this agent. */
export class Ring {
  readonly i32: Int32Array;
  readonly #buffer: SharedArrayBuffer | ArrayBuffer;
  // A fixed-length view of the data, remade when the ring has grown (element
  // access through length-tracking views of growable buffers is slow in V8).
  #view: Uint8Array;

  constructor(buffer: SharedArrayBuffer | ArrayBuffer) {
    this.#buffer = buffer;
    this.i32 = new Int32Array(buffer, 0, HEADER_WORDS);
    this.#view = new Uint8Array(buffer, HEADER_BYTES, this.i32[CAP]);
  }

  /** The data view at the current capacity (any agent may have grown it). */
  get #data(): Uint8Array {
    const cap = this.i32[CAP];
    if (this.#view.length !== cap) this.#view = new Uint8Array(this.#buffer, HEADER_BYTES, cap);
    return this.#view;
  }

  /** Appends one encoded item (`[u32 length][payload]`), holding PUT_LOCK; false if it does not fit and cannot grow. */
  push(item: Uint8Array): boolean {
    const i32 = this.i32;
    if (Atomics.load(i32, USED) + item.length > i32[CAP] && !this.#growLocked(item.length)) {
      if (item.length > i32[CAP]) throw new EncodingError(`A queue item of ${item.length} bytes is larger than this runtime lets a queue grow`);
      return false;
    }
    const cap = i32[CAP];
    const tail = i32[TAIL];
    const first = Math.min(item.length, cap - tail);
    const d = this.#data;
    if (first === item.length && first <= 64) for (let i = 0; i < first; i++) d[tail + i] = item[i];
    else {
      d.set(first === item.length ? item : item.subarray(0, first), tail);
      if (first < item.length) d.set(item.subarray(first), 0);
    }
    i32[TAIL] = (tail + item.length) % cap;
    Atomics.add(i32, USED, item.length);
    Atomics.add(i32, COUNT, 1);
    return true;
  }

  /**
   * The payload of the first item (not removed), holding GET_LOCK, copied
   * into the buffer `into(length)` gives; null when empty.
   */
  peek(into: (length: number) => Uint8Array): Uint8Array | null {
    if (Atomics.load(this.i32, COUNT) === 0) return null;
    const len = this.#length();
    return this.#copy((this.i32[HEAD] + 4) % this.i32[CAP], len, into(len));
  }

  /** Removes the first item without reading it, holding GET_LOCK. */
  discard(): void {
    const i32 = this.i32;
    if (Atomics.load(i32, COUNT) === 0) return;
    const len = this.#length();
    i32[HEAD] = (i32[HEAD] + 4 + len) % i32[CAP];
    Atomics.sub(i32, USED, 4 + len);
    Atomics.sub(i32, COUNT, 1);
  }

  #length(): number {
    const d = this.#data;
    const cap = this.i32[CAP];
    const h = this.i32[HEAD];
    return (d[h] | (d[(h + 1) % cap] << 8) | (d[(h + 2) % cap] << 16) | (d[(h + 3) % cap] << 24)) >>> 0;
  }

  #copy(at: number, len: number, out: Uint8Array): Uint8Array {
    const cap = this.i32[CAP];
    const d = this.#data;
    if (at + len <= cap) {
      if (len <= 64) for (let i = 0; i < len; i++) out[i] = d[at + i];
      else out.set(d.subarray(at, at + len));
      return out;
    }
    const first = cap - at;
    out.set(d.subarray(at, cap));
    out.set(d.subarray(0, len - first), first);
    return out;
  }

  /** Grows to fit `extra` more bytes, holding PUT_LOCK: takes GET_LOCK too, so nobody reads while data moves. */
  #growLocked(extra: number): boolean {
    const i32 = this.i32;
    internalLock(i32, GET_LOCK, 'Queue');
    try {
      const needed = Atomics.load(i32, USED) + extra;
      return needed <= i32[CAP] || this.#grow(needed);
    } finally {
      internalUnlock(i32, GET_LOCK);
    }
  }

  #grow(needed: number): boolean {
    const b = this.#buffer as { growable?: boolean; resizable?: boolean; maxByteLength?: number; grow?(n: number): void; resize?(n: number): void };
    const canGrow = b.growable === true || b.resizable === true;
    const cap = this.i32[CAP];
    if (!canGrow) return false;
    let next = cap * 2;
    while (next < needed) next *= 2;
    next = Math.min(next, (b.maxByteLength ?? 0) - HEADER_BYTES);
    if (next < needed) return false;
    if (b.growable === true) b.grow?.(HEADER_BYTES + next);
    else b.resize?.(HEADER_BYTES + next);
    const i32 = this.i32;
    const used = Atomics.load(i32, USED);
    const head = i32[HEAD];
    i32[CAP] = next;
    if (used > 0 && head + used > cap) {
      // Wrapped: move the part at the start to just past the old end.
      const tail = i32[TAIL];
      this.#data.copyWithin(cap, 0, tail);
      i32[TAIL] = cap + tail;
    } else {
      i32[TAIL] = head + used;
    }
    return true;
  }
}
