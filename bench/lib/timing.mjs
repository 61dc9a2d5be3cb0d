// Timing helpers shared by every measurement: a timeout that turns a hang into a failure,
// and a settle step (full GC, short pause) before each measured run.
import v8 from 'node:v8';
import vm from 'node:vm';

/** A full GC: Node's (exposed at run time), or Bun's `Bun.gc(true)`, which has no `gc` to expose. */
function fullGc() {
  if (globalThis.Bun !== undefined) return () => globalThis.Bun.gc(true);
  if (globalThis.gc === undefined) v8.setFlagsFromString('--expose-gc');
  return globalThis.gc ?? vm.runInNewContext('gc');
}
const gc = fullGc();

/** Rejects if `promise` has not settled within `seconds`. */
export function withTimeout(promise, seconds, what) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: no result after ${seconds} s (hang?)`)), seconds * 1000);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/**
 * A full GC and a short pause before every measured run: garbage one run leaves (piscina's
 * per-item W6 is 10,000 runs) otherwise slows whichever run comes next.
 */
export async function settle() {
  gc();
  await new Promise((r) => setTimeout(r, 30));
}

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
