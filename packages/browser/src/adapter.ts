/**
 * The Web Worker runtime adapter: how to start, talk to and stop a worker,
 * and what browsers can do. Shared memory depends on the page: only a
 * cross-origin-isolated page (COOP `same-origin` + COEP `require-corp`) has
 * `SharedArrayBuffer`.
 */
// core's cpuCount() reads navigator.hardwareConcurrency, which is what browsers offer.
import { cpuCount, defineAdapter, type AdapterCapabilities, type RuntimeAdapter } from '@multiproc/core';
import { spawnWebWorker } from './web-worker.js';

/**
 * Whether this page (or worker) can share memory with its workers. Browsers
 * always define `crossOriginIsolated`; runtimes that speak Web Workers without
 * being browsers (Deno, Bun) leave it undefined and always have shared memory.
 */
function sharedMemoryAvailable(): boolean {
  const isolated = (globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated;
  if (isolated === undefined) return typeof SharedArrayBuffer === 'function';
  return isolated === true;
}

/**
 * What Web Workers can do in this page: `sharedMemory` only when it is
 * cross-origin isolated.
 *
 * @example
 * ```ts
 * if (!browserCapabilities.sharedMemory) console.warn('serve this page with COOP/COEP to share memory');
 * ```
 */
export const browserCapabilities: AdapterCapabilities = Object.freeze({
  sharedMemory: sharedMemoryAvailable(),
  transfer: true,
  isolatedGlobals: true,
  processes: false,
});

/**
 * The Web Worker adapter. `Pool` and `Process` from `@multiproc/browser` use
 * it already; pass it yourself only to core's classes or the conformance suite.
 *
 * @example
 * ```ts
 * import { runConformance } from '@multiproc/core/conformance';
 * runConformance({ name: 'browser', createAdapter: () => browserAdapter }, { describe, it });
 * ```
 */
export const browserAdapter: RuntimeAdapter = defineAdapter({
  name: 'browser',
  capabilities: browserCapabilities,
  cpuCount,
  spawn: spawnWebWorker,
});
