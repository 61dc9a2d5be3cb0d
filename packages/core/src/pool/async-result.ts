/**
 * `AsyncResult<T>`: the handle `applyAsync`, `mapAsync` and `starmapAsync`
 * return, as Python's. It is `PromiseLike<T>`, so `await result` works.
 *
 * It never causes an unhandled rejection by itself: no promise exists until
 * the user asks for one (`get`, `then`, `wait`), so fire-and-forget is safe.
 */
import { NotReadyError, TimeoutError } from '../errors.js';
import { clearLongTimeout, setLongTimeout } from '../util/long-timer.js';
import { checkOptions, checkTimeout, TIMEOUT_OPTION_KEYS } from '../util/validate.js';
import { reportCallbackError } from '../util/report-error.js';

const PENDING = 0;
const FULFILLED = 1;
const REJECTED = 2;

/**
 * Options of `AsyncResult.get` and `AsyncResult.wait`.
 *
 * @example
 * ```ts
 * const v = await r.get({ timeout: 5_000 });   // TimeoutError after 5 s; the task goes on
 * const ready = await r.wait({ timeout: 0 });   // just looks
 * ```
 */
export interface WaitOptions {
  /** Milliseconds; `undefined` or `Infinity` waits forever, `0` or less does not wait. */
  timeout?: number;
}

/**
 * Called with the value once the task succeeds.
 *
 * @example
 * ```ts
 * const onValue: ResultCallback<number> = (v) => console.log('fib(30) =', v);
 * pool.applyAsync('fib', [30], { callback: onValue });
 * ```
 */
export type ResultCallback<T> = (value: T) => void;
/**
 * Called with the error once the task fails.
 *
 * @example
 * ```ts
 * const onError: ErrorCallback = (err) => console.error('task failed', err);
 * pool.applyAsync('fib', [30], { errorCallback: onError });
 * ```
 */
export type ErrorCallback = (error: unknown) => void;

/**
 * The pending result of a task submitted with `applyAsync`, `mapAsync` or `starmapAsync`.
 *
 * @example
 * ```ts
 * const r = pool.applyAsync('fib', [30]);
 * r.ready();                 // false while it runs
 * const v = await r.get({ timeout: 5_000 });
 * r.successful();            // true
 * ```
 */
export class AsyncResult<T> implements PromiseLike<T> {
  #state: 0 | 1 | 2 = PENDING;
  #value: unknown;
  #promise: Promise<T> | undefined;
  // Typed without T (private fields count in assignability): an AsyncResult<number> is an AsyncResult<unknown>.
  #resolve: ((value: unknown) => void) | undefined;
  #reject: ((error: unknown) => void) | undefined;
  #callback: ResultCallback<never> | undefined;
  #errorCallback: ErrorCallback | undefined;

  /** Created by the pool (applyAsync, mapAsync, starmapAsync); user code receives one, it does not make one. */
  constructor(callback?: ResultCallback<T>, errorCallback?: ErrorCallback) {
    this.#callback = callback as ResultCallback<never> | undefined;
    this.#errorCallback = errorCallback;
  }

  /**
   * Whether the task has finished, successfully or not.
   *
   * @example
   * ```ts
   * while (!r.ready()) await sleep(10);
   * ```
   */
  ready(): boolean {
    return this.#state !== PENDING;
  }

  /**
   * Whether the task succeeded. Throws `NotReadyError` while it has not finished.
   *
   * @example
   * ```ts
   * await r.wait(); if (!r.successful()) console.error('failed');
   * ```
   */
  successful(): boolean {
    if (this.#state === PENDING) throw new NotReadyError('The result is not ready yet; await result.wait() first');
    return this.#state === FULFILLED;
  }

  /**
   * The value, or the task's error. With a `timeout` that passes first it
   * rejects with `TimeoutError` and the task goes on; a later `get()` still
   * returns the value. A failed task rejects with the same error object every time.
   *
   * @example
   * ```ts
   * const value = await r.get({ timeout: 1_000 });
   * ```
   */
  get(options?: WaitOptions): Promise<T> {
    const timeout = checkTimeout(checkOptions(options, 'get options', TIMEOUT_OPTION_KEYS).timeout, 'get options.timeout');
    if (timeout === undefined || this.#state !== PENDING) return this.#settledPromise();
    const promise = this.#settledPromise();
    return new Promise<T>((resolve, reject) => {
      const timer = setLongTimeout(() => reject(new TimeoutError(`The result was not ready within ${timeout} ms`)), timeout);
      promise.then(
        (v) => {
          clearLongTimeout(timer);
          resolve(v);
        },
        (e: unknown) => {
          clearLongTimeout(timer);
          reject(e);
        },
      );
    });
  }

  /**
   * Waits until the result is ready or `timeout` passes; never rejects. Check `ready()` after.
   *
   * @example
   * ```ts
   * await r.wait({ timeout: 100 });
   * if (!r.ready()) console.log('still running');
   * ```
   */
  wait(options?: WaitOptions): Promise<void> {
    const timeout = checkTimeout(checkOptions(options, 'wait options', TIMEOUT_OPTION_KEYS).timeout, 'wait options.timeout');
    if (this.#state !== PENDING) return Promise.resolve();
    const done = this.#settledPromise().then(noop, noop);
    if (timeout === undefined) return done;
    return new Promise<void>((resolve) => {
      const timer = setLongTimeout(resolve, timeout);
      void done.then(() => {
        clearLongTimeout(timer);
        resolve();
      });
    });
  }

  // biome-ignore lint/suspicious/noThenProperty: PromiseLike by design (await works on an AsyncResult)
  then<A = T, B = never>(
    onfulfilled?: ((value: T) => A | PromiseLike<A>) | null,
    onrejected?: ((reason: unknown) => B | PromiseLike<B>) | null,
  ): Promise<A | B> {
    return this.#settledPromise().then(onfulfilled, onrejected);
  }

  /** @internal settles the result; called once by the pool. */
  _settle(ok: boolean, value: unknown): void {
    if (this.#state !== PENDING) return;
    // Callbacks run before the result turns ready (Python's order); a callback
    // that throws is reported and never stops delivery (SEMANTICS L19).
    const cb = ok ? this.#callback : this.#errorCallback;
    if (cb !== undefined) {
      try {
        (cb as (v: unknown) => void)(value);
      } catch (err) {
        reportCallbackError(err, 'a result callback threw; results keep being delivered.');
      }
    }
    this.#state = ok ? FULFILLED : REJECTED;
    this.#value = value;
    this.#callback = this.#errorCallback = undefined;
    if (this.#resolve !== undefined) {
      if (ok) this.#resolve(value);
      else (this.#reject as (e: unknown) => void)(value);
      this.#resolve = this.#reject = undefined;
    }
  }

  #settledPromise(): Promise<T> {
    if (this.#promise !== undefined) return this.#promise;
    if (this.#state === FULFILLED) this.#promise = Promise.resolve(this.#value as T);
    else if (this.#state === REJECTED) this.#promise = Promise.reject(this.#value);
    else
      this.#promise = new Promise<T>((resolve, reject) => {
        this.#resolve = resolve as (value: unknown) => void;
        this.#reject = reject;
      });
    return this.#promise;
  }
}

function noop(): void {}
