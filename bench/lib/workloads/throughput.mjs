// W1 (100,000 no-op tasks at once), W2 (sequential round trips) and W6 (ordered map of
// 10,000 items: each pool's natural way, and hand-chunked with Python's default chunksize).
import { performance } from 'node:perf_hooks';
import { check, checkSequence } from '../check.mjs';
import { median, percentile } from '../stats.mjs';

const scaled = (n, adapter, floor) => Math.max(floor, Math.round(n * (adapter.scale ?? 1)));
const range = (n) => Array.from({ length: n }, (_, i) => i);

/** W1: every task submitted at once; tasks/s until all results are in. */
export const w1 = {
  id: 'W1',
  title: 'no-op tasks submitted at once, until all results are in',
  figures: [{ key: 'rate', label: 'W1 tasks/s', unit: 'tasks/s', better: 'higher' }],
  async run({ adapter, pool, sizes }) {
    const n = scaled(sizes.w1Tasks, adapter, 200);
    const t0 = performance.now();
    const rs = new Array(n);
    for (let i = 0; i < n; i++) rs[i] = pool.one(i);
    const results = await Promise.all(rs);
    const ms = performance.now() - t0;
    checkSequence(results, n, `${adapter.id} W1`);
    return { rate: n / (ms / 1000), n };
  },
};

/** W2: one task at a time, each awaited before the next; p50 and p99 latency in µs. */
export const w2 = {
  id: 'W2',
  title: 'sequential no-op round trips',
  figures: [
    { key: 'p50', label: 'W2 p50 µs', unit: 'µs', better: 'lower' },
    { key: 'p99', label: 'W2 p99 µs', unit: 'µs', better: 'lower' },
  ],
  async run({ adapter, pool, sizes }) {
    const n = scaled(sizes.w2Trips, adapter, 50);
    const lat = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const t0 = performance.now();
      const r = await pool.one(i);
      lat[i] = (performance.now() - t0) * 1000;
      check(r === i, `${adapter.id} W2: round trip ${i} returned ${String(r)}`);
    }
    lat.sort();
    return { p50: percentile(lat, 0.5), p99: percentile(lat, 0.99), n };
  },
};

/**
 * The median rate of at least `maps` maps, and of as many more as fit in `minMs` (at most 100):
 * a fast map takes about a millisecond, where a few thread wake-ups would decide one sample.
 */
async function timeMaps(adapter, mapFn, id, items, maps, minMs = 0) {
  const xs = range(items);
  const rates = [];
  const start = performance.now();
  for (let k = 0; k < maps || (performance.now() - start < minMs && k < 100); k++) {
    const t0 = performance.now();
    const results = await mapFn(xs);
    const ms = performance.now() - t0;
    checkSequence(results, items, `${adapter.id} ${id} (map ${k + 1})`);
    rates.push(items / (ms / 1000));
  }
  return median(rates);
}

/** W6: an ordered map, the pool's natural way and hand-chunked by ceil(n / (4 × workers)). */
export const w6 = {
  id: 'W6',
  title: 'ordered map of 10,000 items: natural way (W6) and chunked by ceil(n / (4 × workers)) (W6c)',
  figures: [
    { key: 'chunked', label: 'W6c chunked map items/s', unit: 'items/s', better: 'higher' },
    { key: 'natural', label: 'W6 natural map items/s', unit: 'items/s', better: 'higher' },
    { key: 'imap', label: 'W6 `imap` default chunksize items/s', unit: 'items/s', better: 'higher' },
    { key: 'imapUnordered', label: 'W6 `imapUnordered` default chunksize items/s', unit: 'items/s', better: 'higher' },
  ],
  async run({ adapter, pool, sizes, poolSize }) {
    const n = scaled(sizes.w6Items, adapter, 200);
    const chunk = Math.ceil(n / (4 * poolSize));
    // Chunked first: right after a per-item map's garbage the next map runs slower.
    const chunked = await timeMaps(adapter, (xs) => pool.mapChunked(xs, chunk), 'W6c', n, sizes.w6Maps, sizes.w6MinMs);
    const natural = await timeMaps(adapter, (xs) => pool.mapAll(xs), 'W6', n, sizes.w6Maps, sizes.w6MinMs);
    // Pools with lazy iterators (multiproc): drained with for await, so they pay its cost per item (limit L6).
    const imap = pool.imap === undefined ? null : await timeMaps(adapter, pool.imap, 'W6 imap', n, sizes.w6Maps, sizes.w6MinMs);
    const imapUnordered = pool.imapUnordered === undefined ? null : await timeMaps(adapter, pool.imapUnordered, 'W6 imapUnordered', n, sizes.w6Maps, sizes.w6MinMs);
    return { chunked, natural, imap, imapUnordered, n };
  },
};
