// W3 on its own, multiproc against piscina, each in a fresh pool of 2 threads: per repetition, 16
// fib tasks (~25 ms each) serially on the main thread, then on the pool; the speedups, and the CPU
// time of every thread of this process while the pools ran (/proc), to show who used the cores.
//
//   node trace/fib-threads.mjs [multiproc|piscina]
import { readdirSync, readFileSync } from 'node:fs';
import { calibrateFib } from '../lib/workloads/cpu.mjs';
import common from '../fixtures/common.cjs';

const which = process.argv[2] ?? 'multiproc';
function threadCpuMs() {
  const out = new Map();
  for (const t of readdirSync(`/proc/${process.pid}/task`)) {
    try {
      const f = readFileSync(`/proc/${process.pid}/task/${t}/stat`, 'utf8').split(') ')[1].split(' ');
      out.set(t, (Number(f[11]) + Number(f[12])) * 10);
    } catch {
      // the thread ended while we read
    }
  }
  return out;
}

const { n } = calibrateFib(25);
let run;
let close;
if (which === 'piscina') {
  const { Piscina } = await import('piscina');
  const pool = new Piscina({ filename: new URL('../fixtures/piscina-worker.mjs', import.meta.url).href, minThreads: 2, maxThreads: 2 });
  run = (x) => pool.run(x, { name: 'fib' });
  close = () => pool.destroy();
} else {
  const { Pool } = await import('@multiproc/node');
  const pool = new Pool(new URL('../fixtures/multiproc-tasks.js', import.meta.url), { processes: 2 });
  run = (x) => pool.apply('fib', [x]);
  close = () => pool.terminate();
}
for (let i = 0; i < 4; i++) await Promise.all([run(n), run(n)]);
const before = threadCpuMs();
const speedups = [];
let poolMs = 0;
for (let rep = 0; rep < 7; rep++) {
  let t = performance.now();
  for (let i = 0; i < 16; i++) common.fib(n);
  const serial = performance.now() - t;
  t = performance.now();
  await Promise.all(Array.from({ length: 16 }, () => run(n)));
  const ms = performance.now() - t;
  poolMs += ms;
  speedups.push(serial / ms);
}
const after = threadCpuMs();
const busy = [...after].map(([t, ms]) => ms - (before.get(t) ?? 0)).filter((ms) => ms > 0).sort((a, b) => b - a);
console.log(`${which}: speedups ${speedups.map((s) => s.toFixed(2)).join(' ')} (median ${[...speedups].sort()[3].toFixed(2)}); pool phases ${(poolMs / 7).toFixed(0)} ms each (ideal ${(16 * 25) / 2}); CPU ms per thread over both phases: ${busy.join(', ')}`);
await close();
