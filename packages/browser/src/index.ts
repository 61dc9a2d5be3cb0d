/**
 * @multiproc/browser: Python's multiprocessing in the browser, on Web
 * Workers. Re-exports the whole public API of @multiproc/core with `Pool`
 * and `Process` bound to the Web Worker adapter, so a program imports only
 * this package, and switching from @multiproc/node is a one-import change.
 * Browsers have no child processes: context `'process'` is refused.
 *
 * A pure re-export barrel, on purpose: when a package index that has code of
 * its own re-exports lazily loaded modules with `export *`, Rolldown (Vite 8)
 * can leave out their initialisation in a worker bundle (one `iife` file), and
 * `new Queue()` then throws "is not a constructor". test/e2e/vite-app.test.ts
 * builds such a worker.
 */
export * from '@multiproc/core';
export { browserAdapter, browserCapabilities } from './adapter.js';
export {
  Pool,
  Process,
  ThreadPoolExecutor,
  ProcessPoolExecutor,
  expose,
  getContext,
  type BrowserContext,
  type BrowserPoolOptions,
  type BrowserProcessOptions,
  type Context,
} from './runtime.js';
