/**
 * The iterator an executor's `map` returns: results in input order, over an
 * ordered imap job, with Python's `Executor.map` rules on top. Its `timeout`
 * counts from the `map` call for the whole map; the first error (a task's
 * error, the timeout, a cancelled chunk) ends it, and the work not started yet
 * is dropped, as Python's map cancels its remaining futures.
 */
import { TimeoutError } from '../errors.js';
import { clearLongTimeout, setLongTimeout } from '../util/long-timer.js';
import type { ImapJob } from '../pool/imap-job.js';

const DONE_RESULT: IteratorResult<never, undefined> = Object.freeze({ done: true, value: undefined });

/**
 * One `map` of an executor.
 *
 * @example
 * ```ts
 * for await (const r of ex.map('fib', [20, 21, 22], { timeout: 60_000 })) console.log(r);
 * ```
 */
export class ExecutorMap<R> implements AsyncIterableIterator<R, undefined> {
  readonly #job: ImapJob<R>;
  readonly #deadline: number | undefined;
  readonly #timeout: number | undefined;
  /** The executor's maps still open (so `shutdown` can stop their input); this one leaves it when it ends. */
  readonly #open: Set<ExecutorMap<unknown>>;
  /** Whether it takes its input as it goes (a `buffersize` was given), so a shutdown cuts it. */
  readonly lazy: boolean;
  #ended = false;

  constructor(job: ImapJob<R>, timeout: number | undefined, lazy: boolean, open: Set<ExecutorMap<unknown>>) {
    this.#job = job;
    this.#timeout = timeout;
    this.#deadline = timeout === undefined ? undefined : Date.now() + timeout;
    this.lazy = lazy;
    this.#open = open;
    open.add(this as ExecutorMap<unknown>);
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  next(): Promise<IteratorResult<R, undefined>> {
    if (this.#ended) return Promise.resolve(DONE_RESULT);
    const next = this.#job.next();
    if (this.#deadline === undefined) return next.then(this.#onResult, this.#onError);
    const left = Math.max(0, this.#deadline - Date.now());
    return new Promise<IteratorResult<R, undefined>>((resolve, reject) => {
      // A result there already wins: it settles in a microtask, before any timer.
      const timer = setLongTimeout(() => {
        this.#end();
        reject(new TimeoutError(`The map did not finish within ${this.#timeout} ms of the call`));
      }, left);
      next.then(this.#onResult, this.#onError).then(
        (r) => {
          clearLongTimeout(timer);
          resolve(r);
        },
        (e: unknown) => {
          clearLongTimeout(timer);
          reject(e);
        },
      );
    });
  }

  readonly #onResult = (r: IteratorResult<R, undefined>): IteratorResult<R, undefined> => {
    if (r.done === true) this.#end();
    return r;
  };

  readonly #onError = (error: unknown): never => {
    this.#end();
    throw error;
  };

  /** Ends it early (`break`): queued work is dropped, results still running are discarded. */
  return(): Promise<IteratorResult<R, undefined>> {
    this.#end();
    return Promise.resolve(DONE_RESULT);
  }

  /** @internal the executor shut down: take no more input, and throw `error` where it was cut. */
  _stopInput(error: unknown): void {
    this.#job.stopInput(error);
  }

  #end(): void {
    if (this.#ended) return;
    this.#ended = true;
    this.#open.delete(this as ExecutorMap<unknown>);
    void this.#job.return();
  }
}
