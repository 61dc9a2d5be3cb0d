/**
 * What `wait` and `asCompleted` accept, and how they learn that one settled:
 * executors' `Future`s and `AsyncResult`s from any pool, mixed freely.
 * Watching one attaches both handlers, so waiting never causes an unhandled
 * rejection, and never cancels or changes what it waits on.
 */
import { AsyncResult } from '../pool/async-result.js';
import { show } from '../util/validate.js';
import { Future } from './future.js';

/**
 * Something `wait` and `asCompleted` can wait on: a `Future` from any executor or an `AsyncResult` from any pool.
 *
 * @example
 * ```ts
 * const all: Waitable<number>[] = [ex.submit('square', [2]), pool.applyAsync('square', [3])];
 * await wait(all);
 * ```
 */
export type Waitable<T = unknown> = Future<T> | AsyncResult<T>;

/** The distinct waitables of `fs`, in first-seen order; a precise TypeError for anything else. */
export function checkWaitables<F>(fs: unknown, what: string): F[] {
  if (fs === null || typeof fs !== 'object' || typeof (fs as Iterable<unknown>)[Symbol.iterator] !== 'function') {
    throw new TypeError(`${what} must be an iterable of Futures or AsyncResults, got ${show(fs)}`);
  }
  const seen = new Set<unknown>();
  let i = 0;
  for (const f of fs as Iterable<unknown>) {
    if (!(f instanceof Future) && !(f instanceof AsyncResult)) throw new TypeError(`${what}[${i}] must be a Future or an AsyncResult, got ${show(f)}`);
    seen.add(f);
    i++;
  }
  return [...seen] as F[];
}

/** Whether it is done: finished, failed or (a future) cancelled. */
export function settled(f: Waitable): boolean {
  return f instanceof Future ? f.done() : f.ready();
}

/** Whether it failed with an error (call only once it is done): a cancelled future did not, as in Python. */
export function failed(f: Waitable): boolean {
  return f instanceof Future ? f._failed() : !f.successful();
}

/** Calls `settled(f)` once `f` settles (at a later microtask even if it already has). */
export function watch<F extends Waitable>(f: F, settled: (f: F) => void): void {
  f.then(
    () => settled(f),
    () => settled(f),
  );
}
