// W6's iterators against what `for await` costs by itself: the median time of a 10,000-item map,
// of the same through imap drained with for await, and of for await over 10,000 settled promises
// with no pool at all (limit L6), on a pool of 2 threads after a warm-up.
//
//   node trace/imap-floor.mjs
import { collect } from '../lib/collect.mjs';
import { settledIterator } from '../lib/limits/iterate.mjs';
import { median } from '../lib/stats.mjs';

const { Pool } = await import('@multiproc/node');
const pool = new Pool(new URL('../fixtures/multiproc-tasks.js', import.meta.url), { processes: 2 });
const xs = Array.from({ length: 10_000 }, (_, i) => i);

async function medianMs(f, reps) {
  const ms = [];
  for (let i = 0; i < reps; i++) {
    const t = performance.now();
    await f();
    ms.push(performance.now() - t);
  }
  return median(ms);
}

const ways = [
  ['map', () => pool.map('noop', xs)],
  ['imap, drained with for await', () => collect(pool.imap('noop', xs))],
  ['for await over settled promises alone', () => collect(settledIterator(xs.length))],
];
for (const [, f] of ways) await medianMs(f, 50);
for (const [name, f] of ways) console.log(`  ${name.padEnd(40)} ${(await medianMs(f, 200)).toFixed(2)} ms per 10,000 items`);
await pool.terminate();
