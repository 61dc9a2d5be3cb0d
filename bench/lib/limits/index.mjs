// The raw limits (no library): L1–L5 of BENCH.md, and L6, the cost of `for await` that bounds
// W6's iterators. Each entry is { id, key, label, unit, better, compare?, run(env, sizes) }. `compare` names the workload figure of multiproc it bounds
// ([workload, figure key, mode]), so the tables can print multiproc ÷ the limit.
// runLimits measures them all, order reversed every other repetition, every result checked.
import { settle, withTimeout } from '../timing.mjs';
import { mutexContended, mutexUncontended, sabPingPong } from './atomics.mjs';
import { batchedItems, bufferEcho, pingPong, smallMessages } from './messages.mjs';
import { openRawEnv } from './raw-env.mjs';
import { startEcho } from './startup.mjs';
import { forAwaitRate } from './iterate.mjs';

const us = { unit: 'µs', better: 'lower' };
const perS = (unit) => ({ unit, better: 'higher' });

export const LIMITS = [
  { id: 'L1', key: 'pingpong', label: 'worker_threads postMessage ping-pong p50', ...us, compare: ['W2', 'p50', 'thread'], run: (e, s) => pingPong(e.threads[0], s.limitTrips, 'L1 ping-pong') },
  { id: 'L1', key: 'pipelined', label: 'pipelined small messages to 2 workers', ...perS('msg/s'), compare: ['W1', 'rate', 'thread'], run: (e, s) => smallMessages(e.threads, s.limitMsgs, 'L1 pipelined') },
  { id: 'L1', key: 'batched', label: 'batched, 100 items per message, 2 workers', ...perS('items/s'), compare: ['W6', 'natural', 'thread'], run: (e, s) => batchedItems(e.threads, s.limitMsgs * 10, 'L1 batched') },
  { id: 'L1', key: 'clone', label: '1 MiB echo, structured clone', ...perS('MiB/s'), compare: ['W4', 'copy', 'thread'], run: (e, s) => bufferEcho(e.threads, s.w4Tasks, s.w4Bytes, false) },
  { id: 'L1', key: 'transfer', label: '1 MiB echo, transfer list', ...perS('MiB/s'), compare: ['W4', 'transfer', 'thread'], run: (e, s) => bufferEcho(e.threads, s.w4Tasks, s.w4Bytes, true) },
  { id: 'L2', key: 'sabMain', label: 'SAB ping-pong, Atomics.wait/notify, main↔worker (µs per round trip)', ...us, run: (e, s) => sabPingPong(e.threads, s.limitTrips * 4, 'main') },
  { id: 'L2', key: 'sabWorkers', label: 'SAB ping-pong, worker↔worker (µs per round trip)', ...us, run: (e, s) => sabPingPong(e.threads, s.limitTrips * 4, 'worker') },
  { id: 'L2', key: 'sabAsync', label: 'SAB ping-pong, main on Atomics.waitAsync (µs per round trip)', ...us, run: (e, s) => sabPingPong(e.threads, s.limitTrips, 'async') },
  { id: 'L3', key: 'forkJson', label: "fork IPC ping-pong p50, 'json'", ...us, compare: ['W2', 'p50', 'process'], run: (e, s) => pingPong(e.json[0], s.limitTrips, 'L3 json ping-pong') },
  { id: 'L3', key: 'forkAdvanced', label: "fork IPC ping-pong p50, 'advanced'", ...us, run: (e, s) => pingPong(e.advanced[0], s.limitTrips, 'L3 advanced ping-pong') },
  { id: 'L3', key: 'forkPipeJson', label: "fork IPC pipelined to 2 children, 'json'", ...perS('msg/s'), compare: ['W1', 'rate', 'process'], run: (e, s) => smallMessages(e.json, s.limitMsgs / 4, 'L3 json pipelined') },
  { id: 'L3', key: 'forkPipeAdvanced', label: "fork IPC pipelined to 2 children, 'advanced'", ...perS('msg/s'), run: (e, s) => smallMessages(e.advanced, s.limitMsgs / 4, 'L3 advanced pipelined') },
  { id: 'L4', key: 'mutexContended', label: 'Atomics futex mutex, 2 workers contending', ...perS('acq/s'), run: (e, s) => mutexContended(e.threads, s.mutexOps) },
  { id: 'L4', key: 'mutexUncontended', label: 'Atomics futex mutex, uncontended', ...perS('acq/s'), run: (e, s) => mutexUncontended(s.mutexOps * 4) },
  { id: 'L5', key: 'startThread', label: '2 × new Worker → first echo (ms)', unit: 'ms', better: 'lower', compare: ['W5', 'createMs', 'thread'], run: async () => (await startEcho('thread', 2)).ms },
  { id: 'L5', key: 'startFork', label: '2 × fork → first echo (ms)', unit: 'ms', better: 'lower', compare: ['W5', 'createMs', 'process'], run: async () => (await startEcho('process', 2)).ms },
  { id: 'L5', key: 'rssThread', label: 'RSS per worker thread (MiB)', unit: 'MiB', better: 'lower', compare: ['W5', 'rssPerWorker', 'thread'], run: async () => (await startEcho('thread', 2)).rssPerWorker },
  { id: 'L5', key: 'rssFork', label: 'RSS per forked child (MiB)', unit: 'MiB', better: 'lower', compare: ['W5', 'rssPerWorker', 'process'], run: async () => (await startEcho('process', 2)).rssPerWorker },
  { id: 'L6', key: 'forAwait', label: '`for await` over 10,000 settled promises, no workers', ...perS('items/s'), compare: ['W6', 'imap', 'thread'], run: (e, s) => forAwaitRate(s.w6Items) },
];

/** Measures every limit `reps` times; returns { [key]: [value per repetition] }. */
export async function runLimits({ reps, sizes, timeout, log }) {
  const env = await openRawEnv();
  const out = Object.fromEntries(LIMITS.map((l) => [l.key, []]));
  try {
    for (let rep = 0; rep < reps; rep++) {
      const order = rep % 2 === 0 ? LIMITS : [...LIMITS].reverse();
      for (const l of order) {
        await settle();
        const v = await withTimeout(Promise.resolve(l.run(env, sizes)), timeout, `${l.id} ${l.key} (rep ${rep + 1})`);
        out[l.key].push(v);
        log(`  rep ${rep + 1} ${l.id} ${l.key.padEnd(18)} ${v >= 100 ? v.toFixed(0) : v.toFixed(2)} ${l.unit}`);
      }
    }
  } finally {
    await env.close();
  }
  return out;
}
