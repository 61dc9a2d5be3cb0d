// Result checking: every workload verifies what the pool returned; a wrong result throws
// a BenchCheckError naming the pool and the workload, and the whole run fails.

export class BenchCheckError extends Error {
  name = 'BenchCheckError';
}

/** Throws unless `ok`; `what` says which pool, workload and value. */
export function check(ok, what) {
  if (!ok) throw new BenchCheckError(`wrong result: ${what}`);
}

/** Checks that `results` is exactly [0, 1, ..., n - 1] (ordered no-op results). */
export function checkSequence(results, n, what) {
  check(Array.isArray(results) && results.length === n, `${what}: expected ${n} results, got ${Array.isArray(results) ? results.length : typeof results}`);
  for (let i = 0; i < n; i++) check(results[i] === i, `${what}: result ${i} is ${String(results[i])}, expected ${i}`);
}
