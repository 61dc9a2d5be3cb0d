/**
 * What `wait` and `asCompleted` accept, and how they learn that one settled:
 * `AsyncResult`s from any pool (and, once they exist, executors' futures).
 * Watching one attaches both handlers, so waiting never causes an unhandled
 * rejection, and never cancels or changes what it waits on.
 */
import { AsyncResult } from '../pool/async-result.js';
import { show } from '../util/validate.js';

/** Something `wait` and `asCompleted` can wait on: an `AsyncResult` from any pool. */
export interface Waitable<T = unknown> extends PromiseLike<T> {
  ready(): boolean;
  successful(): boolean;
}

/** The distinct waitables of `fs`, in first-seen order; a precise TypeError for anything else. */
export function checkWaitables<F>(fs: unknown, what: string): F[] {
  if (fs === null || typeof fs !== 'object' || typeof (fs as Iterable<unknown>)[Symbol.iterator] !== 'function') {
    throw new TypeError(`${what} must be an iterable of AsyncResults, got ${show(fs)}`);
  }
  const seen = new Set<unknown>();
  let i = 0;
  for (const f of fs as Iterable<unknown>) {
    if (!(f instanceof AsyncResult)) throw new TypeError(`${what}[${i}] must be an AsyncResult, got ${show(f)}`);
    seen.add(f);
    i++;
  }
  return [...seen] as F[];
}

/** A timeout in ms from the call: undefined (or Infinity) waits for ever; 0 only looks. */
export function checkWaitTimeout(value: unknown, what: string): number | undefined {
  if (value === undefined || value === null || value === Number.POSITIVE_INFINITY) return undefined;
  if (typeof value !== 'number' || Number.isNaN(value)) throw new TypeError(`${what} must be a number of milliseconds, got ${show(value)}`);
  if (value < 0) throw new RangeError(`${what} must be 0 or more milliseconds, got ${show(value)}`);
  return value;
}

/** Whether it settled by failing (call only once it is ready). */
export function failed(f: Waitable): boolean {
  return !f.successful();
}

/** Calls `settled(f)` once `f` settles (at a later microtask even if it already has). */
export function watch<F extends Waitable>(f: F, settled: (f: F) => void): void {
  f.then(
    () => settled(f),
    () => settled(f),
  );
}
