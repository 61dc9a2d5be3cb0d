// Why W4 transfer is no faster: 200 tasks, each moving a 1 MiB ArrayBuffer to a task and back, on
// a pool of 2 threads. Each task reports when it started and ended in its worker; the gap between
// one worker's consecutive tasks is the time it waited for the parent to see a result and send the
// next task (a task with a transfer list is never sent ahead: its buffer could not be sent again).
//
//   node trace/w4-gaps.mjs
import { percentile } from '../lib/stats.mjs';

const quantile = (xs, p) => percentile([...xs].sort((a, b) => a - b), p);

const { Pool } = await import('@multiproc/node');
const pool = new Pool(new URL('./trace-tasks.mjs', import.meta.url), { processes: 2 });
const hr = () => Number(process.hrtime.bigint()) / 1000;
for (const move of [true, false]) {
  for (let rep = 0; rep < 4; rep++) {
    const bufs = Array.from({ length: 200 }, () => new ArrayBuffer(2 ** 20));
    const t0 = hr();
    const rs = await Promise.all(bufs.map((b) => pool.apply('echoStamped', [b, move], move ? { transfer: [b] } : {})));
    const s = (hr() - t0) / 1e6;
    if (rep < 2) continue; // the first two warm up
    const byWorker = new Map();
    for (const r of rs) byWorker.set(r.threadId, [...(byWorker.get(r.threadId) ?? []), r]);
    const gaps = [];
    const bodies = [];
    for (const list of byWorker.values()) {
      list.sort((a, b) => a.t - b.t);
      for (let i = 1; i < list.length; i++) gaps.push(list[i].t - list[i - 1].end);
      for (const r of list) bodies.push(r.end - r.t);
    }
    console.log(
      `${move ? 'transfer' : 'copy'}: ${(200 / s).toFixed(0)} MiB/s; tasks per worker ${[...byWorker.values()].map((l) => l.length).join('/')}; ` +
        `task body p50 ${quantile(bodies, 0.5).toFixed(1)} µs; a worker's wait between tasks p50 ${quantile(gaps, 0.5).toFixed(0)} µs, p90 ${quantile(gaps, 0.9).toFixed(0)} µs`,
    );
  }
}
await pool.terminate();
