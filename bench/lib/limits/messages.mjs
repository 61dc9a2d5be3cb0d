// L1 (worker_threads postMessage) and L3 (child_process IPC): ping-pong latency, pipelined small
// messages to 2 workers, batched items, and 1 MiB echoes copied or transferred. Each checked.
import { performance } from 'node:perf_hooks';
import { check } from '../check.mjs';
import { percentile } from '../stats.mjs';
import { nextMessage } from './raw-env.mjs';

const post = (w, m, transfer) => (typeof w.postMessage === 'function' ? w.postMessage(m, transfer) : w.send(m));

/** p50 µs of `trips` sequential echoes through `w`. */
export async function pingPong(w, trips, what) {
  const lat = new Float64Array(trips);
  for (let i = 0; i < trips; i++) {
    const t0 = performance.now();
    const reply = nextMessage(w);
    post(w, i);
    const r = await reply;
    lat[i] = (performance.now() - t0) * 1000;
    check(r === i, `${what}: echo ${i} returned ${String(r)}`);
  }
  lat.sort();
  return percentile(lat, 0.5);
}

/** Sends `n` messages (round-robin, each `make(i)`) to `ws` at once; messages/s until all are back. */
export function pipelined(ws, n, make, countOf, what) {
  return new Promise((resolve, reject) => {
    let back = 0;
    let sum = 0;
    const expected = [];
    const onMessage = (m) => {
      sum += countOf(m);
      if (++back === expected.length) finish();
    };
    const finish = () => {
      for (const w of ws) w.off('message', onMessage);
      const ms = performance.now() - t0;
      const want = expected.reduce((s, x) => s + x, 0);
      if (sum !== want) reject(new Error(`wrong result: ${what}: checksum ${sum}, expected ${want}`));
      else resolve(n / (ms / 1000));
    };
    for (const w of ws) w.on('message', onMessage);
    const t0 = performance.now();
    for (let i = 0; i < n; ) {
      const m = make(i);
      expected.push(countOf(m));
      post(ws[expected.length % ws.length], m);
      i += Array.isArray(m) ? m.length : 1;
    }
  });
}

const sumOf = (m) => (Array.isArray(m) ? m.reduce((s, x) => s + x, 0) : m);

/** Small messages (numbers) to 2 workers; msg/s. */
export const smallMessages = (ws, n, what) => pipelined(ws, n, (i) => i, sumOf, what);

/** Batches of 100 numbers per message to 2 workers; items/s. */
export const batchedItems = (ws, n, what) => pipelined(ws, n, (i) => Array.from({ length: Math.min(100, n - i) }, (_, k) => i + k), sumOf, what);

/** `tasks` 1 MiB buffers echoed through 2 worker threads at once, copied or moved both ways; MiB/s. */
export async function bufferEcho(ws, tasks, bytes, move) {
  const bufs = Array.from({ length: tasks }, (_, i) => {
    const b = new ArrayBuffer(bytes);
    new Uint8Array(b)[0] = i & 255;
    return b;
  });
  const t0 = performance.now();
  const got = await new Promise((resolve) => {
    const out = [];
    const onMessage = (m) => {
      out.push(m);
      if (out.length === tasks) {
        for (const w of ws) w.off('message', onMessage);
        resolve(out);
      }
    };
    for (const w of ws) w.on('message', onMessage);
    for (let i = 0; i < tasks; i++) ws[i % ws.length].postMessage({ kind: 'buf', i, buf: bufs[i], move }, move ? [bufs[i]] : undefined);
  });
  const ms = performance.now() - t0;
  for (const m of got) check(m.buf.byteLength === bytes && new Uint8Array(m.buf)[0] === (m.i & 255), `raw 1 MiB echo ${m.i}`);
  return (tasks * bytes) / 2 ** 20 / (ms / 1000);
}
