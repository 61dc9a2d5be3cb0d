// multiproc's small benchmark: @multiproc/node's Pool against piscina, side by side.
//
// Workloads (ids from the project's BENCH.md):
//   W1  100,000 no-op tasks submitted at once, until all results are in   tasks/s
//   W2  2,000 sequential no-op round trips                                p50 / p99 µs
//   W6  ordered map of 10,000 items, each pool's natural way              items/s
//       (multiproc: map with its default chunksize; piscina: one run per item)
//   W6c the same map chunked the same way for both: ceil(n / (4 × workers))
//       items per task (multiproc: map's chunksize; piscina: hand-chunked)
//
// Both pools have 2 workers. Each workload runs for each pool back to back, the
// order of the pools alternating between repetitions; every result is checked.
// The markdown table goes to stdout, progress to stderr.
//
//   node run.js [--reps N] [--timeout SECONDS] [--verbose]

import { availableParallelism } from 'node:os';
import { performance } from 'node:perf_hooks';
import v8 from 'node:v8';
import vm from 'node:vm';
import { Pool } from '@multiproc/node';
import { Piscina } from 'piscina';

const POOL_SIZE = 2;
const W1_TASKS = 100_000;
const W2_TRIPS = 2_000;
const W6_ITEMS = 10_000;
// One map of 10,000 items takes only milliseconds (except piscina's W6, ~0.5 s): each
// measured W6/W6c run times several maps one after another and keeps their median.
const W6_MAPS = 5;
const W6C_MAPS = 25;
const WARMUP_TASKS = 500;

// ---------------------------------------------------------------- arguments

function parseArgs(argv) {
  const opts = { reps: 3, timeout: 60, verbose: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const [flag, inline] = a.includes('=') ? a.split(/=(.*)/s, 2) : [a, undefined];
    const value = () => {
      const v = inline ?? argv[++i];
      const n = Number(v);
      if (!Number.isInteger(n) || n < 1) throw new Error(`${flag} needs a positive integer, got ${v}`);
      return n;
    };
    if (flag === '--reps') opts.reps = value();
    else if (flag === '--timeout') opts.timeout = value();
    else if (flag === '--verbose' || flag === '-v') opts.verbose = true;
    else if (flag === '--help' || flag === '-h') {
      console.log('usage: node run.js [--reps N (default 3)] [--timeout SECONDS per measured run (default 60)] [--verbose: each W6/W6c map time to stderr]');
      process.exit(0);
    } else throw new Error(`unknown argument ${a} (try --help)`);
  }
  return opts;
}

let opts;
try {
  opts = parseArgs(process.argv.slice(2));
} catch (err) {
  console.error(`run.js: ${err.message}`);
  process.exit(2);
}

// ---------------------------------------------------------------- helpers

const log = (...xs) => console.error(...xs);

/** Rejects if `promise` has not settled within `seconds`: a hang becomes a clear failure. */
function withTimeout(promise, seconds, what) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: no result after ${seconds} s (hang?)`)), seconds * 1000);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 === 1 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** Nearest-rank percentile of an ascending array. */
function percentile(sorted, p) {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))];
}

function checkSequence(results, n, what) {
  if (!Array.isArray(results) || results.length !== n) {
    throw new Error(`${what}: expected ${n} results, got ${Array.isArray(results) ? results.length : typeof results}`);
  }
  for (let i = 0; i < n; i++) {
    if (results[i] !== i) throw new Error(`${what}: result ${i} is ${String(results[i])}, expected ${i}`);
  }
}

/**
 * A full GC before every measured run: a run that leaves a lot of garbage (piscina's W6 is
 * 50,000 runs) otherwise slows whichever run comes next (measured: multiproc's W6c maps 40-50%
 * slower right after piscina's W6, back to normal after a gc(), not after 1 s of idling).
 */
if (globalThis.gc === undefined) v8.setFlagsFromString('--expose-gc');
const gc = globalThis.gc ?? vm.runInNewContext('gc');
async function settle() {
  gc();
  await new Promise((r) => setTimeout(r, 50));
}

function fmtRate(x) {
  if (x >= 1e6) return `${(x / 1e6).toFixed(2)} M`;
  if (x >= 1e3) return `${(x / 1e3).toFixed(1)} k`;
  return x.toFixed(0);
}
const fmtUs = (x) => (x >= 100 ? x.toFixed(0) : x.toFixed(1));
const fmtRatio = (x) => `${x.toFixed(2)}×`;

// ---------------------------------------------------------------- the pools

/**
 * Each pool is wrapped in the same small interface:
 *   one(i)               -> Promise of the no-op result for i (one task)
 *   mapAll(xs)           -> Promise of the ordered results, the pool's natural way
 *   mapChunked(xs, size) -> the same, `size` items per task
 */
function makeMultiproc() {
  const pool = new Pool(new URL('./fixtures/tasks.js', import.meta.url), { processes: POOL_SIZE });
  return {
    name: 'multiproc',
    one: (i) => pool.apply('noop', [i]),
    mapAll: (xs) => pool.map('noop', xs), // default chunksize: ceil(n / (4 × processes))
    mapChunked: (xs, size) => pool.map('noop', xs, { chunksize: size }),
    fib: (n) => pool.apply('fib', [n]),
    close: () => pool.terminate(),
  };
}

function makePiscina() {
  const pool = new Piscina({
    filename: new URL('./fixtures/piscina-noop.js', import.meta.url).href,
    minThreads: POOL_SIZE,
    maxThreads: POOL_SIZE,
    idleTimeout: Infinity,
  });
  return {
    name: 'piscina',
    one: (i) => pool.run(i),
    mapAll: (xs) => Promise.all(xs.map((x) => pool.run(x))), // one run per item
    async mapChunked(xs, size) {
      const runs = [];
      for (let i = 0; i < xs.length; i += size) runs.push(pool.run(xs.slice(i, i + size), { name: 'noopChunk' }));
      return (await Promise.all(runs)).flat();
    },
    fib: null,
    close: () => pool.destroy(),
  };
}

// ---------------------------------------------------------------- workloads

async function warmUp(p) {
  const rs = [];
  for (let i = 0; i < WARMUP_TASKS; i++) rs.push(p.one(i));
  checkSequence(await Promise.all(rs), WARMUP_TASKS, `${p.name} warm-up (concurrent)`);
  for (let i = 0; i < 200; i++) {
    const r = await p.one(i);
    if (r !== i) throw new Error(`${p.name} warm-up (sequential): got ${String(r)} for ${i}`);
  }
  const items = Array.from({ length: 1000 }, (_, i) => i);
  checkSequence(await p.mapAll(items), 1000, `${p.name} warm-up (map)`);
  checkSequence(await p.mapChunked(items, 125), 1000, `${p.name} warm-up (chunked map)`);
  if (p.fib) {
    const f = await p.fib(20);
    if (f !== 6765) throw new Error(`${p.name} warm-up: fib(20) = ${String(f)}, expected 6765`);
  }
}

/** W6/W6c: `maps` ordered maps of W6_ITEMS items one after another; the median rate. */
async function timeMaps(p, mapFn, id, maps) {
  const items = Array.from({ length: W6_ITEMS }, (_, i) => i);
  const rates = [];
  for (let k = 0; k < maps; k++) {
    const t0 = performance.now();
    const results = await mapFn(items);
    const ms = performance.now() - t0;
    checkSequence(results, W6_ITEMS, `${p.name} ${id} (map ${k + 1})`);
    rates.push(W6_ITEMS / (ms / 1000));
  }
  if (opts.verbose) log(`    ${p.name} ${id} map times (ms): ${rates.map((r) => ((W6_ITEMS / r) * 1000).toFixed(2)).join(' ')}`);
  return { rate: median(rates) };
}

const workloads = [
  {
    id: 'W1',
    async run(p) {
      const t0 = performance.now();
      const rs = new Array(W1_TASKS);
      for (let i = 0; i < W1_TASKS; i++) rs[i] = p.one(i);
      const results = await Promise.all(rs);
      const ms = performance.now() - t0;
      checkSequence(results, W1_TASKS, `${p.name} W1`);
      return { rate: W1_TASKS / (ms / 1000) };
    },
    show: (r) => `${fmtRate(r.rate)} tasks/s`,
  },
  {
    id: 'W2',
    async run(p) {
      const lat = new Float64Array(W2_TRIPS);
      for (let i = 0; i < W2_TRIPS; i++) {
        const t0 = performance.now();
        const r = await p.one(i);
        lat[i] = (performance.now() - t0) * 1000;
        if (r !== i) throw new Error(`${p.name} W2: round trip ${i} returned ${String(r)}`);
      }
      lat.sort();
      return { p50: percentile(lat, 0.5), p99: percentile(lat, 0.99) };
    },
    show: (r) => `p50 ${fmtUs(r.p50)} µs, p99 ${fmtUs(r.p99)} µs`,
  },
  {
    id: 'W6c',
    // Runs before W6: right after piscina's W6 (50,000 runs, ~2.5 s) a pool's W6c maps came
    // out slower (position bias); after the light W2 they do not.
    // Python's default chunksize, ceil(n / (4 × workers)) = 1,250: multiproc passes it
    // explicitly (it is also its default), piscina gets one run per chunk.
    run: (p) => timeMaps(p, (items) => p.mapChunked(items, Math.ceil(W6_ITEMS / (4 * POOL_SIZE))), 'W6c', W6C_MAPS),
    show: (r) => `${fmtRate(r.rate)} items/s`,
  },
  {
    id: 'W6',
    run: (p) => timeMaps(p, (items) => p.mapAll(items), 'W6', W6_MAPS),
    show: (r) => `${fmtRate(r.rate)} items/s`,
  },
];

// ---------------------------------------------------------------- main

async function main() {
  const started = performance.now();
  log(`multiproc bench: node ${process.version}, ${availableParallelism()} cores, pool size ${POOL_SIZE}, ${opts.reps} rep(s)`);

  const pools = [];
  try {
    pools.push(makeMultiproc(), makePiscina());
    for (const p of pools) {
      await withTimeout(warmUp(p), opts.timeout, `${p.name} warm-up`);
      log(`  ${p.name}: warmed up`);
    }

    // results[workload][pool] = [per-rep result]
    const results = Object.fromEntries(workloads.map((w) => [w.id, Object.fromEntries(pools.map((p) => [p.name, []]))]));
    for (let rep = 0; rep < opts.reps; rep++) {
      const order = rep % 2 === 0 ? pools : [...pools].reverse();
      for (const w of workloads) {
        for (const p of order) {
          await settle();
          const r = await withTimeout(w.run(p), opts.timeout, `${p.name} ${w.id} (rep ${rep + 1})`);
          results[w.id][p.name].push(r);
          log(`  rep ${rep + 1} ${w.id} ${p.name.padEnd(9)} ${w.show(r)}`);
        }
      }
    }

    printTable(results, performance.now() - started);
  } finally {
    for (const p of pools) {
      try {
        await withTimeout(Promise.resolve(p.close()), 10, `${p.name} shutdown`);
      } catch (err) {
        log(`  ${p.name}: shutdown failed: ${err?.message ?? err}`);
        process.exitCode = 1;
      }
    }
  }
}

function printTable(results, elapsedMs) {
  const med = (w, pool, key) => median(results[w][pool].map((r) => r[key]));
  const w1 = [med('W1', 'multiproc', 'rate'), med('W1', 'piscina', 'rate')];
  const p50 = [med('W2', 'multiproc', 'p50'), med('W2', 'piscina', 'p50')];
  const p99 = [med('W2', 'multiproc', 'p99'), med('W2', 'piscina', 'p99')];
  const w6 = [med('W6', 'multiproc', 'rate'), med('W6', 'piscina', 'rate')];
  const w6c = [med('W6c', 'multiproc', 'rate'), med('W6c', 'piscina', 'rate')];

  const rows = [
    ['W1: 100,000 no-op tasks at once, tasks/s', fmtRate(w1[0]), fmtRate(w1[1]), fmtRatio(w1[0] / w1[1])],
    ['W2: 2,000 sequential round trips, p50 µs (lower is better)', fmtUs(p50[0]), fmtUs(p50[1]), `speedup ${fmtRatio(p50[1] / p50[0])}`],
    ['W2: same, p99 µs (lower is better)', fmtUs(p99[0]), fmtUs(p99[1]), `speedup ${fmtRatio(p99[1] / p99[0])}`],
    ['W6: ordered map of 10,000 items, natural way, items/s', fmtRate(w6[0]), fmtRate(w6[1]), fmtRatio(w6[0] / w6[1])],
    ['W6c: same map, both chunked by 1,250 items, items/s', fmtRate(w6c[0]), fmtRate(w6c[1]), fmtRatio(w6c[0] / w6c[1])],
  ];

  const out = [];
  out.push(`Node ${process.version}, ${availableParallelism()} cores, pool size ${POOL_SIZE}; median of ${opts.reps} repetition(s) (W6: of ${W6_MAPS} maps each, W6c: of ${W6C_MAPS}); run took ${(elapsedMs / 1000).toFixed(1)} s.`);
  out.push('multiproc: `apply` per task (W1, W2), `map` with its default chunksize (W6, W6c). piscina: `run` per task / item (W1, W2, W6), hand-chunked `run`s (W6c).');
  out.push('');
  out.push('| workload | multiproc | piscina | multiproc vs piscina |');
  out.push('|---|---:|---:|---:|');
  for (const r of rows) out.push(`| ${r.join(' | ')} |`);
  out.push('');
  out.push('Ratios above 1× favour multiproc (W1, W6, W6c: multiproc / piscina; W2: piscina / multiproc).');
  console.log(out.join('\n'));
}

main().then(
  () => process.exit(process.exitCode ?? 0),
  (err) => {
    console.error(`\nbench FAILED: ${err?.stack ?? err}`);
    process.exit(1);
  },
);
