/**
 * `Pool`: Python's `multiprocessing.Pool`, typed by its task module. This is
 * the public facade: it validates every argument at once (a bad call throws
 * and leaves the pool healthy), normalises defaults and delegates to the
 * scheduler. Runtime packages (`@multiproc/node`, `@multiproc/browser`)
 * export a subclass that supplies their adapter.
 */
import { AbortError, PoolClosedError, StateError } from '../errors.js';
import { TaskKind } from '../protocol/messages.js';
import type { AnyIterable, MapItem, TaskArgs, TaskName, TaskResult, Pid, UntypedModule } from '../types.js';
import type { SourceInput } from '../util/source.js';
import { checkArgs, checkFunction, checkName, checkOptions, checkPositiveInt } from '../util/validate.js';
import { assertNotLoadingTaskModule } from '../worker-scope.js';
import { AsyncResult } from './async-result.js';
import { BroadcastJob, broadcastSink } from './broadcast-job.js';
import { ImapJob, type ImapIterator } from './imap-job.js';
import { MapJob } from './map-job.js';
import { createScheduler } from './create-scheduler.js';
import type { Scheduler } from './scheduler.js';
import {
  checkIterable,
  NO_TASK_OPTIONS,
  APPLY_ASYNC_OPTION_KEYS,
  APPLY_OPTION_KEYS,
  IMAP_OPTION_KEYS,
  MAP_OPTION_KEYS,
  POOL_OPTION_KEYS,
  taskOptionsOf,
  type ApplyAsyncOptions,
  type ApplyOptions,
  type BroadcastOptions,
  type PoolStats,
  type ImapOptions,
  type MapAsyncOptions,
  type MapOptions,
  type PoolOptions,
  type PoolState,
} from './pool-options.js';
import type { Task, TaskSink } from './task.js';

/** Settles the bare promise `apply()` returns: no AsyncResult on the hot path. */
const promiseSink: TaskSink = {
  taskDone(task: Task, value: unknown): void {
    (task.owner as (v: unknown) => void)(value);
  },
  taskFailed(task: Task, error: unknown): void {
    (task.rejectOwner as (e: unknown) => void)(error);
  },
};

const applySink: TaskSink = {
  taskDone(task: Task, value: unknown): void {
    (task.owner as AsyncResult<unknown>)._settle(true, value);
  },
  taskFailed(task: Task, error: unknown): void {
    (task.owner as AsyncResult<unknown>)._settle(false, error);
  },
};

/**
 * A pool of workers running the exported functions of one task module.
 *
 * @example
 * ```ts
 * import { Pool } from '@multiproc/node';
 * await using pool = new Pool<typeof import('./tasks.js')>(new URL('./tasks.js', import.meta.url), { processes: 4 });
 * const squares = await pool.map('square', [1, 2, 3]);   // [1, 4, 9]
 * const r = pool.applyAsync('fib', [30]);
 * console.log(await r.get({ timeout: 10_000 }));
 * ```
 */
export class Pool<M extends object = UntypedModule, P extends Pid = number> {
  readonly #s: Scheduler;
  /** Items per ms per worker that each task's last map measured (map-job.ts, chunk-sizer.ts). */
  readonly #speeds = new Map<string, number>();

  constructor(source: SourceInput, options?: PoolOptions<M>) {
    assertNotLoadingTaskModule('a Pool');
    const o = checkOptions(options, 'Pool options', POOL_OPTION_KEYS) as PoolOptions<M>;
    this.#s = createScheduler(source, o, o.processes, 'processes', 'Pool');
  }

  /** Number of workers the pool keeps. */
  get processes(): number {
    return this.#s.processes;
  }

  /** `'running'`, `'closed'` (after `close()`) or `'terminated'`. */
  get state(): PoolState {
    return this.#s.state;
  }

  /** Pids of the live workers (strings where they are not this machine's: see {@link Pid}). */
  get pids(): P[] {
    return this.#s.pids() as P[];
  }

  /**
   * Resolves when every worker has started and run its initializer: at once on a
   * warm pool. Only the workers starting at the call are waited for (a worker that
   * replaces one later, after `maxTasksPerChild` or a death, is not), so it never
   * waits on a busy pool's churn. Rejects with `BrokenPoolError` when the workers
   * cannot start (a failing initializer, a module that does not load), and with
   * `PoolClosedError` on a pool that is closed or terminated, or is terminated (or
   * closed before the worker started) while it waits: it never stays pending.
   *
   * @example
   * ```ts
   * await using pool = new Pool(new URL('./tasks.js', import.meta.url), { initializer: 'loadModel' });
   * await pool.ready();   // every worker has loaded the model; the first tasks pay no start-up
   * ```
   */
  ready(): Promise<void> {
    return this.#s.ready();
  }

  /**
   * A snapshot of the pool as a plain object: `workers` (live, starting included),
   * `idle`, `busy`, `queued`, `completed` and `failed` (counted per item: a map item
   * is one), `utilization` (0..1 since the pool was made), and summaries of `runTime`
   * (per task or chunk run by a worker) and `waitTime` (from submission to start) in
   * ms: `count`, `mean`, `p50`, `p99`, `max` (p50/p99 over the last 1,024 samples).
   * Times are as the parent sees them: tasks a worker reports together share their time.
   *
   * @example
   * ```ts
   * const { busy, queued, utilization, runTime } = pool.stats();
   * console.log(`${busy} busy, ${queued} queued, ${(utilization * 100).toFixed(0)}% used, p99 ${runTime.p99.toFixed(1)} ms`);
   * ```
   */
  stats(): PoolStats {
    return this.#s.stats();
  }

  /**
   * Runs a task once on every worker alive at the call, each before any task queued
   * after the call (a busy worker runs it after the tasks it already holds), and
   * resolves with the results in the order of `pool.pids` at the call: reload
   * configuration, warm a cache, read each worker's state. Workers started later do
   * not run it (that is `initializer`'s job), nor do workers already closing. The
   * first failure rejects it, as `map`: the task's error, `TimeoutError`, `AbortError`,
   * or `WorkerExitedError` when a worker dies before or while it runs its part (the
   * part cannot move to another worker, so there are no `retries` and no `transfer`).
   *
   * @example
   * ```ts
   * await pool.broadcast('reloadConfig', ['/etc/app.json']);
   * const sizes = await pool.broadcast('cacheSize', []);   // one number per worker, in pool.pids order
   * ```
   */
  broadcast<K extends TaskName<M>>(name: K, args: Readonly<TaskArgs<M, K>>, options?: BroadcastOptions): Promise<TaskResult<M, K>[]> {
    checkName(name, 'task name');
    checkArgs(args, 'args');
    let taskOptions = NO_TASK_OPTIONS;
    if (options !== undefined) {
      const o = checkOptions(options, 'broadcast options', APPLY_OPTION_KEYS) as ApplyOptions;
      if (o.transfer !== undefined) throw new TypeError('transfer is not an option of broadcast: a buffer can move to one worker only');
      if (o.retries !== undefined) throw new TypeError("retries is not an option of broadcast: a worker's part cannot move to another worker");
      taskOptions = taskOptionsOf(o, false);
    }
    this.#checkRunning();
    if (this.#s.broken !== undefined) return Promise.reject(this.#s.broken);
    if (taskOptions.signal?.aborted === true) {
      return Promise.reject(new AbortError('The task was aborted before it was submitted', { cause: taskOptions.signal.reason }));
    }
    const targets = this.#s.broadcastTargets();
    const job = new BroadcastJob(targets.length);
    for (let i = 0; i < targets.length; i++) {
      const task = this.#s.createTask(name, TaskKind.APPLY, args as readonly unknown[] as unknown[], broadcastSink, i, taskOptions);
      task.owner = job;
      job.hosts.add(targets[i]);
      this.#s.submitPinned(task, targets[i]);
    }
    return job.promise as Promise<TaskResult<M, K>[]>;
  }

  /**
   * Runs one task and resolves with its result.
   *
   * @example
   * ```ts
   * const n = await pool.apply('fib', [25], { timeout: 5_000 });
   * ```
   */
  apply<K extends TaskName<M>>(name: K, args: Readonly<TaskArgs<M, K>>, options?: ApplyOptions): Promise<TaskResult<M, K>> {
    checkName(name, 'task name');
    checkArgs(args, 'args');
    const taskOptions = options === undefined ? NO_TASK_OPTIONS : taskOptionsOf(checkOptions(options, 'apply options', APPLY_OPTION_KEYS) as ApplyOptions, true);
    this.#checkRunning();
    if (taskOptions.signal?.aborted === true) {
      return Promise.reject(new AbortError('The task was aborted before it was submitted', { cause: taskOptions.signal.reason }));
    }
    const task = this.#s.createTask(name, TaskKind.APPLY, args as readonly unknown[] as unknown[], promiseSink, 0, taskOptions);
    const promise = new Promise<TaskResult<M, K>>((resolve, reject) => {
      task.owner = resolve;
      task.rejectOwner = reject;
    });
    this.#s.submit(task);
    return promise;
  }

  /**
   * Submits one task and returns its `AsyncResult` at once.
   *
   * @example
   * ```ts
   * const results = ['a', 'b'].map((m) => pool.applyAsync('shout', [m]));
   * pool.close(); await pool.join();
   * for (const r of results) console.log(await r.get());
   * ```
   */
  applyAsync<K extends TaskName<M>>(name: K, args: Readonly<TaskArgs<M, K>>, options?: ApplyAsyncOptions<TaskResult<M, K>>): AsyncResult<TaskResult<M, K>> {
    checkName(name, 'task name');
    checkArgs(args, 'args');
    const o = options === undefined ? undefined : (checkOptions(options, 'applyAsync options', APPLY_ASYNC_OPTION_KEYS) as ApplyAsyncOptions<TaskResult<M, K>>);
    const taskOptions = o === undefined ? NO_TASK_OPTIONS : taskOptionsOf(o, true);
    if (o !== undefined) {
      checkFunction(o.callback, 'callback');
      checkFunction(o.errorCallback, 'errorCallback');
    }
    this.#checkRunning();
    const result = new AsyncResult<TaskResult<M, K>>(o?.callback, o?.errorCallback);
    if (taskOptions.signal?.aborted === true) {
      result._settle(false, new AbortError('The task was aborted before it was submitted', { cause: taskOptions.signal.reason }));
      return result;
    }
    const task = this.#s.createTask(name, TaskKind.APPLY, args as readonly unknown[] as unknown[], applySink, 0, taskOptions);
    task.owner = result as AsyncResult<unknown>;
    this.#s.submit(task);
    return result;
  }

  /**
   * Calls the task once per item and resolves with the results in input order.
   * The input is read to the end first; tasks go out in chunks.
   *
   * @example
   * ```ts
   * const lengths = await pool.map('len', ['a', 'bb', 'ccc'], { chunksize: 2 });
   * ```
   */
  map<K extends TaskName<M>>(name: K, iterable: AnyIterable<MapItem<M, K>>, options?: MapOptions): Promise<TaskResult<M, K>[]> {
    return this.mapAsync(name, iterable, options).get();
  }

  /**
   * `map` that returns an `AsyncResult` at once.
   *
   * @example
   * ```ts
   * const r = pool.mapAsync('square', [1, 2, 3], { callback: (xs) => console.log(xs) });
   * await r.wait();
   * ```
   */
  mapAsync<K extends TaskName<M>>(name: K, iterable: AnyIterable<MapItem<M, K>>, options?: MapAsyncOptions<TaskResult<M, K>>): AsyncResult<TaskResult<M, K>[]> {
    return this.#mapAsync(name, iterable, options as MapAsyncOptions<unknown> | undefined, TaskKind.MAP_CHUNK) as AsyncResult<TaskResult<M, K>[]>;
  }

  /**
   * Like `map`, with each item an argument tuple: `starmap('add', [[1, 2], [3, 4]])`.
   *
   * @example
   * ```ts
   * const sums = await pool.starmap('add', [[1, 2], [3, 4]]); // [3, 7]
   * ```
   */
  starmap<K extends TaskName<M>>(name: K, iterable: AnyIterable<Readonly<TaskArgs<M, K>>>, options?: MapOptions): Promise<TaskResult<M, K>[]> {
    return this.starmapAsync(name, iterable, options).get();
  }

  /**
   * `starmap` that returns an `AsyncResult` at once.
   *
   * @example
   * ```ts
   * const r = pool.starmapAsync('add', [[1, 2]]);
   * console.log(await r); // [3]
   * ```
   */
  starmapAsync<K extends TaskName<M>>(name: K, iterable: AnyIterable<Readonly<TaskArgs<M, K>>>, options?: MapAsyncOptions<TaskResult<M, K>>): AsyncResult<TaskResult<M, K>[]> {
    return this.#mapAsync(name, iterable, options as MapAsyncOptions<unknown> | undefined, TaskKind.STAR_CHUNK) as AsyncResult<TaskResult<M, K>[]>;
  }

  /**
   * A lazy async iterator of results in input order. The input is pulled as
   * results are consumed (at most `buffersize` chunks ahead), so an infinite
   * source works.
   *
   * @example
   * ```ts
   * for await (const line of pool.imap('parse', readLines(file))) console.log(line);
   * ```
   */
  imap<K extends TaskName<M>>(name: K, iterable: AnyIterable<MapItem<M, K>>, options?: ImapOptions): ImapIterator<TaskResult<M, K>> {
    return this.#imap(name, iterable, options, true);
  }

  /**
   * `imap` in completion order.
   *
   * @example
   * ```ts
   * for await (const r of pool.imapUnordered('fetchPage', urls)) save(r);
   * ```
   */
  imapUnordered<K extends TaskName<M>>(name: K, iterable: AnyIterable<MapItem<M, K>>, options?: ImapOptions): ImapIterator<TaskResult<M, K>> {
    return this.#imap(name, iterable, options, false);
  }

  /**
   * No more submissions; queued work still runs, then the workers exit. Idempotent.
   *
   * @example
   * ```ts
   * pool.close(); await pool.join();
   * ```
   */
  close(): void {
    this.#s.close();
  }

  /**
   * Waits for the workers to exit, after `close()` or `terminate()`; throws
   * `StateError` while the pool is still running.
   *
   * @example
   * ```ts
   * pool.close(); await pool.join();
   * ```
   */
  join(): Promise<void> {
    if (this.#s.state === 'running') throw new StateError('Pool is still running: call close() or terminate() before join()');
    return this.#s.join();
  }

  /**
   * Stops the workers now; unfinished results reject with `PoolClosedError`.
   * Resolves when the workers have exited. Idempotent.
   *
   * @example
   * ```ts
   * await pool.terminate();
   * ```
   */
  terminate(): Promise<void> {
    return this.#s.terminate();
  }

  /** `await using pool = new Pool(...)`: terminates, as Python's `with Pool()` does. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.terminate();
  }

  #checkRunning(): void {
    if (this.#s.state !== 'running') throw new PoolClosedError('Pool not running');
  }

  #mapAsync(name: string, iterable: unknown, options: MapAsyncOptions<unknown> | undefined, kind: TaskKind): AsyncResult<unknown[]> {
    checkName(name, 'task name');
    checkIterable(iterable);
    const o = checkOptions(options, 'map options', MAP_OPTION_KEYS) as MapAsyncOptions<unknown>;
    const chunksize = o.chunksize === undefined ? undefined : checkPositiveInt(o.chunksize, 'chunksize');
    const taskOptions = taskOptionsOf(o, false);
    checkFunction(o.callback, 'callback');
    checkFunction(o.errorCallback, 'errorCallback');
    checkFunction(o.onProgress, 'onProgress');
    this.#checkRunning();
    const result = new AsyncResult<unknown[]>(o.callback, o.errorCallback);
    if (taskOptions.signal?.aborted === true) {
      result._settle(false, new AbortError('The task was aborted before it was submitted', { cause: taskOptions.signal.reason }));
      return result;
    }
    const submit = (items: unknown[]): void => void new MapJob(this.#s, name, kind, items, chunksize, taskOptions, result, o.onProgress, this.#speeds);
    if (typeof (iterable as AsyncIterable<unknown>)[Symbol.asyncIterator] === 'function') {
      this.#s.openJob();
      collect(iterable as AsyncIterable<unknown>).then(
        (items) => {
          this.#s.closeJob();
          submit(items);
        },
        (err: unknown) => {
          this.#s.closeJob();
          result._settle(false, err);
        },
      );
      return result;
    }
    let items: unknown[];
    try {
      items = Array.isArray(iterable) ? iterable : Array.from(iterable as Iterable<unknown>);
    } catch (err) {
      result._settle(false, err);
      return result;
    }
    submit(items);
    return result;
  }

  #imap(name: string, iterable: unknown, options: ImapOptions | undefined, ordered: boolean): ImapIterator<never> {
    checkName(name, 'task name');
    checkIterable(iterable);
    const o = checkOptions(options, 'imap options', IMAP_OPTION_KEYS) as ImapOptions;
    const chunksize = o.chunksize === undefined ? undefined : checkPositiveInt(o.chunksize, 'chunksize');
    const buffersize = o.buffersize === undefined ? Math.max(2, 4 * this.#s.processes) : checkPositiveInt(o.buffersize, 'buffersize');
    const taskOptions = taskOptionsOf(o, false);
    checkFunction(o.onProgress, 'onProgress');
    this.#checkRunning();
    if (taskOptions.signal?.aborted === true) {
      const err = new AbortError('The task was aborted before it was submitted', { cause: taskOptions.signal.reason });
      return new ImapJob(this.#s, name, TaskKind.MAP_CHUNK, failing(err), 1, 1, ordered, NO_TASK_OPTIONS, undefined) as ImapIterator<never>;
    }
    return new ImapJob(this.#s, name, TaskKind.MAP_CHUNK, iterable as Iterable<unknown>, chunksize, buffersize, ordered, taskOptions, o.onProgress, this.#speeds) as ImapIterator<never>;
  }
}

async function collect(source: AsyncIterable<unknown>): Promise<unknown[]> {
  const out: unknown[] = [];
  for await (const x of source) out.push(x);
  return out;
}

// biome-ignore lint/correctness/useYield: a generator that throws on its first next(), like a failing user iterable
function* failing(error: unknown): Generator<never> {
  throw error;
}
