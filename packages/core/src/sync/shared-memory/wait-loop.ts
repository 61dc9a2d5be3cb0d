/**
 * The wait loop of the primitives, written once for the async form and its
 * `…Sync` twin. A primitive describes one try as a {@link WaitStep} (take
 * what the caller waits for, and which value of the word to sleep on when it
 * could not); {@link turn} decides what follows (taken, time is up, or sleep
 * so long), and the two drivers only differ in how they sleep: `futexWait`
 * (awaited) or `futexWaitSync` (`Atomics.wait`, workers only).
 *
 * Steps are module constants taking the state as arguments, so a wait makes
 * no closure; the uncontended path stays in each primitive, before the loop.
 */
import { deadlineAfter, futexWait, futexWaitSync, timeLeft } from './futex.js';

/** One try of a wait loop, shared by a primitive's async and `…Sync` forms. */
export interface WaitStep {
  /** Takes what the caller waits for (a permit, the flag, a token, the mutex); true when it did. `index` is the word slept on. */
  attempt(i32: Int32Array, index: number): boolean;
  /** The value the word must still hold for a failed try to sleep; absent: the value read just before the try. */
  readonly sleepOn?: number;
}

/** {@link turn}'s answer when the try succeeded. */
const TAKEN = -1;

/** One turn of a wait loop: TAKEN, 0 when time is up, else how long to sleep (ms). */
function turn(step: WaitStep, i32: Int32Array, index: number, deadline: number): number {
  return step.attempt(i32, index) ? TAKEN : timeLeft(deadline);
}

/**
 * Tries `step` until it succeeds (true), `timeout` ms pass or `signal` aborts
 * (false), sleeping on `i32[index]` between tries.
 */
export async function waitUntil(step: WaitStep, i32: Int32Array, index: number, timeout: number, signal: AbortSignal | undefined): Promise<boolean> {
  const deadline = deadlineAfter(timeout);
  for (;;) {
    const seen = step.sleepOn ?? Atomics.load(i32, index);
    const left = turn(step, i32, index, deadline);
    if (left <= 0) return left === TAKEN;
    if ((await futexWait(i32, index, seen, left, signal)) === 'aborted') return false;
  }
}

/** {@link waitUntil} blocking the thread (workers sharing memory only). */
export function waitUntilSync(step: WaitStep, i32: Int32Array, index: number, timeout: number): boolean {
  const deadline = deadlineAfter(timeout);
  for (;;) {
    const seen = step.sleepOn ?? Atomics.load(i32, index);
    const left = turn(step, i32, index, deadline);
    if (left <= 0) return left === TAKEN;
    futexWaitSync(i32, index, seen, left);
  }
}
