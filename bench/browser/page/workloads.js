// W1, W2 and W4 of the project's BENCH.md, run in the page (bench/browser): the same counts,
// figures and result checks as the Node bench's lib/workloads (whose files import node:
// modules, so the page has its own copies of the loops).
import { check, checkSequence } from '../../lib/check.mjs';
import { percentile } from '../../lib/stats.mjs';

/** W1: every task submitted at once; tasks/s until all results are in. */
async function w1(pool, id, sizes) {
  const n = sizes.w1Tasks;
  const t0 = performance.now();
  const rs = new Array(n);
  for (let i = 0; i < n; i++) rs[i] = pool.one(i);
  const results = await Promise.all(rs);
  const ms = performance.now() - t0;
  checkSequence(results, n, `${id} W1`);
  return { rate: n / (ms / 1000) };
}

/** W2: one task at a time, each awaited before the next; p50 and p99 latency in µs. */
async function w2(pool, id, sizes) {
  const n = sizes.w2Trips;
  const lat = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    const r = await pool.one(i);
    lat[i] = (performance.now() - t0) * 1000;
    check(r === i, `${id} W2: round trip ${i} returned ${String(r)}`);
  }
  lat.sort();
  return { p50: percentile(lat, 0.5), p99: percentile(lat, 0.99) };
}

async function echoAll(pool, id, tasks, bytes, move) {
  const bufs = Array.from({ length: tasks }, (_, i) => {
    const v = new Uint8Array(bytes);
    v[0] = i & 255;
    v[bytes - 1] = (i * 7) & 255;
    return v.buffer;
  });
  const t0 = performance.now();
  const results = await Promise.all(bufs.map((b) => pool.echo(b, move)));
  const ms = performance.now() - t0;
  results.forEach((r, i) => {
    const what = `${id} W4 ${move ? 'transfer' : 'copy'}: buffer ${i}`;
    check(r instanceof ArrayBuffer && r.byteLength === bytes, `${what} came back as ${r instanceof ArrayBuffer ? `${r.byteLength} bytes` : typeof r}`);
    const v = new Uint8Array(r);
    check(v[0] === (i & 255) && v[bytes - 1] === ((i * 7) & 255), `${what} came back with other bytes`);
  });
  return (tasks * bytes) / 2 ** 20 / (ms / 1000);
}

/** W4: MiB/s (one way) of 1 MiB echoes, copied and transferred. */
async function w4(pool, id, sizes) {
  return {
    copy: await echoAll(pool, id, sizes.w4Tasks, sizes.w4Bytes, false),
    transfer: await echoAll(pool, id, sizes.w4Tasks, sizes.w4Bytes, true),
  };
}

/** The workloads, with the figures the tables print (the shape of the Node bench's). */
export const WORKLOADS = [
  { id: 'W1', title: 'no-op tasks submitted at once, until all results are in', run: w1, figures: [{ key: 'rate', label: 'W1 tasks/s', unit: 'tasks/s', better: 'higher' }] },
  {
    id: 'W2',
    title: 'sequential no-op round trips',
    run: w2,
    figures: [
      { key: 'p50', label: 'W2 p50 µs', unit: 'µs', better: 'lower' },
      { key: 'p99', label: 'W2 p99 µs', unit: 'µs', better: 'lower' },
    ],
  },
  {
    id: 'W4',
    title: '1 MiB ArrayBuffer sent to a task and back, all tasks at once',
    run: w4,
    figures: [
      { key: 'copy', label: 'W4 copy MiB/s', unit: 'MiB/s', better: 'higher' },
      { key: 'transfer', label: 'W4 transfer MiB/s', unit: 'MiB/s', better: 'higher' },
    ],
  },
];
