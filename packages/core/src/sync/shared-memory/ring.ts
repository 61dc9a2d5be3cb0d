/**
 * The storage of a shared queue: one growable buffer, a header of counters
 * and a ring of length-prefixed items.
 *
 * Two internal locks, as in a two-lock queue: producers append under
 * `PUT_LOCK`, consumers remove under `GET_LOCK`, so a producer and a consumer
 * never wait for each other. Each side writes only its own words: a producer
 * writes the bytes, then advances TAIL and PUT_N (PUT_N publishes them); a
 * consumer reads them, then advances HEAD and GET_N. Fullness and the count
 * are differences of the two sides' words. Growing takes both locks. No user
 * code ever runs under either lock; a holder that dies inside is repaired
 * (see `Ring`).
 *
 * The buffer grows (in place, every agent sees it) when an item does not fit,
 * so an unbounded queue never refuses a put; `maxsize` bounds the number of
 * items, as in Python. Where buffers cannot grow, the ring has a fixed size
 * and a put that does not fit waits for room.
 */
import { EncodingError } from '../../errors.js';
import { internalLock, internalUnlock, type Repair } from './mutex.js';

// Header words (Int32), by cache line: what the other side reads on every call (the counts,
// the first item's position, the sequence numbers), then each side's lock, journal and
// (producers) TAIL, which the other side never touches: reading the other side's words there
// made every call move two more cache lines between cores.
/** Items put ever (wraps at 2^32): the producers' side, published. */
export const PUT_N = 2;
/** Consumers' side: byte position of the first item and items got ever (both wrap at 2^32). */
const HEAD = 3;
const GET_N = 4;
const CAP = 5;
/** Bumped on each put; getters sleep on it. */
export const ITEM_SEQ = 6;
/** Bumped on each get; putters sleep on it. */
export const SPACE_SEQ = 7;
export const GET_WAITERS = 8;
export const PUT_WAITERS = 9;
/** JoinableQueue: `taskDone()` calls so far (unfinished = items put - this). */
export const DONE = 10;
/** Free for the owner of the ring. */
export const SPARE = 11;
/** Of GET_WAITERS, those that only look (a pipe's `poll`): while there are some, a put wakes every sleeper, since a looker takes nothing and one wake-up would be spent on it alone. */
export const PEEK_WAITERS = 12;
export const PUT_LOCK = 16;
/** Producers' side: byte position of the end (wraps at 2^32). */
const TAIL = 17;
/** The producers' journal of TAIL and PUT_N. */
const PUT_JOURNAL = 18;
export const GET_LOCK = 32;
/** The consumers' journal of HEAD and GET_N. */
const GET_JOURNAL = 33;
const HEADER_WORDS = 48;
const HEADER_BYTES = HEADER_WORDS * 4;
/** Capacities are powers of two, so a byte position maps to `position & (cap - 1)` at any size. */
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

/**
 * A view of one ring buffer in this agent.
 *
 * Each side owns its words (producers: TAIL, PUT_N; consumers: HEAD, GET_N),
 * written with plain stores under that side's lock, so a side's change can
 * be replayed: it is first written to the side's journal ([count,
 * position]), committed by storing the journal's count (the new count: one
 * past the side's count), then applied. A holder that died (a terminated
 * worker) is repaired by the next one to take the lock: a journal one past
 * the side's count is committed and applied again; any other is done or was
 * never committed, and is dropped. So a put cut short either happened whole or not at all (its
 * half-written bytes lie past the end and are overwritten), and a get cut
 * short either took its item (gone with the dead agent, as in Python) or left
 * it first in line: never garbage, never a duplicate.
 */
export class Ring {
  readonly i32: Int32Array;
  readonly #buffer: SharedArrayBuffer | ArrayBuffer;
  // A fixed-length view of the data, remade when the ring has grown (element
  // access through length-tracking views of growable buffers is slow in V8).
  #view: Uint8Array;
  // Private, so a structured clone of a queue (it travels by handle) never meets these functions.
  readonly #repairPut: Repair;
  readonly #repairGet: Repair;

  constructor(buffer: SharedArrayBuffer | ArrayBuffer) {
    this.#buffer = buffer;
    const i32 = (this.i32 = new Int32Array(buffer, 0, HEADER_WORDS));
    this.#view = new Uint8Array(buffer, HEADER_BYTES, i32[CAP]);
    this.#repairPut = () => replay(i32, PUT_JOURNAL, TAIL, PUT_N);
    this.#repairGet = () => replay(i32, GET_JOURNAL, HEAD, GET_N);
  }

  /** Replays the producers' committed journal (PUT_LOCK held). */
  get repairPut(): Repair {
    return this.#repairPut;
  }

  /** Replays the consumers' committed journal (GET_LOCK held). */
  get repairGet(): Repair {
    return this.#repairGet;
  }

  /** The data view at the current capacity (any agent may have grown it). */
  get #data(): Uint8Array {
    const cap = this.i32[CAP];
    if (this.#view.length !== cap) this.#view = new Uint8Array(this.#buffer, HEADER_BYTES, cap);
    return this.#view;
  }

  /** Items in the ring now (consumers' count read first, so never negative). */
  count(): number {
    const got = Atomics.load(this.i32, GET_N);
    return (Atomics.load(this.i32, PUT_N) - got) | 0;
  }

  /** Appends one encoded item (`[u32 length][payload]`), holding PUT_LOCK; false if it does not fit and cannot grow. */
  push(item: Uint8Array): boolean {
    const i32 = this.i32;
    const tail = i32[TAIL];
    if (((tail - Atomics.load(i32, HEAD)) >>> 0) + item.length > i32[CAP] && !this.#growLocked(item.length)) {
      if (item.length > i32[CAP]) throw new EncodingError(`A queue item of ${item.length} bytes is larger than this runtime lets a queue grow`);
      return false;
    }
    const cap = i32[CAP];
    const at = tail & (cap - 1);
    const first = Math.min(item.length, cap - at);
    const d = this.#data;
    if (first === item.length && first <= 64) for (let i = 0; i < first; i++) d[at + i] = item[i];
    else {
      d.set(first === item.length ? item : item.subarray(0, first), at);
      if (first < item.length) d.set(item.subarray(first), 0);
    }
    commit(i32, PUT_JOURNAL, TAIL, (tail + item.length) | 0, PUT_N, (i32[PUT_N] + 1) | 0);
    return true;
  }

  /**
   * The payload of the first item (not removed), holding GET_LOCK, copied
   * into the buffer `into(length)` gives; null when empty.
   */
  peek(into: (length: number) => Uint8Array): Uint8Array | null {
    const i32 = this.i32;
    if (Atomics.load(i32, PUT_N) === i32[GET_N]) return null;
    const len = this.#length();
    return this.#copy((i32[HEAD] + 4) & (i32[CAP] - 1), len, into(len));
  }

  /** Removes the first item without reading it, holding GET_LOCK. */
  discard(): void {
    const i32 = this.i32;
    if (Atomics.load(i32, PUT_N) === i32[GET_N]) return;
    const len = this.#length();
    commit(i32, GET_JOURNAL, HEAD, (i32[HEAD] + 4 + len) | 0, GET_N, (i32[GET_N] + 1) | 0);
  }

  #length(): number {
    const d = this.#data;
    const mask = this.i32[CAP] - 1;
    const h = this.i32[HEAD];
    return (d[h & mask] | (d[(h + 1) & mask] << 8) | (d[(h + 2) & mask] << 16) | (d[(h + 3) & mask] << 24)) >>> 0;
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
    internalLock(i32, GET_LOCK, 'Queue', this.repairGet);
    try {
      const needed = ((i32[TAIL] - i32[HEAD]) >>> 0) + extra;
      return needed <= i32[CAP] || this.#grow(needed);
    } finally {
      internalUnlock(i32, GET_LOCK);
    }
  }

  /**
   * Doubles the capacity until `needed` fits. Crash-safe: bytes whose offset
   * changes move only into the new part, and the new capacity is stored last,
   * so a grower that dies leaves the old ring intact.
   */
  #grow(needed: number): boolean {
    const b = this.#buffer as { byteLength: number; growable?: boolean; resizable?: boolean; maxByteLength?: number; grow?(n: number): void; resize?(n: number): void };
    const canGrow = b.growable === true || b.resizable === true;
    const i32 = this.i32;
    const cap = i32[CAP];
    if (!canGrow) return false;
    let next = cap * 2;
    while (next < needed) next *= 2;
    next = Math.min(next, (b.maxByteLength ?? 0) - HEADER_BYTES);
    if (next < needed || (next & (next - 1)) !== 0) return false;
    if (b.byteLength < HEADER_BYTES + next) {
      if (b.growable === true) b.grow?.(HEADER_BYTES + next);
      else b.resize?.(HEADER_BYTES + next);
    }
    const d = new Uint8Array(this.#buffer, HEADER_BYTES, next);
    const tail = i32[TAIL];
    for (let p = i32[HEAD]; p !== tail; ) {
      const from = p & (cap - 1);
      const to = p & (next - 1);
      const run = Math.min((tail - p) >>> 0, cap - from, next - to);
      if (from !== to) d.copyWithin(to, from, from + run);
      p = (p + run) | 0;
    }
    Atomics.store(i32, CAP, next);
    return true;
  }
}

/**
 * Writes a side's change to its journal, commits it (the journal's count,
 * stored last, is one past the side's count), and applies it. Nothing to
 * clear afterwards: an applied journal's count equals the side's. Two
 * atomic stores per call, as few as the change needs (it is on every put
 * and get).
 */
function commit(i32: Int32Array, journal: number, posAt: number, pos: number, nAt: number, n: number): void {
  i32[journal + 1] = pos;
  Atomics.store(i32, journal, n);
  i32[posAt] = pos;
  Atomics.store(i32, nAt, n);
}

/** Applies a side's journal again if it was committed and not applied (a holder died in {@link commit}). */
function replay(i32: Int32Array, journal: number, posAt: number, nAt: number): void {
  const n = Atomics.load(i32, journal);
  if (n !== ((Atomics.load(i32, nAt) + 1) | 0)) return;
  i32[posAt] = i32[journal + 1];
  Atomics.store(i32, nAt, n);
}
