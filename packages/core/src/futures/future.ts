/**
 * `Future<T>`: what an executor's `submit` returns, Python's
 * `concurrent.futures.Future`. It is queued until a worker starts its task,
 * then running, then done: finished (a value or an error) or cancelled.
 * `cancel()` works only while it is queued, on either executor.
 *
 * Like `AsyncResult`, it never causes an unhandled rejection by itself: no
 * promise exists until the user asks for one (`result`, `exception`, `then`).
 */
import { CancelledError, TimeoutError } from '../errors.js';
import type { Task, TaskSink } from '../pool/task.js';
import { clearLongTimeout, setLongTimeout } from '../util/long-timer.js';
import { checkOptions, checkWaitTimeout, show, TIMEOUT_OPTION_KEYS } from '../util/validate.js';
import { reportCallbackError } from '../util/report-error.js';

const PENDING = 0;
const FULFILLED = 1;
const REJECTED = 2;
const CANCELLED = 3;

/**
 * Options of `Future.result` and `Future.exception`.
 *
 * @example
 * ```ts
 * const v = await future.result({ timeout: 1_000 });   // TimeoutError after a second; the task goes on
 * ```
 */
export interface FutureWaitOptions {
  /** Milliseconds; `undefined` or `Infinity` waits for ever, `0` only looks. Negative or NaN: an error. */
  timeout?: number;
}

/** What a future asks of the pool its task is on (the scheduler). */
export interface FutureControl {
  /** Whether a worker has started the task (and not yet reported it). */
  isRunning(task: Task): boolean;
  /** Fails the task now with `error`, and asks its worker to skip it if it holds it. */
  cancel(task: Task, error: Error): void;
}

/**
 * The pending outcome of a task submitted to an executor. An executor's
 * `submit` makes it; user code receives one, it does not make one.
 *
 * @example
 * ```ts
 * const f = ex.submit('fib', [30]);
 * f.addDoneCallback((done) => console.log('done', done.cancelled()));
 * console.log(await f.result({ timeout: 10_000 }));
 * ```
 */
export class Future<T> implements PromiseLike<T> {
  #state: 0 | 1 | 2 | 3 = PENDING;
  #value: unknown;
  #promise: Promise<T> | undefined;
  // Typed without T (private fields count in assignability): a Future<number> is a Future<unknown>.
  #resolve: ((value: unknown) => void) | undefined;
  #reject: ((error: unknown) => void) | undefined;
  #callbacks: ((f: never) => void)[] | undefined;
  #control: FutureControl | undefined;
  #task: Task | undefined;
  #cancelling = false;

  /**
   * Whether it was cancelled before a worker started it.
   *
   * @example
   * ```ts
   * f.cancel(); f.cancelled(); // true if it had not started
   * ```
   */
  cancelled(): boolean {
    return this.#state === CANCELLED;
  }

  /**
   * Whether a worker is running its task now.
   *
   * @example
   * ```ts
   * if (f.running()) console.log('too late to cancel');
   * ```
   */
  running(): boolean {
    return this.#state === PENDING && this.#task !== undefined && (this.#control as FutureControl).isRunning(this.#task);
  }

  /**
   * Whether it is finished (a value or an error) or cancelled.
   *
   * @example
   * ```ts
   * const finished = futures.filter((f) => f.done());
   * ```
   */
  done(): boolean {
    return this.#state !== PENDING;
  }

  /**
   * Cancels it if no worker has started it yet, and returns true (also when it
   * was already cancelled); returns false when it is running or finished.
   * A cancelled future's `result()`, `exception()` and `await` reject with
   * `CancelledError`, and its done callbacks run.
   *
   * @example
   * ```ts
   * const f = ex.submit('fib', [35]);
   * if (f.cancel()) console.log('it never ran');
   * ```
   */
  cancel(): boolean {
    if (this.#state === CANCELLED) return true;
    if (this.#state !== PENDING) return false;
    const task = this.#task;
    if (task !== undefined && (this.#control as FutureControl).isRunning(task)) return false;
    const error = new CancelledError('The future was cancelled before it started');
    this.#cancelling = true;
    // The task's sink settles this future (as cancelled) when the pool fails the task.
    if (task !== undefined) (this.#control as FutureControl).cancel(task, error);
    this.#settle(false, error);
    return true;
  }

  /**
   * The value. Rejects with the task's error, with `CancelledError` if it was
   * cancelled, or with `TimeoutError` when `timeout` passes first (the task
   * goes on; `timeout: 0` only looks).
   *
   * @example
   * ```ts
   * const n = await f.result({ timeout: 5_000 });
   * ```
   */
  result(options?: FutureWaitOptions): Promise<T> {
    const timeout = checkWaitTimeout(checkOptions(options, 'result options', TIMEOUT_OPTION_KEYS).timeout, 'result options.timeout');
    if (timeout === 0 && this.#state === PENDING) return Promise.reject(notDone(0));
    return this.#within(timeout, this.#settledPromise());
  }

  /**
   * The task's error, or `null` once it succeeded; it does not reject for the
   * task's error. Rejects with `CancelledError` if it was cancelled, and with
   * `TimeoutError` when `timeout` passes first.
   *
   * @example
   * ```ts
   * const err = await f.exception();
   * if (err !== null) console.error(err);
   * ```
   */
  exception(options?: FutureWaitOptions): Promise<unknown> {
    const timeout = checkWaitTimeout(checkOptions(options, 'exception options', TIMEOUT_OPTION_KEYS).timeout, 'exception options.timeout');
    if (timeout === 0 && this.#state === PENDING) return Promise.reject(notDone(0));
    const outcome = this.#settledPromise().then(
      () => null,
      (error: unknown) => {
        if (this.#state === CANCELLED) throw error;
        return error;
      },
    );
    return this.#within(timeout, outcome);
  }

  /**
   * Calls `fn(future)` once it is done (finished or cancelled), in the order
   * added; at once if it already is. A callback that throws is reported, and
   * the others still run.
   *
   * @example
   * ```ts
   * f.addDoneCallback((done) => bar.tick());
   * ```
   */
  addDoneCallback(fn: (future: Future<T>) => void): void {
    if (typeof fn !== 'function') throw new TypeError(`addDoneCallback: fn must be a function, got ${show(fn)}`);
    if (this.#state !== PENDING) {
      this.#call(fn);
      return;
    }
    (this.#callbacks ??= []).push(fn);
  }

  // biome-ignore lint/suspicious/noThenProperty: PromiseLike by design (await works on a Future)
  then<A = T, B = never>(
    onfulfilled?: ((value: T) => A | PromiseLike<A>) | null,
    onrejected?: ((reason: unknown) => B | PromiseLike<B>) | null,
  ): Promise<A | B> {
    return this.#settledPromise().then(onfulfilled, onrejected);
  }

  /** @internal the executor ties the future to its task (and the pool that runs it). */
  _bind(control: FutureControl, task: Task): void {
    this.#control = control;
    this.#task = task;
  }

  /** @internal settles it once; later calls do nothing (the first outcome stays, SEMANTICS F06). */
  _settle(ok: boolean, value: unknown): void {
    this.#settle(ok, value);
  }

  /** @internal whether it finished with an error (not cancelled): `wait`'s FIRST_EXCEPTION. */
  _failed(): boolean {
    return this.#state === REJECTED;
  }

  #settle(ok: boolean, value: unknown): void {
    if (this.#state !== PENDING) return;
    this.#state = ok ? FULFILLED : this.#cancelling ? CANCELLED : REJECTED;
    this.#value = value;
    this.#task = undefined;
    this.#control = undefined;
    if (this.#resolve !== undefined) {
      if (ok) this.#resolve(value);
      else (this.#reject as (e: unknown) => void)(value);
      this.#resolve = this.#reject = undefined;
    }
    const callbacks = this.#callbacks;
    this.#callbacks = undefined;
    if (callbacks !== undefined) for (const fn of callbacks) this.#call(fn as (f: Future<T>) => void);
  }

  #call(fn: (f: Future<T>) => void): void {
    try {
      fn(this);
    } catch (err) {
      reportCallbackError(err, 'a done callback threw; the other callbacks still run.');
    }
  }

  #within<R>(timeout: number | undefined, promise: Promise<R>): Promise<R> {
    if (timeout === undefined || this.#state !== PENDING) return promise;
    return new Promise<R>((resolve, reject) => {
      const timer = setLongTimeout(() => reject(notDone(timeout)), timeout);
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

  #settledPromise(): Promise<T> {
    if (this.#promise !== undefined) return this.#promise;
    if (this.#state === FULFILLED) this.#promise = Promise.resolve(this.#value as T);
    else if (this.#state !== PENDING) this.#promise = Promise.reject(this.#value);
    else
      this.#promise = new Promise<T>((resolve, reject) => {
        this.#resolve = resolve as (value: unknown) => void;
        this.#reject = reject;
      });
    return this.#promise;
  }
}

/** Settles the future that owns a task (`task.owner`): the executor's `submit` path. */
export const futureSink: TaskSink = {
  taskDone(task: Task, value: unknown): void {
    (task.owner as Future<unknown>)._settle(true, value);
  },
  taskFailed(task: Task, error: unknown): void {
    (task.owner as Future<unknown>)._settle(false, error);
  },
};

function notDone(timeout: number): TimeoutError {
  return new TimeoutError(`The future was not done within ${timeout} ms`);
}
