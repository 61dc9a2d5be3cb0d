/**
 * The options of `Pool` and of its calls: the public option types, and their
 * validation into what the scheduler takes (`TaskOptions`). Checks throw at
 * once with a precise error, before anything is queued.
 */
import type { RuntimeAdapter } from '../adapter.js';
import type { TaskName, UntypedModule } from '../types.js';
import { checkNonNegativeInt, checkSignal, optionKeys, show } from '../util/validate.js';
import type { ErrorCallback, ResultCallback } from './async-result.js';
import type { ProgressCallback } from './map-job.js';
import type { DurationSummary } from './time-summary.js';
import type { TransferableValue } from '../transfer.js';

/**
 * Options of `new Pool(source, options)`.
 *
 * @example
 * ```ts
 * const pool = new Pool<Tasks>(url, { processes: 4, initializer: 'connect', initargs: [dsn], maxTasksPerChild: 1_000 });
 * ```
 */
export interface PoolOptions<M extends object = UntypedModule> {
  /** Number of workers, 1 to 1024 (above that a `RangeError`). @default cpuCount() */
  processes?: number;
  /** A task name run once in each new worker before its first task (and in every replacement). */
  initializer?: TaskName<M>;
  /** Arguments of the initializer. @default [] */
  initargs?: readonly unknown[];
  /** Replace a worker after it has run this many tasks (a chunk counts as one). @default unlimited */
  maxTasksPerChild?: number;
  /** `'thread'` (default) or `'process'`; which ones a runtime has depends on its adapter. */
  context?: 'thread' | 'process';
  /** For adapter authors and tests: the runtime adapter. Runtime packages fill this in. */
  adapter?: RuntimeAdapter;
  /** Passed to the adapter's spawn untouched (Node: `env`, `execArgv`, `resourceLimits`...). */
  workerOptions?: Readonly<Record<string, unknown>>;
}

/**
 * Per-task options of `apply`/`applyAsync`.
 *
 * @example
 * ```ts
 * const ac = new AbortController();
 * const v = await pool.apply('crawl', [site], { signal: ac.signal, timeout: 30_000, retries: 2 });
 * const sum = await pool.apply('sum', [buf], { transfer: [buf.buffer] });   // buf is moved, not copied
 * ```
 */
export interface ApplyOptions {
  /** Aborting it rejects the task with `AbortError` (cause: `signal.reason`) and stops it. */
  signal?: AbortSignal;
  /** Milliseconds from the task's start; then it rejects with `TimeoutError` and is stopped. */
  timeout?: number;
  /** Buffers among the arguments to move to the worker instead of copying. */
  transfer?: readonly TransferableValue[];
  /** Re-run the task this many times if its worker dies while running it (idempotent work only). @default 0 (1 on Redis, where a lost host is redelivered) */
  retries?: number;
}

/**
 * What `pool.stats()` returns: a plain object, a snapshot at the call.
 *
 * @example
 * ```ts
 * const s: PoolStats = pool.stats();
 * console.log(`${s.busy}/${s.workers} busy, ${s.queued} queued, ${s.completed} done`);
 * ```
 */
export interface PoolStats {
  /** Live workers, starting and closing ones included. */
  readonly workers: number;
  /** Ready workers holding no task. */
  readonly idle: number;
  /** Workers holding at least one task (running, or sent ahead). */
  readonly busy: number;
  /** Items queued and not yet sent to a worker (a map chunk counts its items). */
  readonly queued: number;
  /** Items that succeeded, since the pool was made (a map item is one). */
  readonly completed: number;
  /** Items that failed: their error, a timeout, an abort, a worker's death, termination. */
  readonly failed: number;
  /** Share of the workers' time (0..1) spent holding tasks, since the pool was made. */
  readonly utilization: number;
  /** Per task or chunk run by a worker, as the parent sees it (tasks reported together share the time), ms. */
  readonly runTime: DurationSummary;
  /** Per task or chunk, from submission to its start (its report less its run time), ms. */
  readonly waitTime: DurationSummary;
}

/**
 * Options of `broadcast`: each worker's run is one task with these.
 *
 * @example
 * ```ts
 * const versions = await pool.broadcast('version', [], { timeout: 2_000 });   // one answer per worker
 * ```
 */
export interface BroadcastOptions {
  /** Aborting it rejects the broadcast with `AbortError` and stops every worker's run. */
  signal?: AbortSignal;
  /** Milliseconds from each worker's start of the task, as `apply`'s; then the broadcast rejects with `TimeoutError`. */
  timeout?: number;
}

/**
 * Options of `applyAsync`.
 *
 * @example
 * ```ts
 * pool.applyAsync('fib', [30], { timeout: 10_000, callback: (v) => console.log(v), errorCallback: (e) => console.error(e) });
 * ```
 */
export interface ApplyAsyncOptions<R> extends ApplyOptions {
  /** Called with the value before the result turns ready. */
  callback?: ResultCallback<R>;
  /** Called with the error before the result turns ready. */
  errorCallback?: ErrorCallback;
}

/**
 * Options of `map`/`starmap` and the imap family.
 *
 * @example
 * ```ts
 * await pool.map('square', items, { chunksize: 100, timeout: 60_000, onProgress: (d, n) => bar.update(d / n!) });
 * ```
 */
export interface MapOptions extends Omit<ApplyOptions, 'transfer'> {
  /** Items per task. @default map: ceil(n / (4 × processes)); imap: 1 */
  chunksize?: number;
  /** Called after each chunk with items done and the total (undefined while an imap source is not exhausted). */
  onProgress?: ProgressCallback;
}

/**
 * Options of `mapAsync`/`starmapAsync`.
 *
 * @example
 * ```ts
 * const r = pool.mapAsync('square', [1, 2, 3], { callback: (vs) => console.log(vs) });   // [1, 4, 9]
 * ```
 */
export interface MapAsyncOptions<R> extends MapOptions {
  callback?: ResultCallback<R[]>;
  errorCallback?: ErrorCallback;
}

/**
 * Options of `imap`/`imapUnordered`.
 *
 * @example
 * ```ts
 * for await (const row of pool.imap('parse', readLines(file), { chunksize: 64, buffersize: 8 })) save(row);
 * ```
 */
export interface ImapOptions extends MapOptions {
  /** Most chunks submitted but not yet consumed (back-pressure on the source). @default 4 × processes */
  buffersize?: number;
}

/** Per-task options after validation. */
export interface TaskOptions {
  readonly timeout: number | undefined;
  readonly signal: AbortSignal | undefined;
  readonly transfer: readonly TransferableValue[] | undefined;
  /** undefined: the adapter's `defaultRetries` (0 on one machine). */
  readonly retries: number | undefined;
}

export const NO_TASK_OPTIONS: TaskOptions = { timeout: undefined, signal: undefined, transfer: undefined, retries: undefined };

/**
 * A pool's state: `'closed'` after `close()`, `'terminated'` after `terminate()`.
 *
 * @example
 * ```ts
 * if (pool.state === 'running') pool.applyAsync('tick', []);
 * ```
 */
export type PoolState = 'running' | 'closed' | 'terminated';

/**
 * The most workers one pool may have. Python sets no limit (61 on Windows), but a typo such as
 * `1e6` would otherwise spawn workers until the machine gives out; 1024 is far above any CPU
 * count a pool is sized by, and still a number of threads or processes a machine can start.
 */
/** The names each call takes: any other is refused (`checkOptions`). */
export const POOL_OPTION_KEYS = optionKeys<PoolOptions>({ processes: true, initializer: true, initargs: true, maxTasksPerChild: true, context: true, adapter: true, workerOptions: true });
const PER_TASK = { signal: true, timeout: true, retries: true } as const;
const CALLBACKS = { callback: true, errorCallback: true } as const;
const PER_MAP = { ...PER_TASK, chunksize: true, onProgress: true } as const;
export const APPLY_OPTION_KEYS = optionKeys<ApplyOptions>({ ...PER_TASK, transfer: true });
export const APPLY_ASYNC_OPTION_KEYS = optionKeys<ApplyAsyncOptions<unknown>>({ ...PER_TASK, transfer: true, ...CALLBACKS });
export const MAP_OPTION_KEYS = optionKeys<MapAsyncOptions<unknown>>({ ...PER_MAP, ...CALLBACKS });
export const IMAP_OPTION_KEYS = optionKeys<ImapOptions>({ ...PER_MAP, buffersize: true });

/** Validates per-task options (`transfer` only where `allowTransfer`). */
export function taskOptionsOf(o: ApplyOptions, allowTransfer: boolean): TaskOptions {
  const signal = checkSignal(o.signal, 'signal');
  let timeout: number | undefined;
  if (o.timeout !== undefined) {
    if (typeof o.timeout !== 'number' || Number.isNaN(o.timeout)) throw new TypeError(`timeout must be a number of milliseconds, got ${show(o.timeout)}`);
    if (!(o.timeout > 0)) throw new RangeError(`timeout must be more than 0 ms, got ${show(o.timeout)}`);
    // Infinity is no timeout at all (and no reason to hold the task back from being sent ahead).
    if (o.timeout !== Infinity) timeout = o.timeout;
  }
  let transfer: readonly TransferableValue[] | undefined;
  if (o.transfer !== undefined) {
    if (!allowTransfer) throw new TypeError('transfer is an option of apply/applyAsync only');
    if (!Array.isArray(o.transfer)) throw new TypeError(`transfer must be an array of transferable objects, got ${show(o.transfer)}`);
    transfer = o.transfer;
  }
  const retries = o.retries === undefined ? undefined : checkNonNegativeInt(o.retries, 'retries');
  if (signal === undefined && timeout === undefined && transfer === undefined && retries === undefined) return NO_TASK_OPTIONS;
  return { signal, timeout, transfer, retries };
}

/** Validates the input of map and imap. */
export function checkIterable(value: unknown): void {
  if (
    value === null ||
    value === undefined ||
    (typeof (value as Iterable<unknown>)[Symbol.iterator] !== 'function' && typeof (value as AsyncIterable<unknown>)[Symbol.asyncIterator] !== 'function')
  ) {
    throw new TypeError(`iterable must be an Iterable or AsyncIterable, got ${show(value)}`);
  }
}
