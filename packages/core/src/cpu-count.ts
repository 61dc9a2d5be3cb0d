/**
 * `cpuCount()` for runtimes without their own: the browser's
 * `navigator.hardwareConcurrency`, else 1. Runtime packages export their own.
 */

/**
 * The number of CPUs, as Python's `cpu_count()`; at least 1.
 *
 * @example
 * ```ts
 * const pool = new Pool(url, { processes: Math.max(1, cpuCount() - 1) });
 * ```
 */
export function cpuCount(): number {
  const n = (globalThis as { navigator?: { hardwareConcurrency?: number } }).navigator?.hardwareConcurrency;
  return typeof n === 'number' && n >= 1 ? Math.floor(n) : 1;
}
