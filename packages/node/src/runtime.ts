/**
 * The Node runtime: `Pool`, `Process`, `expose`, `getContext` and `cpuCount`
 * bound to Node's adapters by core's `defineRuntime`. index.ts re-exports
 * them and nothing else lives there (see the note in index.ts).
 */
import { availableParallelism } from 'node:os';
import {
  defineExpose,
  defineRuntime,
  serve,
  type Pool as CorePool,
  type Process as CoreProcess,
  type Executor,
  type RuntimeExecutor,
  type RuntimeContext,
  type RuntimePool,
  type RuntimeProcess,
  type RuntimePoolOptions,
  type RuntimeProcessOptions,
  type TaskName,
  type UntypedModule,
} from '@multiproc/core';
import { nodeAdapter, type NodeContext } from './adapter.js';
import { threadPort } from './thread-port.js';
import { workerThreads } from './builtins.js';


/**
 * Options Node workers take, as `child_process.fork`/`new Worker` name them.
 *
 * @example
 * ```ts
 * await using pool = new Pool(url, { context: 'process', env: { TZ: 'UTC' }, execArgv: [], serialization: 'json' });
 * await using threads = new Pool(url, { resourceLimits: { maxOldGenerationSizeMb: 256 } });
 * ```
 */
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

/**
 * `PoolOptions` plus Node's worker options.
 *
 * @example
 * ```ts
 * const options: NodePoolOptions<Tasks> = { processes: 4, context: 'process', env: { ...process.env, LOG_LEVEL: 'warn' } };
 * await using pool = new Pool<Tasks>(url, options);
 * ```
 */
export type NodePoolOptions<M extends object = UntypedModule> = RuntimePoolOptions<M, NodeContext, NodeWorkerOptions>;
/**
 * `ProcessOptions` plus Node's worker options.
 *
 * @example
 * ```ts
 * const o: NodeProcessOptions<Tasks, 'serve'> = { module: url, target: 'serve', args: [8080], context: 'process', execArgv: ['--max-old-space-size=512'] };
 * const p = new Process(o);
 * ```
 */
export type NodeProcessOptions<M extends object = UntypedModule, K extends TaskName<M> = TaskName<M>> = RuntimeProcessOptions<M, K, NodeContext, NodeWorkerOptions>;

const node = defineRuntime<NodeContext, NodeWorkerOptions>({
  defaultContext: 'thread',
  adapterFor: nodeAdapter,
  moveOptions: ['env', 'execArgv', 'serialization', 'resourceLimits'],
});

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
export const Pool: RuntimePool<NodeContext, NodeWorkerOptions> = node.Pool;
export type Pool<M extends object = UntypedModule> = CorePool<M>;

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
export const Process: RuntimeProcess<NodeContext, NodeWorkerOptions> = node.Process;
export type Process<M extends object = UntypedModule, K extends TaskName<M> = TaskName<M>> = CoreProcess<M, K>;

/**
 * Python's `ThreadPoolExecutor` on worker threads: `submit` returns a `Future`,
 * `map` an async iterator in input order; `await using` shuts it down.
 *
 * @example
 * ```ts
 * import { ThreadPoolExecutor, asCompleted } from '@multiproc/node';
 * await using ex = new ThreadPoolExecutor<typeof import('./tasks.js')>(new URL('./tasks.js', import.meta.url), { maxWorkers: 4 });
 * const fs = [30, 31, 32].map((n) => ex.submit('fib', [n]));
 * for await (const f of asCompleted(fs)) console.log(await f.result());
 * ```
 */
export const ThreadPoolExecutor: RuntimeExecutor<NodeWorkerOptions> = node.ThreadPoolExecutor;
export type ThreadPoolExecutor<M extends object = UntypedModule> = Executor<M>;

/**
 * Python's `ProcessPoolExecutor` on child processes (`child_process.fork`).
 *
 * @example
 * ```ts
 * import { ProcessPoolExecutor } from '@multiproc/node';
 * await using ex = new ProcessPoolExecutor<typeof import('./tasks.js')>(new URL('./tasks.js', import.meta.url));
 * for await (const r of ex.map('fib', [25, 26, 27], { timeout: 60_000 })) console.log(r);
 * ```
 */
export const ProcessPoolExecutor: RuntimeExecutor<NodeWorkerOptions> = node.ProcessPoolExecutor;
export type ProcessPoolExecutor<M extends object = UntypedModule> = Executor<M>;

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
export const expose: (tasks: Readonly<Record<string, unknown>>) => void = /* @__PURE__ */ defineExpose((tasks) => {
  const { parentPort } = workerThreads();
  if (parentPort === null) throw new TypeError('expose() must be called inside a worker started by a worker factory');
  serve(threadPort(parentPort), { tasks });
});

/**
 * `Pool` and `Process` bound to one context, as Python's `get_context()` returns.
 *
 * @example
 * ```ts
 * const ctx: Context = getContext('process');
 * await using pool = new ctx.Pool(new URL('./tasks.js', import.meta.url));   // child processes
 * ```
 */
export type Context = RuntimeContext<NodeContext, NodeWorkerOptions>;

/**
 * The API bound to a context, as Python's `multiprocessing.get_context(method)`.
 *
 * @example
 * ```ts
 * const { Pool } = getContext('thread');
 * ```
 */
export const getContext: (context?: NodeContext) => Context = node.getContext;
