/**
 * `asCompleted(fs, { timeout })`: Python's `concurrent.futures.as_completed`.
 * Yields the distinct waitables themselves (not their values): the ones
 * already settled first, then the rest as they settle; throws `TimeoutError`
 * when the timeout, counted from the call, passes with some still pending.
 */
import { TimeoutError } from '../errors.js';
import { checkOptions, checkWaitTimeout, TIMEOUT_OPTION_KEYS } from '../util/validate.js';
import { checkWaitables, settled as isDone, watch, type Waitable } from './waitable.js';

/**
 * Options of `asCompleted(fs, options)`.
 *
 * @example
 * ```ts
 * for await (const f of asCompleted(futures, { timeout: 30_000 })) console.log(await f.result());
 * ```
 */
export interface AsCompletedOptions {
  /** Milliseconds from the call; then the iterator throws `TimeoutError`. 0 yields only what is done. */
  timeout?: number;
}

/**
 * What `asCompleted` yields: the future or result itself, typed without its
 * `then`. TypeScript types a `for await` variable as the awaited value of a
 * thenable, although the loop does not await what an async iterator yields;
 * without `then` in the type, `f.result()`, `f.cancelled()` or `r.get()` in
 * the loop type-check. (`await f` still gives the value at run time.)
 *
 * @example
 * ```ts
 * for await (const f of asCompleted(futures)) {
 *   const done: Completed<Future<number>> = f;
 *   if (!done.cancelled()) console.log(await done.result());
 * }
 * ```
 */
export type Completed<F> = Omit<F, 'then'>;

/**
 * Yields `Future`s from any executor and `AsyncResult`s from any pool as they
 * complete (cancelled ones count), each once, as Python's `as_completed`:
 * arguments are checked at the call; it never cancels.
 *
 * @example
 * ```ts
 * const rs = urls.map((u) => pool.applyAsync('fetchSize', [u]));
 * for await (const r of asCompleted(rs, { timeout: 60_000 })) console.log(await r.get());
 * ```
 */
export function asCompleted<F extends Waitable>(fs: Iterable<F>, options?: AsCompletedOptions): AsyncIterableIterator<Completed<F>> {
  const list = checkWaitables<F>(fs, 'asCompleted: fs');
  const o = options === undefined ? {} : (checkOptions(options, 'asCompleted options', TIMEOUT_OPTION_KEYS) as AsCompletedOptions);
  const timeout = checkWaitTimeout(o.timeout, 'asCompleted: timeout');
  const deadline = timeout === undefined ? undefined : Date.now() + timeout;
  // Settled ones, in the order to yield: those done at the call first, then by completion.
  const settled: F[] = [];
  const pending = new Set<F>();
  for (const f of list) {
    if (isDone(f)) settled.push(f);
    else pending.add(f);
  }
  let wake: (() => void) | undefined;
  for (const f of pending) {
    watch(f, (done) => {
      if (!pending.delete(done)) return;
      settled.push(done);
      wake?.();
    });
  }
  let next = 0;
  const iterator: AsyncIterableIterator<F> = {
    [Symbol.asyncIterator]() {
      return iterator;
    },
    async next(): Promise<IteratorResult<F>> {
      while (next >= settled.length) {
        if (pending.size === 0) return { done: true, value: undefined };
        const left = deadline === undefined ? undefined : deadline - Date.now();
        if (left !== undefined && left <= 0) {
          throw new TimeoutError(`${pending.size} (of ${list.length}) futures unfinished`);
        }
        await new Promise<void>((resolve) => {
          const timer = left === undefined ? undefined : setTimeout(resolve, left);
          wake = () => {
            if (timer !== undefined) clearTimeout(timer);
            wake = undefined;
            resolve();
          };
        });
      }
      return { done: false, value: settled[next++] };
    },
    async return(): Promise<IteratorResult<F>> {
      next = settled.length;
      pending.clear();
      return { done: true, value: undefined };
    },
  };
  return iterator as AsyncIterableIterator<Completed<F>>;
}
