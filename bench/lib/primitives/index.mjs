// The primitives table: multiproc's Lock, Queue, Event and Barrier against raw Atomics and
// MessagePort in the same run. Each row is { key, label, unit, better, raw? (the row it is
// compared with), run(env, sizes) }; runPrimitives measures them all, order reversed every other
// repetition, and returns { [key]: [value per repetition] }.
import { Worker } from 'node:worker_threads';
import { Pool } from '@multiproc/node';
import { mutexContended, mutexUncontended, sabPingPong } from '../limits/atomics.mjs';
import { startThread, stop } from '../limits/raw-env.mjs';
import { settle, withTimeout } from '../timing.mjs';
import * as m from './measures.mjs';

const perS = (unit) => ({ unit, better: 'higher' });
const us = { unit: 'µs', better: 'lower' };

export const PRIMITIVES = [
  { key: 'rawPortWorkers', label: 'raw: MessagePort worker→worker, pipelined', ...perS('items/s'), run: (e, s) => m.rawPort(e.queueRaw, s.primItems, false) },
  { key: 'queueAsync', label: 'Queue worker→worker, await put / await get', ...perS('items/s'), raw: 'rawPortWorkers', run: (e, s) => m.queueWorkers(e.pool, s.primItems, false) },
  { key: 'queueSync', label: 'Queue worker→worker, putSync / getSync', ...perS('items/s'), raw: 'rawPortWorkers', run: (e, s) => m.queueWorkers(e.pool, s.primItems, true) },
  { key: 'rawPortParent', label: 'raw: MessagePort worker→parent', ...perS('items/s'), run: (e, s) => m.rawPort(e.queueRaw, s.primItems, true) },
  { key: 'queueParent', label: 'Queue worker→parent, await get on the main thread', ...perS('items/s'), raw: 'rawPortParent', run: (e, s) => m.queueToParent(e.pool, s.primItems) },
  { key: 'rawMutexUncontended', label: 'raw: Atomics futex mutex, uncontended', ...perS('acq/s'), run: (e, s) => mutexUncontended(s.mutexOps) },
  { key: 'lockUncontended', label: 'Lock acquireSync / release, 1 worker', ...perS('acq/s'), raw: 'rawMutexUncontended', run: (e, s) => m.lockWorkers(e.pool, s.mutexOps, 1, true) },
  { key: 'rawMutexContended', label: 'raw: Atomics futex mutex, 2 workers contending', ...perS('acq/s'), run: (e, s) => mutexContended(e.atomicsRaw, s.mutexOps) },
  { key: 'lockContended', label: 'Lock acquireSync / release, 2 workers contending', ...perS('acq/s'), raw: 'rawMutexContended', run: (e, s) => m.lockWorkers(e.pool, s.mutexOps, 2, true) },
  { key: 'lockAsyncWorkers', label: 'Lock await acquire / release, 2 workers', ...perS('acq/s'), raw: 'rawMutexContended', run: (e, s) => m.lockWorkers(e.pool, Math.ceil(s.mutexOps / 10), 2, false) },
  { key: 'lockAsyncMain', label: 'Lock await acquire / release, main thread', ...perS('acq/s'), raw: 'rawMutexUncontended', run: (e, s) => m.lockMain(Math.ceil(s.mutexOps / 10)) },
  { key: 'rawSabWorkers', label: 'raw: SAB ping-pong worker↔worker, Atomics.wait/notify', ...us, run: (e, s) => sabPingPong(e.atomicsRaw, s.primTrips, 'worker') },
  { key: 'eventRoundTrip', label: 'Event round trip worker↔worker (set / waitSync / clear)', ...us, raw: 'rawSabWorkers', run: (e, s) => m.eventRoundTrip(e.pool, s.primTrips) },
  { key: 'barrierRoundTrip', label: 'Barrier(2) round, 2 workers (waitSync)', ...us, raw: 'rawSabWorkers', run: (e, s) => m.barrierRoundTrip(e.pool, s.primTrips) },
];

/** Measures every row `reps` times (after one warm-up pass at a tenth of the size). */
export async function runPrimitives({ reps, sizes, timeout, log, rows = PRIMITIVES }) {
  const queueRawUrl = new URL('../../fixtures/raw-worker.js', import.meta.url);
  const env = {
    pool: new Pool(new URL('../../fixtures/sync-tasks.js', import.meta.url), { processes: 2 }),
    queueRaw: [new Worker(queueRawUrl), new Worker(queueRawUrl)],
    atomicsRaw: [startThread(), startThread()],
  };
  const out = Object.fromEntries(rows.map((r) => [r.key, []]));
  try {
    const small = Object.fromEntries(Object.entries(sizes).map(([k, v]) => [k, Math.max(10, Math.ceil(v / 10))]));
    for (const r of rows) await withTimeout(Promise.resolve(r.run(env, small)), timeout, `${r.key} warm-up`);
    for (let rep = 0; rep < reps; rep++) {
      const order = rep % 2 === 0 ? rows : [...rows].reverse();
      for (const r of order) {
        await settle();
        const v = await withTimeout(Promise.resolve(r.run(env, sizes)), timeout, `${r.key} (rep ${rep + 1})`);
        out[r.key].push(v);
        log(`  rep ${rep + 1} ${r.key.padEnd(20)} ${v >= 100 ? v.toFixed(0) : v.toFixed(2)} ${r.unit}`);
      }
    }
  } finally {
    await env.pool.terminate();
    await Promise.all([...env.queueRaw, ...env.atomicsRaw].map(stop));
  }
  return out;
}
