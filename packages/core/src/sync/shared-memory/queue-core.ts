/**
 * The put/get engine shared by `Queue`, `JoinableQueue`, `SimpleQueue` and
 * the pipe's `Connection`: encode, store in the ring, wake, wait, decode.
 *
 * An item is encoded before anything else happens, so an item that cannot
 * cross fails at once and takes no slot. Waiting uses two sequence numbers
 * read before each attempt (items, space), so a put or get that lands between
 * the attempt and the wait is never missed; waiters are counted so a put only
 * pays for a wake-up when somebody sleeps.
 *
 * The main thread never waits on an internal lock for more than a moment: a
 * `…Nowait` call that finds it busy fails as full or empty (it could not
 * complete without waiting, as Python's do), an awaited call sleeps for it
 * and keeps its timeout. A lock left by a dead agent is repaired (ring.ts).
 */
import { AbortError, QueueEmptyError, QueueFullError, StateError } from '../../errors.js';
import { now } from '../../util/now.js';
import { blockingAllowed } from '../../agent/agent.js';
import { encodeItem, decodeItem, hasRefs, readRefIds } from './codec.js';
import { deadlineAfter, futexNotify, futexWait, futexWaitSync, isShared, timeLeft } from './futex.js';
import { waitUntil, waitUntilSync, type WaitStep } from './wait-loop.js';
import { busyError, internalLockAsync, internalPatience, internalTryLock, internalUnlock } from './mutex.js';
import { prefetch, refIdFor, resolvableNow, resolveAll, resolveNow } from '../transport/refs.js';
import { DONE, GET_LOCK, GET_WAITERS, ITEM_SEQ, PEEK_WAITERS, PUT_LOCK, PUT_N, PUT_WAITERS, Ring, SPACE_SEQ } from './ring.js';

const NOT_VISIBLE = 1;
/** A synchronous call found the internal lock held by another (live) agent longer than it may wait. */
const BUSY = 2;
const RESOLVED: Promise<void> = Promise.resolve();
/** How long a worker polls for the other side before sleeping (a sleep and wake-up costs more). */
const SPIN_MS = 0.05;

let scratch = new Uint8Array(4096);

/** A buffer for one item's payload, reused: valid until the next take. */
function into(length: number): Uint8Array {
  if (scratch.length < length) scratch = new Uint8Array(Math.max(length, scratch.length * 2));
  return scratch.subarray(0, length);
}

export class QueueCore {
  readonly ring: Ring;
  readonly i32: Int32Array;
  readonly maxsize: number;
  readonly joinable: boolean;
  readonly #what: string;

  constructor(buffer: SharedArrayBuffer | ArrayBuffer, maxsize: number, joinable: boolean, what: string) {
    this.ring = new Ring(buffer);
    this.i32 = this.ring.i32;
    this.maxsize = maxsize;
    this.joinable = joinable;
    this.#what = what;
  }

  /** Encodes `item` (EncodingError at once if it cannot cross). The bytes are valid until the next encode. */
  encode(item: unknown): Uint8Array {
    return encodeItem(item, refIdFor);
  }

  /** Stores encoded bytes if there is room: true, false when full, BUSY when another agent holds the lock. */
  tryPush(bytes: Uint8Array, must = false): boolean | typeof BUSY {
    if (!internalTryLock(this.i32, PUT_LOCK, this.ring.repairPut, internalPatience(must))) return BUSY;
    return this.#pushHeld(bytes);
  }

  /** Stores encoded bytes holding PUT_LOCK, and frees it; false when full. */
  #pushHeld(bytes: Uint8Array): boolean {
    const i32 = this.i32;
    let ok = false;
    try {
      if (this.maxsize <= 0 || this.ring.count() < this.maxsize) ok = this.ring.push(bytes);
    } finally {
      internalUnlock(i32, PUT_LOCK);
    }
    if (ok) {
      Atomics.add(i32, ITEM_SEQ, 1);
      if (Atomics.load(i32, GET_WAITERS) > 0) futexNotify(i32, ITEM_SEQ, Atomics.load(i32, PEEK_WAITERS) > 0 ? Infinity : 1);
    }
    return ok;
  }

  /** Stores encoded bytes now, for a call that cannot report "busy": false when out of room; StateError if busy. */
  pushNow(bytes: Uint8Array): boolean {
    const r = this.tryPush(bytes, true);
    if (r === BUSY) throw busyError(this.#what);
    return r;
  }

  /** Puts `item`; the encoding error, if any, is thrown synchronously. */
  put(item: unknown, timeout: number, signal: AbortSignal | undefined): Promise<void> {
    const bytes = this.encode(item);
    if (this.tryPush(bytes) === true) return RESOLVED;
    return this.#putWait(bytes.slice(), timeout, signal);
  }

  async #putWait(bytes: Uint8Array, timeout: number, signal: AbortSignal | undefined): Promise<void> {
    const i32 = this.i32;
    const deadline = deadlineAfter(timeout);
    for (;;) {
      const seq = Atomics.load(i32, SPACE_SEQ);
      const r0 = this.tryPush(bytes);
      if (r0 === true) return;
      if (r0 === BUSY) {
        if (await internalLockAsync(i32, PUT_LOCK, this.ring.repairPut, deadline, signal)) {
          if (this.#pushHeld(bytes)) return;
          continue;
        }
        if (signal?.aborted) throw new AbortError('the put was cancelled');
      }
      const left = this.#sleepFor(SPACE_SEQ, seq, deadline, r0 === BUSY);
      if (left === 0) continue;
      Atomics.add(i32, PUT_WAITERS, 1);
      const r = await futexWait(i32, SPACE_SEQ, seq, left, signal);
      Atomics.sub(i32, PUT_WAITERS, 1);
      if (r === 'aborted') throw new AbortError('the put was cancelled');
    }
  }

  /**
   * Every wait of put and get, async and blocking, after a try that found no
   * room (SPACE_SEQ) or no item (ITEM_SEQ): QueueFullError or QueueEmptyError
   * at the deadline, 0 to try again at once (`busy`: the lock was busy; or a
   * brief spin saw `index` move past `seq`), else how long to sleep (ms).
   */
  #sleepFor(index: number, seq: number, deadline: number, busy: boolean): number {
    const left = timeLeft(deadline);
    if (left <= 0) throw index === SPACE_SEQ ? new QueueFullError(`${this.#what} is full`) : new QueueEmptyError(`${this.#what} is empty`);
    return busy || this.#spin(index, seq) ? 0 : left;
  }

  /** In a worker sharing memory: polls briefly for `i32[index]` to move past `seq`. */
  #spin(index: number, seq: number): boolean {
    if (!blockingAllowed() || !isShared(this.i32)) return false;
    const i32 = this.i32;
    const end = now() + SPIN_MS;
    for (let n = 1; ; n++) {
      if (Atomics.load(i32, index) !== seq) return true;
      if ((n & 31) === 0 && now() > end) return false;
    }
  }

  putSync(item: unknown, timeout: number): void {
    const bytes = this.encode(item).slice();
    const i32 = this.i32;
    const deadline = deadlineAfter(timeout);
    for (;;) {
      const seq = Atomics.load(i32, SPACE_SEQ);
      const r0 = this.tryPush(bytes);
      if (r0 === true) return;
      if (r0 === BUSY) throw busyError(this.#what);
      const left = this.#sleepFor(SPACE_SEQ, seq, deadline, false);
      if (left === 0) continue;
      Atomics.add(i32, PUT_WAITERS, 1);
      futexWaitSync(i32, SPACE_SEQ, seq, left);
      Atomics.sub(i32, PUT_WAITERS, 1);
    }
  }

  /**
   * Takes the first item's payload, or null when empty. With `visibleOnly`,
   * an item naming primitives this agent cannot resolve yet is left in place
   * (NOT_VISIBLE) and their handles are fetched.
   */
  take(visibleOnly: boolean): Uint8Array | null | typeof NOT_VISIBLE | typeof BUSY {
    if (!internalTryLock(this.i32, GET_LOCK, this.ring.repairGet, internalPatience())) return BUSY;
    return this.#takeHeld(visibleOnly);
  }

  /** {@link take} holding GET_LOCK, which it frees. */
  #takeHeld(visibleOnly: boolean): Uint8Array | null | typeof NOT_VISIBLE {
    const i32 = this.i32;
    let payload: Uint8Array | null;
    try {
      payload = this.ring.peek(into);
      if (payload === null) return null;
      if (visibleOnly && hasRefs(payload)) {
        const { ids } = readRefIds(payload);
        if (!resolvableNow(ids)) {
          prefetch(ids);
          return NOT_VISIBLE;
        }
      }
      this.ring.discard();
    } finally {
      internalUnlock(i32, GET_LOCK);
    }
    Atomics.add(i32, SPACE_SEQ, 1);
    if (Atomics.load(i32, PUT_WAITERS) > 0) futexNotify(i32, SPACE_SEQ, 1);
    return payload;
  }

  /** Takes the first item, waiting up to `timeout` ms; QueueEmptyError after that. */
  get(timeout: number, signal: AbortSignal | undefined): Promise<unknown> {
    const payload = this.take(false);
    if (payload !== null && payload !== BUSY) return decodeTaken(payload as Uint8Array);
    return this.#getWait(timeout, signal);
  }

  async #getWait(timeout: number, signal: AbortSignal | undefined): Promise<unknown> {
    const i32 = this.i32;
    const deadline = deadlineAfter(timeout);
    for (;;) {
      const seq = Atomics.load(i32, ITEM_SEQ);
      let payload = this.take(false);
      if (payload === BUSY) {
        if (await internalLockAsync(i32, GET_LOCK, this.ring.repairGet, deadline, signal)) payload = this.#takeHeld(false);
        else if (signal?.aborted) throw new AbortError('the get was cancelled');
      }
      if (payload !== null && payload !== BUSY) return decodeTaken(payload as Uint8Array);
      const left = this.#sleepFor(ITEM_SEQ, seq, deadline, payload === BUSY);
      if (left === 0) continue;
      Atomics.add(i32, GET_WAITERS, 1);
      const r = await futexWait(i32, ITEM_SEQ, seq, left, signal);
      Atomics.sub(i32, GET_WAITERS, 1);
      if (r === 'aborted') throw new AbortError('the get was cancelled');
    }
  }

  /** Takes an item now or throws `QueueEmptyError`. */
  getNowait(): unknown {
    const payload = this.take(true);
    if (payload === null) throw new QueueEmptyError(`${this.#what} is empty`);
    if (payload === BUSY) throw new QueueEmptyError(`${this.#what} is busy: another agent is inside it; await get() waits for it`);
    if (payload === NOT_VISIBLE) throw new QueueEmptyError(`${this.#what} has an item that is not visible here yet (it carries a primitive still on its way); await get() waits for it`);
    return decodeNow(payload);
  }

  getSync(timeout: number): unknown {
    const i32 = this.i32;
    const deadline = deadlineAfter(timeout);
    for (;;) {
      const seq = Atomics.load(i32, ITEM_SEQ);
      const payload = this.take(true);
      if (payload === BUSY) throw busyError(this.#what);
      if (payload === NOT_VISIBLE) throw new StateError(`${this.#what}'s next item carries a primitive this worker has not received yet, which a blocking get cannot wait for; use await get()`);
      if (payload !== null) return decodeNow(payload);
      const left = this.#sleepFor(ITEM_SEQ, seq, deadline, false);
      if (left === 0) continue;
      Atomics.add(i32, GET_WAITERS, 1);
      futexWaitSync(i32, ITEM_SEQ, seq, left);
      Atomics.sub(i32, GET_WAITERS, 1);
    }
  }

  /**
   * Sleeps until an item is put (or the item sequence moves past `seq`),
   * counted as a getter; `peek`: as one that only looks and takes nothing
   * (then every put wakes every sleeper, so no looker or getter misses it).
   */
  async waitItem(seq: number, timeout: number, signal: AbortSignal | undefined, peek = false): Promise<'ok' | 'not-equal' | 'timed-out' | 'aborted'> {
    const i32 = this.i32;
    if (peek) Atomics.add(i32, PEEK_WAITERS, 1);
    Atomics.add(i32, GET_WAITERS, 1);
    try {
      return await futexWait(i32, ITEM_SEQ, seq, timeout, signal);
    } finally {
      Atomics.sub(i32, GET_WAITERS, 1);
      if (peek) Atomics.sub(i32, PEEK_WAITERS, 1);
    }
  }

  /** {@link waitItem} blocking the thread. */
  waitItemSync(seq: number, timeout: number): void {
    Atomics.add(this.i32, GET_WAITERS, 1);
    futexWaitSync(this.i32, ITEM_SEQ, seq, timeout);
    Atomics.sub(this.i32, GET_WAITERS, 1);
  }

  qsize(): number {
    return this.ring.count();
  }

  full(): boolean {
    return this.maxsize > 0 && this.ring.count() >= this.maxsize;
  }

  /** Items put and not yet marked done (JoinableQueue): counted from the producers' own word, so a put cut short never leaves one behind. */
  #unfinished(done: number): number {
    return unfinished(this.i32, done);
  }

  taskDone(): void {
    const i32 = this.i32;
    for (;;) {
      const d = Atomics.load(i32, DONE);
      const v = this.#unfinished(d);
      if (v <= 0) throw new StateError('taskDone() called too many times');
      if (Atomics.compareExchange(i32, DONE, d, (d + 1) | 0) === d) {
        if (v === 1) futexNotify(i32, DONE);
        return;
      }
    }
  }

  join(timeout: number, signal: AbortSignal | undefined): Promise<boolean> {
    return waitUntil(ALL_DONE, this.i32, DONE, timeout, signal);
  }

  joinSync(timeout: number): boolean {
    return waitUntilSync(ALL_DONE, this.i32, DONE, timeout);
  }
}

function unfinished(i32: Int32Array, done: number): number {
  return (Atomics.load(i32, PUT_N) - done) | 0;
}

/** The wait of both forms of join: done when nothing is unfinished; sleep until DONE moves. */
const ALL_DONE: WaitStep = { attempt: (i32) => unfinished(i32, Atomics.load(i32, DONE)) <= 0 };

function decodeNow(payload: Uint8Array): unknown {
  if (!hasRefs(payload)) return decodeItem(payload, 1, []);
  const { ids, start } = readRefIds(payload);
  return decodeItem(payload, start, resolveNow(ids));
}

/** A taken item as a promise: at once unless it names primitives this agent must still fetch. */
function decodeTaken(payload: Uint8Array): Promise<unknown> {
  if (!hasRefs(payload)) return Promise.resolve(decodeItem(payload, 1, []));
  const { ids, start } = readRefIds(payload);
  if (resolvableNow(ids)) return Promise.resolve(decodeItem(payload, start, resolveNow(ids)));
  const copy = payload.slice();
  return resolveAll(ids).then((prims) => decodeItem(copy, start, prims));
}
