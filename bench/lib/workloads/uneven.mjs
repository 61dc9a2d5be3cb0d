// W7, uneven real work: sha256 + gzip (level 6) of each file of a deterministic sample of the
// local pnpm store (the first N files by sorted path; the repository's own files when there is
// no store), one task per file. Files run from bytes to megabytes, so tasks differ a
// thousandfold in cost and few big chunks cannot rebalance when one worker falls behind.
// multiproc runs `map` and `imapUnordered` with their default chunksize, and `map` with
// Python's fixed ceil(n / (4 × workers)); the anchors one call per file (Promise.all). Every
// result is checked against a reference computed once on the main thread.
import { execFileSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { check } from '../check.mjs';
import uneven from '../../fixtures/uneven.cjs';
import { settle } from '../timing.mjs';
import { collect } from '../collect.mjs';

const repoRoot = new URL('../../../', import.meta.url).pathname;
const POOLS = new Set(['multiproc', 'piscina', 'tinypool', 'poolifier']);
const log = (s) => process.stderr.write(`${s}\n`);

function storeFiles() {
  try {
    const store = execFileSync('pnpm', ['store', 'path'], { cwd: repoRoot, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    const dir = join(store, 'files');
    return readdirSync(dir, { recursive: true }).map((p) => join(dir, p));
  } catch {
    return [];
  }
}

function repoFiles() {
  const out = execFileSync('git', ['ls-files', '-z'], { cwd: repoRoot, encoding: 'utf8', maxBuffer: 64 << 20 });
  return out
    .split('\0')
    .filter(Boolean)
    .map((p) => join(repoRoot, p));
}

const isFile = (p) => {
  try {
    return statSync(p).isFile();
  } catch {
    return false;
  }
};

let cached = null;

/** The sample ({ source, paths, ref }) for `n` files, built and digested once per process. */
export function unevenSample(n) {
  if (cached?.n === n) return cached;
  let source = 'pnpm store';
  let files = storeFiles().filter(isFile);
  if (files.length < Math.min(n, 300)) {
    source = 'repository files';
    files = repoFiles().filter(isFile);
  }
  const paths = files.sort().slice(0, n);
  const t0 = performance.now();
  const ref = paths.map(uneven.digestFile);
  const ms = performance.now() - t0;
  const bytes = ref.reduce((s, r) => s + r.size, 0);
  const sizes = ref.map((r) => r.size).sort((a, b) => a - b);
  log(`W7: ${paths.length} files of the ${source}, ${(bytes / 2 ** 20).toFixed(1)} MiB (${sizes[0]} B – ${(sizes.at(-1) / 2 ** 20).toFixed(2)} MiB), main thread alone ${(paths.length / (ms / 1000)).toFixed(0)} items/s`);
  cached = { n, source, paths, ref, bytes };
  return cached;
}

const same = (a, b) => a !== null && typeof a === 'object' && a.size === b.size && a.digest === b.digest && a.compressedSize === b.compressedSize;
const key = (r) => `${r?.size}:${r?.digest}:${r?.compressedSize}`;

function checkOrdered(results, ref, what) {
  check(Array.isArray(results) && results.length === ref.length, `${what}: expected ${ref.length} results, got ${results?.length}`);
  for (let i = 0; i < ref.length; i++) check(same(results[i], ref[i]), `${what}: result ${i} is ${JSON.stringify(results[i])}, expected ${JSON.stringify(ref[i])}`);
}

/** Unordered results: the same multiset as the reference (every result accounted for once). */
function checkUnordered(results, ref, what) {
  check(results.length === ref.length, `${what}: expected ${ref.length} results, got ${results.length}`);
  const left = new Map();
  for (const r of ref) left.set(key(r), (left.get(key(r)) ?? 0) + 1);
  for (const r of results) {
    const k = key(r);
    check((left.get(k) ?? 0) > 0, `${what}: unexpected result ${JSON.stringify(r)}`);
    left.set(k, left.get(k) - 1);
  }
}


/** items/s of one timed pass; `checkFn` verifies its results afterwards. */
async function timed(paths, ref, pass, checkFn, what) {
  await settle();
  const t0 = performance.now();
  const results = await pass();
  const ms = performance.now() - t0;
  checkFn(results, ref, what);
  return paths.length / (ms / 1000);
}

const warmed = new WeakSet();
let multiprocRuns = 0;

async function runMultiproc(pool, paths, ref, poolSize, id) {
  const py = Math.ceil(paths.length / (4 * poolSize));
  const variants = [
    ['map', () => pool.map('digestFile', paths), checkOrdered],
    ['unordered', () => collect(pool.imapUnordered('digestFile', paths)), checkUnordered],
    ['pyChunk', () => pool.map('digestFile', paths, { chunksize: py }), checkOrdered],
  ];
  // The variants' order rotates between repetitions (the first pass after other pools' runs is
  // the slowest), so with 3 repetitions each takes each place once.
  const shift = multiprocRuns++ % variants.length;
  variants.push(...variants.splice(0, shift));
  const r = {};
  for (const [k, pass, checkFn] of variants) r[k] = await timed(paths, ref, pass, checkFn, `${id} W7 ${k}`);
  return r;
}

/** W7: items/s; multiproc's three ways, each anchor's one way (one call per file) in every figure. */
export const w7 = {
  id: 'W7',
  title: 'uneven real work: sha256 + gzip of each file of a pnpm store sample (multiproc: map / imapUnordered default, map chunked like Python; anchors: one call per file)',
  figures: [
    { key: 'map', label: 'W7 `map` default chunksize items/s', unit: 'items/s', better: 'higher' },
    { key: 'unordered', label: 'W7 `imapUnordered` default chunksize items/s', unit: 'items/s', better: 'higher' },
    { key: 'pyChunk', label: "W7 `map` with Python's ceil(n / (4 × workers)) items/s", unit: 'items/s', better: 'higher' },
  ],
  applies: (adapter) => POOLS.has(adapter.id),
  async run({ adapter, pool, sizes, poolSize }) {
    const { paths, ref, source } = unevenSample(sizes.w7Files);
    if (!warmed.has(pool)) {
      warmed.add(pool);
      const few = paths.slice(0, 40);
      checkOrdered(await Promise.all(few.map((p) => pool.call('digestFile', p))), ref.slice(0, few.length), `${adapter.id} W7 warm-up`);
    }
    if (adapter.id === 'multiproc') return { ...(await runMultiproc(pool.pool, paths, ref, poolSize, adapter.id)), n: paths.length, source };
    const rate = await timed(paths, ref, () => Promise.all(paths.map((p) => pool.call('digestFile', p))), checkOrdered, `${adapter.id} W7`);
    return { map: rate, unordered: rate, pyChunk: rate, n: paths.length, source };
  },
};
