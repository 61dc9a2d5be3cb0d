// W3: CPU-bound tasks (fib) against the same work done serially on the main thread.
import { performance } from 'node:perf_hooks';
import { check } from '../check.mjs';

function fib(n) {
  return n < 2 ? n : fib(n - 1) + fib(n - 2);
}

/**
 * The smallest n whose fib(n) takes at least `targetMs` here, and its value. Each n is timed
 * 3 times and the fastest kept, so a busy machine's preemptions do not pick a too-small n.
 */
export function calibrateFib(targetMs) {
  for (let i = 0; i < 20; i++) fib(22); // optimized code first: a cold fib is several times slower
  for (let n = 20; n < 40; n++) {
    let best = Infinity;
    let value;
    for (let k = 0; k < 3 && best >= targetMs; k++) {
      const t0 = performance.now();
      value = fib(n);
      best = Math.min(best, performance.now() - t0);
    }
    if (best >= targetMs) return { n, value };
  }
  return { n: 40, value: fib(40) };
}

/** W3: speedup = serial time ÷ pool time for the same tasks (ideal = pool size). */
export const w3 = {
  id: 'W3',
  title: 'CPU tasks (fib, ~25 ms each) against the same work serially on the main thread',
  figures: [{ key: 'speedup', label: 'W3 speedup', unit: '× serial', better: 'higher' }],
  async run({ adapter, pool, sizes, fibTask }) {
    const { n: arg, value } = fibTask;
    const tasks = sizes.w3Tasks;
    let t0 = performance.now();
    for (let i = 0; i < tasks; i++) check(fib(arg) === value, 'serial fib');
    const serialMs = performance.now() - t0;
    t0 = performance.now();
    const results = await Promise.all(Array.from({ length: tasks }, () => pool.fib(arg)));
    const poolMs = performance.now() - t0;
    for (const r of results) check(r === value, `${adapter.id} W3: fib(${arg}) returned ${String(r)}, expected ${value}`);
    return { speedup: serialMs / poolMs, serialMs, poolMs };
  },
};
