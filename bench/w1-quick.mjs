// Quick W1 check (100,000 no-op pool.apply tasks), for hot-path before/after comparisons.
//   node w1-quick.mjs [reps] [--with-primitive]   (the flag creates a Lock first, so every
//   submission is searched for primitives, as in a program that uses them)
import { performance } from 'node:perf_hooks';
import * as multiproc from '@multiproc/node';
const { Pool } = multiproc;
if (process.argv.includes('--with-primitive')) new multiproc.Lock();
const pool = new Pool(new URL('./fixtures/tasks.js', import.meta.url), { processes: 2 });
const N = 100_000;
const reps = Number(process.argv.find((a, i) => i > 1 && /^\d+$/.test(a)) ?? 7);
await Promise.all(Array.from({ length: 5000 }, (_, i) => pool.apply('noop', [i])));
const rates = [];
for (let r = 0; r < reps; r++) {
  const t0 = performance.now();
  const all = new Array(N);
  for (let i = 0; i < N; i++) all[i] = pool.apply('noop', [i]);
  const out = await Promise.all(all);
  const ms = performance.now() - t0;
  if (out[N - 1] !== N - 1) throw new Error('wrong');
  rates.push(N / (ms / 1000));
}
rates.sort((a, b) => a - b);
console.log(`W1 median ${(rates[rates.length >> 1] / 1000).toFixed(1)} k tasks/s  all: ${rates.map((r) => (r / 1000).toFixed(0)).join(' ')}`);
await pool.terminate();
