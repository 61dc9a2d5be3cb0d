/**
 * `Executor`: Python's `concurrent.futures` executors over a pool of workers.
 * Runtime packages export it bound to their adapters as `ThreadPoolExecutor`
 * (the default workers) and, where there are child processes,
 * `ProcessPoolExecutor`. Same scheduler as `Pool`, so a future whose worker
 * dies rejects with `WorkerExitedError` and the executor goes on.
 */
import type { RuntimeAdapter } from '../adapter.js';
import { AbortError, BrokenPoolError, CancelledError, PoolClosedError } from '../errors.js';
import { TaskKind } from '../protocol/messages.js';
import { createScheduler } from '../pool/create-scheduler.js';
import { ImapJob } from '../pool/imap-job.js';
import { APPLY_OPTION_KEYS, checkIterable, NO_TASK_OPTIONS, taskOptionsOf, type ApplyOptions } from '../pool/pool-options.js';
import type { Scheduler } from '../pool/scheduler.js';
import type { AnyIterable, MapItem, TaskArgs, TaskName, TaskResult, Pid, UntypedModule } from '../types.js';
import type { SourceInput } from '../util/source.js';
import { checkArgs, checkName, checkOptions, checkPositiveInt, checkWaitTimeout, optionKeys, show } from '../util/validate.js';
import { assertNotLoadingTaskModule } from '../worker-scope.js';
import { ExecutorMap } from './executor-map.js';
import { Future, futureSink } from './future.js';

/**
 * Options of `new ThreadPoolExecutor(source, options)` and `new ProcessPoolExecutor(...)`.
 *
 * @example
 * ```ts
 * const ex = new ThreadPoolExecutor<Tasks>(url, { maxWorkers: 4, initializer: 'setup', initargs: [config] });
 * ```
 */
export interface ExecutorOptions<M extends object = UntypedModule> {
  /** Number of workers, 1 to 1024. @default cpuCount() */
  maxWorkers?: number;
  /** A task name run once in each new worker before its first task (and in every replacement). */
  initializer?: TaskName<M>;
  /** Arguments of the initializer. @default [] */
  initargs?: readonly unknown[];
  /** Replace a worker after it has run this many tasks (a map chunk counts as one). @default unlimited */
  maxTasksPerChild?: number;
  /** For adapter authors and tests: the runtime adapter. Runtime packages fill this in. */
  adapter?: RuntimeAdapter;
  /** Passed to the adapter's spawn untouched (Node: `env`, `execArgv`, `resourceLimits`...). */
  workerOptions?: Readonly<Record<string, unknown>>;
}

/**
 * Options of `submit`: those of `pool.apply`.
 *
 * @example
 * ```ts
 * const f = ex.submit('fetchPage', [url], { timeout: 5_000, signal: controller.signal });
 * ```
 */
export type SubmitOptions = ApplyOptions;

/**
 * Options of an executor's `map`.
 *
 * @example
 * ```ts
 * for await (const v of ex.map('square', bigInput, { chunksize: 100, buffersize: 8, timeout: 60_000 })) use(v);
 * ```
 */
export interface ExecutorMapOptions {
  /** Milliseconds for the whole map, from the call; then the iterator throws `TimeoutError`. */
  timeout?: number;
  /** Items per task sent to a worker. @default sized from measured task times */
  chunksize?: number;
  /** At most this many chunks submitted ahead of the consumer; the input is read as it goes. @default the whole input at the call */
  buffersize?: number;
}

/**
 * Options of `shutdown`.
 *
 * @example
 * ```ts
 * await ex.shutdown({ wait: true, cancelFutures: true });   // drop queued work, let running tasks finish
 * ```
 */
export interface ShutdownOptions {
  /** Resolve once every submitted future is done and the workers have exited. @default true */
  wait?: boolean;
  /** Cancel the futures (and map chunks) no worker has started. @default false */
  cancelFutures?: boolean;
}

const EXECUTOR_OPTION_KEYS = optionKeys<ExecutorOptions>({ maxWorkers: true, initializer: true, initargs: true, maxTasksPerChild: true, adapter: true, workerOptions: true });
const EXECUTOR_MAP_OPTION_KEYS = optionKeys<ExecutorMapOptions>({ timeout: true, chunksize: true, buffersize: true });
const SHUTDOWN_OPTION_KEYS = optionKeys<ShutdownOptions>({ wait: true, cancelFutures: true });

/**
 * A pool of workers with Python's `concurrent.futures` interface: `submit`
 * returns a `Future`, `map` an async iterator in input order, `shutdown` ends it.
 * Construct it as the runtime's `ThreadPoolExecutor` or `ProcessPoolExecutor`.
 *
 * @example
 * ```ts
 * import { ThreadPoolExecutor, asCompleted } from '@multiproc/node';
 * await using ex = new ThreadPoolExecutor<typeof import('./tasks.js')>(new URL('./tasks.js', import.meta.url), { maxWorkers: 4 });
 * const fs = [30, 31, 32].map((n) => ex.submit('fib', [n]));
 * for await (const f of asCompleted(fs)) console.log(await f.result());
 * for await (const r of ex.map('fib', [20, 21, 22])) console.log(r);
 * ```
 */

export class Executor<M extends object = UntypedModule, P extends Pid = number> {
  readonly #s: Scheduler;
  /** Items per ms per worker that each task's last map measured (as `Pool`'s). */
  readonly #speeds = new Map<string, number>();
  /** Maps not yet ended: a shutdown stops their input. */
  readonly #maps = new Set<ExecutorMap<unknown>>();
  #shutdown = false;

  constructor(source: SourceInput, options?: ExecutorOptions<M>) {
    assertNotLoadingTaskModule('an executor');
    const o = checkOptions(options, 'executor options', EXECUTOR_OPTION_KEYS) as ExecutorOptions<M>;
    this.#s = createScheduler(source, o, o.maxWorkers, 'maxWorkers', 'ThreadPoolExecutor');
  }

  /** Number of workers it keeps. */
  get maxWorkers(): number {
    return this.#s.processes;
  }

  /** Pids of the live workers (strings where they are not this machine's: see {@link Pid}). */
  get pids(): P[] {
    return this.#s.pids() as P[];
  }

  /**
   * Resolves when every worker has started and run its initializer, as
   * `pool.ready()`; rejects with `BrokenPoolError` when they cannot start.
   *
   * @example
   * ```ts
   * await ex.ready(); // the first futures pay no start-up
   * ```
   */
  ready(): Promise<void> {
    return this.#s.ready();
  }

  /**
   * Submits one task and returns its `Future` at once. Throws `PoolClosedError`
   * after `shutdown()`, and `BrokenPoolError` once its workers cannot start.
   *
   * @example
   * ```ts
   * const f = ex.submit('fib', [30], { timeout: 10_000 });
   * console.log(await f.result());
   * ```
   */
  submit<K extends TaskName<M>>(name: K, args: Readonly<TaskArgs<M, K>>, options?: SubmitOptions): Future<TaskResult<M, K>> {
    checkName(name, 'task name');
    checkArgs(args, 'args');
    const taskOptions = options === undefined ? NO_TASK_OPTIONS : taskOptionsOf(checkOptions(options, 'submit options', APPLY_OPTION_KEYS) as SubmitOptions, true);
    this.#checkOpen();
    const future = new Future<TaskResult<M, K>>();
    if (taskOptions.signal?.aborted === true) {
      future._settle(false, new AbortError('The task was aborted before it was submitted', { cause: taskOptions.signal.reason }));
      return future;
    }
    const task = this.#s.createTask(name, TaskKind.APPLY, args as readonly unknown[] as unknown[], futureSink, 0, taskOptions);
    task.owner = future;
    future._bind(this.#s, task);
    this.#s.submit(task);
    return future;
  }

  /**
   * Calls the task once per item; the iterator yields the results in input
   * order. The input is taken at the call (with `buffersize`, as it goes). The
   * first error (a task's, `TimeoutError` for the whole map's `timeout`, or
   * `CancelledError`) ends it, and the items no worker has started are dropped.
   *
   * @example
   * ```ts
   * for await (const size of ex.map('fileSize', paths, { timeout: 60_000, buffersize: 16 })) total += size;
   * ```
   */
  map<K extends TaskName<M>>(name: K, iterable: AnyIterable<MapItem<M, K>>, options?: ExecutorMapOptions): AsyncIterableIterator<TaskResult<M, K>, undefined> {
    checkName(name, 'task name');
    checkIterable(iterable);
    const o = checkOptions(options, 'map options', EXECUTOR_MAP_OPTION_KEYS) as ExecutorMapOptions;
    const timeout = checkWaitTimeout(o.timeout, 'map options.timeout');
    const chunksize = o.chunksize === undefined ? undefined : checkPositiveInt(o.chunksize, 'chunksize');
    const buffersize = o.buffersize === undefined ? undefined : checkPositiveInt(o.buffersize, 'buffersize');
    this.#checkOpen();
    const job = new ImapJob<TaskResult<M, K>>(
      this.#s,
      name,
      TaskKind.MAP_CHUNK,
      iterable as Iterable<unknown> | AsyncIterable<unknown>,
      chunksize,
      buffersize ?? Number.POSITIVE_INFINITY,
      true,
      NO_TASK_OPTIONS,
      undefined,
      this.#speeds,
    );
    return new ExecutorMap(job, timeout, buffersize !== undefined, this.#maps);
  }

  /**
   * No more submissions (`submit` and `map` then throw `PoolClosedError`); the
   * submitted work still runs and the workers exit after it. With `wait` (the
   * default) it resolves when they have; with `cancelFutures` the futures and
   * map chunks no worker has started are cancelled first. Maps with a
   * `buffersize` take no more input: they throw where it was cut. Idempotent.
   *
   * @example
   * ```ts
   * await ex.shutdown({ cancelFutures: true });
   * ```
   */
  shutdown(options?: ShutdownOptions): Promise<void> {
    const o = checkOptions(options, 'shutdown options', SHUTDOWN_OPTION_KEYS) as ShutdownOptions;
    const wait = checkFlag(o.wait, true, 'shutdown options.wait');
    const cancelFutures = checkFlag(o.cancelFutures, false, 'shutdown options.cancelFutures');
    this.#shutdown = true;
    for (const map of this.#maps) {
      if (cancelFutures) map._stopInput(new CancelledError('The executor was shut down with cancelFutures before this part of the map was submitted'));
      else if (map.lazy) map._stopInput(new PoolClosedError('The executor was shut down before this part of the map was submitted'));
    }
    if (cancelFutures) {
      for (const task of this.#s.waitingTasks()) {
        if (task.sink === futureSink) (task.owner as Future<unknown>).cancel();
        else this.#s.cancel(task, new CancelledError('The executor was shut down with cancelFutures before this part of the map started'));
      }
    }
    this.#s.close();
    return wait ? this.#s.join() : Promise.resolve();
  }

  /**
   * Stops every worker now, as Python 3.14's `terminate_workers()`: it shuts the
   * executor down, and the futures and maps not done reject with `PoolClosedError`.
   * Resolves when the workers have exited.
   *
   * @example
   * ```ts
   * await ex.terminateWorkers();
   * ```
   */
  terminateWorkers(): Promise<void> {
    this.#shutdown = true;
    for (const map of this.#maps) map._stopInput(new PoolClosedError('The executor was terminated before this part of the map was submitted'));
    return this.#s.terminate();
  }

  /** `await using ex = new ThreadPoolExecutor(...)`: `shutdown({ wait: true })`, as Python's `with` (SEMANTICS F15). */
  [Symbol.asyncDispose](): Promise<void> {
    return this.shutdown();
  }

  #checkOpen(): void {
    if (this.#shutdown) throw new PoolClosedError('Cannot schedule new futures after shutdown');
    const broken = this.#s.broken;
    if (broken !== undefined) throw new BrokenPoolError(`The executor is broken: ${broken.message}`, { cause: broken });
  }
}

function checkFlag(value: unknown, fallback: boolean, what: string): boolean {
  if (value === undefined) return fallback;
  if (typeof value !== 'boolean') throw new TypeError(`${what} must be a boolean, got ${show(value)}`);
  return value;
}
