/**
 * Wait and wake on one 32-bit word, the single blocking mechanism every
 * primitive is built on (a futex, as in Linux).
 *
 * - Shared memory: `Atomics.waitAsync` where the runtime has it; elsewhere a
 *   polling fallback (1, 2, 4 … 16 ms) that watches the word. `…Sync` twins
 *   use `Atomics.wait`.
 * - Local memory (a runtime without `SharedArrayBuffer`): the same calls on a
 *   plain `Int32Array`, with waiters kept in this agent.
 *
 * A wait can be cancelled with an `AbortSignal` (the broker does this for a
 * worker that died). `Atomics.waitAsync` cannot be withdrawn, so a cancelled
 * waiter stays registered as a ghost; if a wake reaches the ghost it passes the
 * wake on, so no real waiter misses it.
 *
 * Node does not keep a process alive for a pending `waitAsync`, so a finite
 * wait also holds a timer: a `wait({ timeout })` in the main thread returns
 * its `false` instead of the process quitting under it.
 *
 * An engine may keep a wait's timeout in 32 bits: Firefox's
 * `Atomics.waitAsync(i32, 0, 0, 2 ** 31)` times out after a few ms. A finite
 * timeout above 2³¹−1 ms is therefore waited in chunks of at most that.
 */
import { clearLongTimeout, MAX_TIMER_DELAY, setLongTimeout, type LongTimeout } from '../../util/long-timer.js';
import { now } from '../../util/now.js';

export type WaitOutcome = 'ok' | 'not-equal' | 'timed-out' | 'aborted';

type WaitAsyncResult = { async: false; value: 'not-equal' | 'timed-out' } | { async: true; value: Promise<'ok' | 'timed-out'> };
type WaitAsyncFn = (ia: Int32Array, index: number, value: number, timeout?: number) => WaitAsyncResult;

let waitAsyncImpl: WaitAsyncFn | null =
  typeof (Atomics as { waitAsync?: unknown }).waitAsync === 'function' ? ((Atomics as unknown as { waitAsync: WaitAsyncFn }).waitAsync.bind(Atomics) as WaitAsyncFn) : null;

const nativeWaitAsync = waitAsyncImpl;

/** @internal for tests: run without `Atomics.waitAsync` (the polling fallback), or restore it. */
export function useWaitAsync(enabled: boolean): void {
  waitAsyncImpl = enabled ? nativeWaitAsync : null;
}

/** True when the word lives in a `SharedArrayBuffer`. */
export function isShared(i32: Int32Array): boolean {
  return typeof SharedArrayBuffer === 'function' && i32.buffer instanceof SharedArrayBuffer;
}

/**
 * Resolves when `i32[index]` is woken or no longer `expected`, after `timeout`
 * ms (`Infinity` waits forever), or when `signal` aborts. `hold`: whether a
 * finite wait keeps Node running (false for a poll inside a longer wait that
 * would not).
 */
export function futexWait(i32: Int32Array, index: number, expected: number, timeout: number, signal?: AbortSignal, hold = true): Promise<WaitOutcome> {
  if (signal?.aborted) return Promise.resolve('aborted');
  if (!isShared(i32)) return localWait(i32, index, expected, timeout, signal);
  if (waitAsyncImpl === null) return pollWait(i32, index, expected, timeout, signal);
  if (timeout > MAX_TIMER_DELAY && timeout !== Infinity) return chunkedWait(i32, index, expected, timeout, signal, hold);
  const r = waitAsyncImpl(i32, index, expected, timeout);
  if (!r.async) return Promise.resolve(r.value);
  const keepAlive = hold ? setLongTimeout(noop, timeout + 1) : undefined;
  if (signal === undefined) {
    return r.value.then((v) => {
      clearLongTimeout(keepAlive);
      return v;
    });
  }
  return new Promise<WaitOutcome>((resolve) => {
    let settled = false;
    const onAbort = (): void => {
      if (settled) return;
      settled = true;
      clearLongTimeout(keepAlive);
      resolve('aborted');
    };
    signal.addEventListener('abort', onAbort, { once: true });
    void r.value.then((v) => {
      if (settled) {
        // A ghost that was woken passes the wake on.
        if (v === 'ok') Atomics.notify(i32, index, 1);
        return;
      }
      settled = true;
      signal.removeEventListener('abort', onAbort);
      clearLongTimeout(keepAlive);
      resolve(v);
    });
  });
}

/** Blocks this thread (workers only) until woken, changed or timed out. */
export function futexWaitSync(i32: Int32Array, index: number, expected: number, timeout: number): 'ok' | 'not-equal' | 'timed-out' {
  if (timeout <= MAX_TIMER_DELAY || timeout === Infinity) return Atomics.wait(i32, index, expected, timeout);
  const end = now() + timeout;
  for (;;) {
    const left = end - now();
    const r = Atomics.wait(i32, index, expected, Math.min(left, MAX_TIMER_DELAY));
    if (r !== 'timed-out' || left <= MAX_TIMER_DELAY) return r;
  }
}

/** A finite wait longer than an engine's 32-bit timeout, one chunk at a time. */
async function chunkedWait(i32: Int32Array, index: number, expected: number, timeout: number, signal: AbortSignal | undefined, hold: boolean): Promise<WaitOutcome> {
  const end = now() + timeout;
  for (;;) {
    const left = end - now();
    const r = await futexWait(i32, index, expected, Math.min(left, MAX_TIMER_DELAY), signal, hold);
    if (r !== 'timed-out' || left <= MAX_TIMER_DELAY) return r;
  }
}

/** Wakes up to `count` waiters of `i32[index]`. */
export function futexNotify(i32: Int32Array, index: number, count = Infinity): void {
  // Atomics.notify is a no-op on local memory; local waiters are only looked for when there are some.
  Atomics.notify(i32, index, count);
  if (localWaiting > 0) localNotify(i32, index, count);
}

function noop(): void {}

async function pollWait(i32: Int32Array, index: number, expected: number, timeout: number, signal: AbortSignal | undefined): Promise<WaitOutcome> {
  const end = now() + timeout;
  let delay = 1;
  for (;;) {
    if (Atomics.load(i32, index) !== expected) return 'ok';
    if (signal?.aborted) return 'aborted';
    const left = end - now();
    if (left <= 0) return 'timed-out';
    await new Promise((resolve) => setTimeout(resolve, Math.min(delay, left)));
    delay = Math.min(delay * 2, 16);
  }
}

// --- local memory: waiters kept in this agent ---

interface LocalWaiter {
  resolve(outcome: WaitOutcome): void;
}

const localWaiters = new WeakMap<ArrayBufferLike, Map<number, Set<LocalWaiter>>>();
let localWaiting = 0;

function localWait(i32: Int32Array, index: number, expected: number, timeout: number, signal: AbortSignal | undefined): Promise<WaitOutcome> {
  if (Atomics.load(i32, index) !== expected) return Promise.resolve('not-equal');
  if (timeout <= 0) return Promise.resolve('timed-out');
  const slot = i32.byteOffset / 4 + index;
  let byIndex = localWaiters.get(i32.buffer);
  if (byIndex === undefined) localWaiters.set(i32.buffer, (byIndex = new Map()));
  let set = byIndex.get(slot);
  if (set === undefined) byIndex.set(slot, (set = new Set()));
  const waiters = set;
  return new Promise<WaitOutcome>((resolve) => {
    let timer: LongTimeout | undefined;
    const waiter: LocalWaiter = {
      resolve(outcome) {
        if (waiters.delete(waiter)) localWaiting--;
        clearLongTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        resolve(outcome);
      },
    };
    const onAbort = (): void => waiter.resolve('aborted');
    waiters.add(waiter);
    localWaiting++;
    timer = setLongTimeout(() => waiter.resolve('timed-out'), timeout);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

function localNotify(i32: Int32Array, index: number, count: number): void {
  const set = localWaiters.get(i32.buffer)?.get(i32.byteOffset / 4 + index);
  if (set === undefined) return;
  for (const w of [...set]) {
    if (count-- <= 0) break;
    w.resolve('ok');
  }
}

/** Milliseconds left before `deadline` (a `now()` time), never negative. */
export function timeLeft(deadline: number): number {
  return deadline === Infinity ? Infinity : Math.max(0, deadline - now());
}

/** A deadline `timeout` ms from now (`Infinity` stays `Infinity`). */
export function deadlineAfter(timeout: number): number {
  return timeout === Infinity ? Infinity : now() + timeout;
}

/**
 * Polls `i32[index]` for up to `ms` while it still holds `value`; true if it
 * changed. For workers, before paying for a sleep and a wake-up.
 */
export function spinWhile(i32: Int32Array, index: number, value: number, ms: number): boolean {
  const end = now() + ms;
  for (let n = 1; ; n++) {
    if (Atomics.load(i32, index) !== value) return true;
    if ((n & 31) === 0 && now() > end) return false;
  }
}
