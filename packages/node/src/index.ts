/**
 * @multiproc/node: Python's multiprocessing on Node. Re-exports the whole
 * public API of @multiproc/core with `Pool` and `Process` bound to Node's
 * adapters, so a program imports only this package.
 *
 * A pure re-export barrel, on purpose: when a package index that has code of
 * its own re-exports lazily loaded modules with `export *`, Rolldown (Vite 8)
 * can leave out their initialisation in a one-file (`iife`) bundle, and
 * `new Queue()` then throws "is not a constructor" (the browser package's
 * test/e2e/vite-app.test.ts builds such a worker).
 */
export * from '@multiproc/core';
export { nodeAdapter, threadAdapter, processAdapter, type NodeContext } from './adapter.js';
export {
  Pool,
  Process,
  ThreadPoolExecutor,
  ProcessPoolExecutor,
  cpuCount,
  expose,
  getContext,
  type Context,
  type NodePoolOptions,
  type NodeProcessOptions,
  type NodeWorkerOptions,
} from './runtime.js';
