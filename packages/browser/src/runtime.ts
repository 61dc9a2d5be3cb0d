/**
 * The browser runtime: `Pool`, `Process`, `expose` and `getContext` bound to
 * the Web Worker adapter by core's `defineRuntime`. index.ts re-exports them
 * and nothing else lives there: a package index with code of its own and
 * `export *` makes Rolldown (Vite's bundler) drop the initialisation of
 * primitives a worker script imports through it (see index.ts).
 */
import {
  defineExpose,
  defineRuntime,
  type Pool as CorePool,
  type Process as CoreProcess,
  type Executor,
  type NoProcessPoolExecutor,
  type RuntimeExecutor,
  type RuntimeContext,
  type RuntimePool,
  type RuntimeProcess,
  type RuntimePoolOptions,
  type RuntimeProcessOptions,
  type TaskName,
  type UntypedModule,
} from '@multiproc/core';
import { browserAdapter } from './adapter.js';
import { inDedicatedWorker, serveWorker } from './serve-worker.js';

/**
 * The one context browsers offer: Web Workers.
 *
 * @example
 * ```ts
 * const { Pool } = getContext('thread' satisfies BrowserContext);   // Web Workers, the only context
 * ```
 */
export type BrowserContext = 'thread';

/**
 * `PoolOptions` as browsers take them: `context` can only be `'thread'`.
 *
 * @example
 * ```ts
 * const options: BrowserPoolOptions<typeof import('./tasks.js')> = { processes: navigator.hardwareConcurrency, initializer: 'warmUp' };
 * await using pool = new Pool<typeof import('./tasks.js')>(new URL('./tasks.js', import.meta.url), options);
 * ```
 */
export type BrowserPoolOptions<M extends object = UntypedModule> = RuntimePoolOptions<M, BrowserContext>;
/**
 * `ProcessOptions` as browsers take them: `context` can only be `'thread'`. One member per target, as `ProcessOptions`.
 *
 * @example
 * ```ts
 * const o: BrowserProcessOptions<typeof import('./jobs.js'), 'render'> = { module: new URL('./jobs.js', import.meta.url), target: 'render', args: [scene] };
 * const p = new Process(o);
 * ```
 */
export type BrowserProcessOptions<M extends object = UntypedModule, K extends TaskName<M> = TaskName<M>> = RuntimeProcessOptions<M, K, BrowserContext>;

const browser = defineRuntime<BrowserContext>({
  defaultContext: 'thread',
  adapterFor: (context) => {
    if (context === 'thread') return browserAdapter;
    if ((context as string) === 'process') {
      throw new TypeError(
        "context 'process' needs child processes, which browsers do not have: use context 'thread' (Web Workers, the default), or @multiproc/node for processes",
      );
    }
    throw new TypeError(`Unknown context ${JSON.stringify(context)}: @multiproc/browser offers 'thread'`);
  },
});

/**
 * A pool of Web Workers.
 *
 * @example
 * ```ts
 * import { Pool } from '@multiproc/browser';
 * await using pool = new Pool<typeof import('./tasks.js')>(new URL('./tasks.js', import.meta.url));
 * console.log(await pool.map('square', [1, 2, 3])); // [1, 4, 9]
 * ```
 */
export const Pool: RuntimePool<BrowserContext, Record<never, never>> = browser.Pool;
export type Pool<M extends object = UntypedModule> = CorePool<M>;

/**
 * A function running in its own Web Worker.
 *
 * @example
 * ```ts
 * import { Process } from '@multiproc/browser';
 * const p = new Process({ module: new URL('./tasks.js', import.meta.url), target: 'main', args: [] });
 * p.start();
 * await p.join();
 * console.log(p.exitCode); // 0
 * ```
 */
export const Process: RuntimeProcess<BrowserContext, Record<never, never>> = browser.Process;
export type Process<M extends object = UntypedModule, K extends TaskName<M> = TaskName<M>> = CoreProcess<M, K>;

/**
 * Python's `ThreadPoolExecutor` on Web Workers: `submit` returns a `Future`,
 * `map` an async iterator in input order; `await using` shuts it down.
 *
 * @example
 * ```ts
 * import { ThreadPoolExecutor, asCompleted } from '@multiproc/browser';
 * await using ex = new ThreadPoolExecutor<typeof import('./tasks.js')>(new URL('./tasks.js', import.meta.url));
 * const fs = [30, 31].map((n) => ex.submit('fib', [n]));
 * for await (const f of asCompleted(fs)) console.log(await f.result());
 * ```
 */
export const ThreadPoolExecutor: RuntimeExecutor<Record<never, never>> = browser.ThreadPoolExecutor;
export type ThreadPoolExecutor<M extends object = UntypedModule> = Executor<M>;

/**
 * Browsers have no child processes: `new ProcessPoolExecutor(...)` does not
 * compile, and throws a `TypeError` at run time. Use `ThreadPoolExecutor`.
 *
 * @example
 * ```ts
 * const ex = new ThreadPoolExecutor(url); // not ProcessPoolExecutor
 * ```
 */
export const ProcessPoolExecutor: NoProcessPoolExecutor = browser.ProcessPoolExecutor;

/**
 * In a worker script made by a worker factory: serve these task functions.
 * This is the form for production builds whose task modules import other
 * code, since the bundler then sees (and bundles) the worker script. Call it
 * once, before the script awaits anything.
 *
 * @example
 * ```ts
 * // tasks.worker.ts
 * import { expose } from '@multiproc/browser';
 * import { fib } from './fib.js';
 * expose({ fib });
 *
 * // main.ts
 * const pool = new Pool<{ fib: typeof fib }>(() => new Worker(new URL('./tasks.worker.ts', import.meta.url), { type: 'module' }));
 * ```
 */
export const expose: (tasks: Readonly<Record<string, unknown>>) => void = /* @__PURE__ */ defineExpose((tasks) => {
  if (!inDedicatedWorker()) throw new TypeError('expose() must be called inside a Web Worker started by a worker factory');
  serveWorker(tasks);
});

/**
 * `Pool` and `Process` bound to one context, as Python's `get_context()` returns.
 *
 * @example
 * ```ts
 * const ctx: Context = getContext();
 * await using pool = new ctx.Pool(new URL('./tasks.js', import.meta.url));
 * ```
 */
export type Context = RuntimeContext<BrowserContext, Record<never, never>>;

/**
 * The API bound to a context, as Python's `multiprocessing.get_context(method)`.
 * Browsers offer `'thread'` only; `'process'` throws a `TypeError`.
 *
 * @example
 * ```ts
 * const { Pool } = getContext('thread');
 * ```
 */
export const getContext: (context?: BrowserContext) => Context = browser.getContext;
