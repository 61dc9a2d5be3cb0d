/**
 * @multiproc/node: Python's multiprocessing on Node. Re-exports the whole
 * public API of @multiproc/core with `Pool` and `Process` bound to Node's
 * adapters, so a program imports only this package.
 */
import { parentPort } from 'node:worker_threads';
import { availableParallelism } from 'node:os';
import {
  Pool as CorePool,
  Process as CoreProcess,
  serve,
  type PoolOptions,
  type ProcessOptions,
  type SourceInput,
  type TaskName,
  type UntypedModule,
} from '@multiproc/core';
import { nodeAdapter, type NodeContext } from './adapter.js';
import { threadPort } from './thread-port.js';

export * from '@multiproc/core';
export { nodeAdapter, threadAdapter, processAdapter, type NodeContext } from './adapter.js';

/**
 * A pool of worker threads (or, with `context: 'process'`, child processes).
 *
 * @example
 * ```ts
 * import { Pool } from '@multiproc/node';
 * await using pool = new Pool<typeof import('./tasks.js')>(new URL('./tasks.js', import.meta.url));
 * console.log(await pool.map('square', [1, 2, 3]));
 * ```
 */
export class Pool<M extends object = UntypedModule> extends CorePool<M> {
  constructor(source: SourceInput, options?: NodePoolOptions<M>) {
    super(source, bind(options, 'Pool options'));
  }
}

/** Options Node workers take, as `child_process.fork`/`new Worker` name them. */
export interface NodeWorkerOptions {
  /** Environment of the worker. @default process.env */
  env?: Record<string, string | undefined>;
  /**
   * Node flags of the worker, taken as given. @default inherited from the parent; child processes
   * drop `--inspect*` and the flags that choose what Node runs (`-e`, `-p`, `--input-type`, `-i`,
   * `-c`, `--test*`, `--watch*`), which would make each child run the parent's program again.
   */
  execArgv?: string[];
  /** Child processes only: how IPC messages are encoded. @default 'advanced' */
  serialization?: 'advanced' | 'json';
  /** Threads only: worker_threads resource limits. */
  resourceLimits?: Record<string, number>;
}

/** `PoolOptions` plus Node's worker options. */
export type NodePoolOptions<M extends object = UntypedModule> = PoolOptions<M> & NodeWorkerOptions;
/** `ProcessOptions` plus Node's worker options. */
export type NodeProcessOptions<M extends object = UntypedModule, K extends TaskName<M> = TaskName<M>> = ProcessOptions<M, K> & NodeWorkerOptions;

/**
 * A function running in its own worker thread (or child process, with `context: 'process'`).
 *
 * @example
 * ```ts
 * import { Process } from '@multiproc/node';
 * const p = new Process({ module: import.meta.url, target: 'main', args: [] });
 * p.start(); await p.join();
 * ```
 */
export class Process<M extends object = UntypedModule, K extends TaskName<M> = TaskName<M>> extends CoreProcess<M, K> {
  constructor(options: NodeProcessOptions<M, K>) {
    super(bind(options, 'Process options') as ProcessOptions<M, K>);
  }
}

const nodeKeys = ['env', 'execArgv', 'serialization', 'resourceLimits'] as const;

function bind<O extends { context?: NodeContext; adapter?: unknown } | undefined>(options: O, what: string): O {
  if (options !== undefined && (typeof options !== 'object' || options === null)) throw new TypeError(`${what} must be an options object`);
  const o = { ...options } as Record<string, unknown>;
  let extra = o.workerOptions as Record<string, unknown> | undefined;
  for (const key of nodeKeys) {
    if (o[key] === undefined) continue;
    extra = { ...extra, [key]: o[key] };
    delete o[key];
  }
  if (extra !== undefined) o.workerOptions = extra;
  o.adapter ??= nodeAdapter((o.context as NodeContext | undefined) ?? 'thread');
  return o as O;
}

/**
 * The number of CPUs this process may use (`os.availableParallelism()`).
 *
 * @example
 * ```ts
 * new Pool(url, { processes: cpuCount() });
 * ```
 */
export function cpuCount(): number {
  return availableParallelism();
}

/**
 * In a worker script made by a worker factory: serve these task functions.
 *
 * @example
 * ```ts
 * // tasks.worker.js
 * import { expose } from '@multiproc/node';
 * import { fib } from './fib.js';
 * expose({ fib });
 * // main.js
 * new Pool(() => new Worker(new URL('./tasks.worker.js', import.meta.url)));
 * ```
 */
export function expose(tasks: Readonly<Record<string, unknown>>): void {
  if (typeof tasks !== 'object' || tasks === null) throw new TypeError('expose(tasks): tasks must be an object of functions');
  if (parentPort === null) throw new TypeError('expose() must be called inside a worker started by a worker factory');
  serve(threadPort(parentPort), { tasks });
}

/** `Pool` and `Process` bound to one context, as Python's `get_context()` returns. */
export interface Context {
  readonly Pool: typeof Pool;
  readonly Process: typeof Process;
  readonly context: NodeContext;
}

/**
 * The API bound to a context, as Python's `multiprocessing.get_context(method)`.
 *
 * @example
 * ```ts
 * const { Pool } = getContext('thread');
 * ```
 */
export function getContext(context: NodeContext = 'thread'): Context {
  const adapter = nodeAdapter(context);
  class ContextPool<M extends object = UntypedModule> extends Pool<M> {
    constructor(source: SourceInput, options?: NodePoolOptions<M>) {
      super(source, { ...options, adapter });
    }
  }
  class ContextProcess<M extends object = UntypedModule, K extends TaskName<M> = TaskName<M>> extends Process<M, K> {
    constructor(options: NodeProcessOptions<M, K>) {
      super({ ...options, adapter });
    }
  }
  return { Pool: ContextPool, Process: ContextProcess, context };
}
