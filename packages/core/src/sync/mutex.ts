/**
 * Mutexes on one word of a primitive's state.
 *
 * - The futex mutex (Drepper's "mutex 2": 0 free, 1 held, 2 held with
 *   waiters) behind `Lock`, `RLock` and `Condition`: async waits for the
 *   parent and workers, `Atomics.wait` for the `…Sync` twins. Not fair, as
 *   Python's is not.
 * - The internal lock guarding a queue's or a barrier's bookkeeping: held for
 *   a few hundred nanoseconds with no user code inside, so it spins, and
 *   sleeps with `Atomics.wait` only where the agent may block. A holder that
 *   stays too long (it could only be a worker terminated inside it) turns
 *   into a `StateError` rather than a hang.
 */
import { StateError } from '../errors.js';
import { now } from '../util/now.js';
import { agentId, blockingAllowed } from './agent.js';
import { deadlineAfter, futexNotify, futexWait, futexWaitSync, isShared, spinWhile, timeLeft } from './futex.js';

/** Takes the mutex if it is free. */
export function mutexTry(i32: Int32Array, i: number): boolean {
  return Atomics.compareExchange(i32, i, 0, 1) === 0;
}

/** How long a worker polls a held mutex before sleeping (ms), and how many tries the blocking twin makes. */
const SPIN_MS = 0.02;
const SPIN_TRIES = 100;

/** Takes the mutex, waiting up to `timeout` ms (Infinity: forever); false on timeout or abort. */
export async function mutexAcquire(i32: Int32Array, i: number, timeout: number, signal?: AbortSignal): Promise<boolean> {
  if (Atomics.compareExchange(i32, i, 0, 1) === 0) return true;
  if (timeout <= 0) return false;
  const deadline = deadlineAfter(timeout);
  const spin = blockingAllowed() && isShared(i32);
  for (;;) {
    if (spin && Atomics.load(i32, i) !== 0 && spinWhile(i32, i, Atomics.load(i32, i), SPIN_MS) && Atomics.compareExchange(i32, i, 0, 1) === 0) return true;
    if (Atomics.exchange(i32, i, 2) === 0) return true;
    const left = timeLeft(deadline);
    if (left <= 0) return false;
    if ((await futexWait(i32, i, 2, left, signal)) === 'aborted') return false;
  }
}

/** {@link mutexAcquire} blocking the thread (workers only). */
export function mutexAcquireSync(i32: Int32Array, i: number, timeout: number): boolean {
  if (Atomics.compareExchange(i32, i, 0, 1) === 0) return true;
  if (timeout <= 0) return false;
  // A short spin first: critical sections are often shorter than a sleep and a wake-up.
  for (let n = 0; n < SPIN_TRIES; n++) {
    if (Atomics.load(i32, i) === 0 && Atomics.compareExchange(i32, i, 0, 1) === 0) return true;
  }
  const deadline = deadlineAfter(timeout);
  for (;;) {
    if (Atomics.exchange(i32, i, 2) === 0) return true;
    const left = timeLeft(deadline);
    if (left <= 0) return false;
    futexWaitSync(i32, i, 2, left);
  }
}

/** Frees the mutex; false if it was not held. */
export function mutexRelease(i32: Int32Array, i: number): boolean {
  const c = Atomics.exchange(i32, i, 0);
  if (c === 2) futexNotify(i32, i, 1);
  return c !== 0;
}

/** Longest an internal lock may stay taken before we call it broken (ms). */
const INTERNAL_LOCK_LIMIT_MS = 10_000;

/** Takes an internal lock (see the module comment). */
export function internalLock(i32: Int32Array, i: number, what: string): void {
  if (Atomics.compareExchange(i32, i, 0, 1) === 0) return;
  const canSleep = blockingAllowed() && isShared(i32);
  let spins = 0;
  let started = 0;
  for (;;) {
    const c = Atomics.load(i32, i);
    if (c === 0) {
      if (Atomics.compareExchange(i32, i, 0, canSleep ? 2 : 1) === 0) return;
      continue;
    }
    if (++spins < 256) continue;
    if (started === 0) started = now();
    else if (now() - started > INTERNAL_LOCK_LIMIT_MS) {
      throw new StateError(`${what} is unusable: its internal lock has been held for over ${INTERNAL_LOCK_LIMIT_MS / 1000} s (a worker was terminated inside it)`);
    }
    if (canSleep) {
      if (c === 2 || Atomics.compareExchange(i32, i, 1, 2) === 1) Atomics.wait(i32, i, 2, 5);
    }
  }
}

/** Frees an internal lock taken with {@link internalLock}. */
export function internalUnlock(i32: Int32Array, i: number): void {
  if (Atomics.exchange(i32, i, 0) === 2) futexNotify(i32, i, 1);
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
