/**
 * Mutexes on one word of a primitive's state.
 *
 * - The futex mutex (Drepper's "mutex 2": 0 free, 1 held, 2 held with
 *   waiters) behind `Lock`, `RLock` and `Condition`: async waits for the
 *   parent and workers, `Atomics.wait` for the `…Sync` twins. Not fair, as
 *   Python's is not.
 * - The internal lock guarding a queue's or a barrier's bookkeeping: held for
 *   a few hundred nanoseconds with no user code inside, so it spins, and
 *   sleeps with `Atomics.wait` only where the agent may block. Its word holds
 *   the holder's token (life.ts): a waiter that finds it held by an agent
 *   that died inside (a terminated worker) takes it over and repairs the
 *   structure. The main thread never spins for long: its synchronous calls
 *   give up after a couple of milliseconds, its async ones sleep.
 */
import { StateError } from '../../errors.js';
import { now } from '../../util/now.js';
import { agentId, blockingAllowed } from '../../agent/agent.js';
import { agentToken, isAlive } from '../../agent/life.js';
import { futexNotify, futexWait, isShared, spinWhile, timeLeft } from './futex.js';
import { waitUntil, waitUntilSync, type WaitStep } from './wait-loop.js';

/** Takes the mutex if it is free. */
export function mutexTry(i32: Int32Array, i: number): boolean {
  return Atomics.compareExchange(i32, i, 0, 1) === 0;
}

/** How long a worker polls a held mutex before sleeping (ms), and how many tries the blocking twin makes. */
const SPIN_MS = 0.02;
const SPIN_TRIES = 100;

/**
 * The contended wait of both forms: mark the mutex "held with waiters" (2),
 * and own it if it was free; else sleep while it stays 2.
 */
const LOCK: WaitStep = { attempt: (i32, i) => Atomics.exchange(i32, i, 2) === 0, sleepOn: 2 };

/** {@link LOCK} after a short poll for the holder to leave, for an async waiter that may spin (a worker). */
const SPIN_LOCK: WaitStep = {
  attempt: (i32, i) =>
    (Atomics.load(i32, i) !== 0 && spinWhile(i32, i, Atomics.load(i32, i), SPIN_MS) && Atomics.compareExchange(i32, i, 0, 1) === 0) || Atomics.exchange(i32, i, 2) === 0,
  sleepOn: 2,
};

const TRUE: Promise<boolean> = Promise.resolve(true);
const FALSE: Promise<boolean> = Promise.resolve(false);

/** Takes the mutex, waiting up to `timeout` ms (Infinity: forever); false on timeout or abort. */
export function mutexAcquire(i32: Int32Array, i: number, timeout: number, signal?: AbortSignal): Promise<boolean> {
  if (Atomics.compareExchange(i32, i, 0, 1) === 0) return TRUE;
  if (timeout <= 0) return FALSE;
  return waitUntil(blockingAllowed() && isShared(i32) ? SPIN_LOCK : LOCK, i32, i, timeout, signal);
}

/** {@link mutexAcquire} blocking the thread (workers only). */
export function mutexAcquireSync(i32: Int32Array, i: number, timeout: number): boolean {
  if (Atomics.compareExchange(i32, i, 0, 1) === 0) return true;
  if (timeout <= 0) return false;
  // A short spin first: critical sections are often shorter than a sleep and a wake-up.
  for (let n = 0; n < SPIN_TRIES; n++) {
    if (Atomics.load(i32, i) === 0 && Atomics.compareExchange(i32, i, 0, 1) === 0) return true;
  }
  return waitUntilSync(LOCK, i32, i, timeout);
}

/** Frees the mutex; false if it was not held. */
export function mutexRelease(i32: Int32Array, i: number): boolean {
  const c = Atomics.exchange(i32, i, 0);
  if (c === 2) futexNotify(i32, i, 1);
  return c !== 0;
}

/** Longest a worker waits for an internal lock held by a live agent before calling it broken (ms). */
const INTERNAL_LOCK_LIMIT_MS = 10_000;
/** Longest the main thread polls an internal lock before a `…Nowait` call gives up (ms). */
const MAIN_PATIENCE_MS = 2;
/** The same for a synchronous call that cannot report "busy" (a pipe's send, `Barrier.abort()`). */
const MAIN_MUST_MS = 1_000;
/** How often an async waiter looks again at who holds an internal lock (ms): the holder may have died. */
const OWNER_POLL_MS = 20;
/** The sign bit of an internal lock word: somebody sleeps on it. */
const SLEEPERS = 0x8000_0000 | 0;

/** Repairs what the dead holder of an internal lock left half done (called holding it). */
export type Repair = () => void;

/**
 * Takes an internal lock if free, or if its holder is dead (then `repair`
 * runs). The word holds the holder's token (see life.ts), plus SLEEPERS.
 */
function takeInternal(i32: Int32Array, i: number, me: number, repair: Repair | undefined): boolean {
  const c = Atomics.compareExchange(i32, i, 0, me);
  if (c === 0) return true;
  if (isAlive(c & 0x7fff_ffff) || Atomics.compareExchange(i32, i, c, me | (c & SLEEPERS)) !== c) return false;
  repair?.();
  return true;
}

/**
 * Takes an internal lock, polling for up to `patience` ms (a worker sleeps
 * between polls; the main thread never waits longer than that); false if
 * still held by a live agent. A lock held by a dead agent is taken over and
 * repaired.
 */
export function internalTryLock(i32: Int32Array, i: number, repair: Repair | undefined, patience: number): boolean {
  const me = agentToken();
  if (Atomics.compareExchange(i32, i, 0, me) === 0) return true;
  const canSleep = blockingAllowed() && isShared(i32);
  let started = 0;
  for (let spins = 1; ; spins++) {
    if (takeInternal(i32, i, me, repair)) return true;
    if (spins < 128) continue;
    const t = now();
    if (started === 0) started = t;
    else if (t - started > patience) return false;
    if (canSleep) {
      const c = Atomics.load(i32, i);
      if (c !== 0 && (c < 0 || Atomics.compareExchange(i32, i, c, c | SLEEPERS) === c)) Atomics.wait(i32, i, c | SLEEPERS, 2);
    }
  }
}

/** How long a synchronous call of this agent may wait for an internal lock (ms); `must`: it cannot answer "busy". */
export function internalPatience(must = false): number {
  return blockingAllowed() ? INTERNAL_LOCK_LIMIT_MS : must ? MAIN_MUST_MS : MAIN_PATIENCE_MS;
}

/** Takes an internal lock for a synchronous call, or throws StateError (see {@link internalTryLock}). */
export function internalLock(i32: Int32Array, i: number, what: string, repair?: Repair): void {
  if (Atomics.compareExchange(i32, i, 0, agentToken()) === 0) return;
  if (internalTryLock(i32, i, repair, internalPatience(true))) return;
  throw busyError(what);
}

/** The error of a synchronous call whose internal lock stayed held by a live agent. */
export function busyError(what: string): StateError {
  const limit = internalPatience(true);
  return new StateError(`${what} is busy: its internal lock has been held for over ${limit >= 1000 ? `${limit / 1000} s` : `${limit} ms`} by another agent (a worker that just died counts as alive until its parent has seen it exit)`);
}

/**
 * Takes an internal lock without blocking the thread: polls briefly, then
 * sleeps with `futexWait` (looking again every OWNER_POLL_MS, as the holder
 * may die meanwhile). False at `deadline` or when `signal` aborts.
 */
export async function internalLockAsync(i32: Int32Array, i: number, repair: Repair | undefined, deadline: number, signal?: AbortSignal): Promise<boolean> {
  for (;;) {
    if (internalTryLock(i32, i, repair, 0)) return true;
    const left = timeLeft(deadline);
    if (left <= 0 || signal?.aborted) return false;
    const c = Atomics.load(i32, i);
    if (c === 0 || (c >= 0 && Atomics.compareExchange(i32, i, c, c | SLEEPERS) !== c)) continue;
    if ((await futexWait(i32, i, c | SLEEPERS, Math.min(left, OWNER_POLL_MS), signal)) === 'aborted') return false;
  }
}

/** Frees an internal lock taken with {@link internalLock} and its kin. */
export function internalUnlock(i32: Int32Array, i: number): void {
  if (Atomics.exchange(i32, i, 0) < 0) futexNotify(i32, i, 1);
}

/*
 * Owner words: written only by the holder, between taking the mutex and
 * freeing it, so plain stores suffice (the mutex's atomic operations order
 * them); an agent that does not hold it can only read someone else's id or 0,
 * never its own.
 */

let meLo = 0;
let meHi = 0;

/** Writes an owner id (below 2^53) into two words starting at `i`. */
export function setOwner(i32: Int32Array, i: number, owner: number): void {
  i32[i] = owner % 0x1_0000_0000 | 0;
  i32[i + 1] = Math.floor(owner / 0x1_0000_0000);
}

/** {@link setOwner} for this agent, without the arithmetic. */
export function setOwnerMe(i32: Int32Array, i: number): void {
  if (meLo === 0 && meHi === 0) {
    const me = agentId();
    meLo = me % 0x1_0000_0000 | 0;
    meHi = Math.floor(me / 0x1_0000_0000);
  }
  i32[i] = meLo;
  i32[i + 1] = meHi;
}

/** Whether the owner words at `i` hold `owner`. */
export function isOwner(i32: Int32Array, i: number, owner: number): boolean {
  return i32[i] === (owner % 0x1_0000_0000 | 0) && i32[i + 1] === Math.floor(owner / 0x1_0000_0000);
}

export function clearOwner(i32: Int32Array, i: number): void {
  i32[i] = 0;
  i32[i + 1] = 0;
}
