// Where a W2 round trip's time goes: 5,000 sequential round trips on a pool of 2, each stamped at
// the call, when the task runs in the worker, when the parent's Worker/ChildProcess emits the
// result message, and when the caller's await resumes; p50 and p99 of each stage.
//
//   node trace/w2-stages.mjs [thread|process] [json]
import { ChildProcess } from 'node:child_process';
import { Worker } from 'node:worker_threads';
import { percentile } from '../lib/stats.mjs';

const quantile = (xs, p) => percentile([...xs].sort((a, b) => a - b), p);

const context = process.argv[2] ?? 'thread';
const json = process.argv[3] === 'json';
const hr = () => Number(process.hrtime.bigint()) / 1000;
let received = 0;
for (const C of [Worker, ChildProcess]) {
  const emit = C.prototype.emit;
  C.prototype.emit = function (event, ...args) {
    if (event === 'message') received = hr();
    return emit.call(this, event, ...args);
  };
}
const { Pool } = await import('@multiproc/node');
const pool = new Pool(new URL('./trace-tasks.mjs', import.meta.url), { processes: 2, context, ...(json ? { serialization: 'json' } : {}) });
for (let i = 0; i < 300; i++) await pool.apply('stamp', []);
const rows = [];
for (let i = 0; i < 5000; i++) {
  const t0 = hr();
  const ran = await pool.apply('stamp', []);
  rows.push([t0, ran, received, hr()]);
}
await pool.terminate();
console.log(`${context}${json ? " with 'json'" : ''}: 5,000 sequential round trips, µs`);
for (const [name, f] of [
  ['total (apply -> await resumes)', (r) => r[3] - r[0]],
  ['apply -> the task runs in the worker', (r) => r[1] - r[0]],
  ['task -> the parent gets the message', (r) => r[2] - r[1]],
  ['message -> the await resumes', (r) => r[3] - r[2]],
]) {
  const xs = rows.map(f);
  console.log(`  ${name.padEnd(38)} p50 ${quantile(xs, 0.5).toFixed(1).padStart(6)}   p99 ${quantile(xs, 0.99).toFixed(1).padStart(7)}`);
}
