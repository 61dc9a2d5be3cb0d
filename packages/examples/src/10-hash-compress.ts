/**
 * A real CPU workload on real files: every file of a directory tree is read,
 * hashed with SHA-256 and compressed with gzip and brotli (node:crypto and
 * node:zlib) by a pool of N workers, fed with `imapUnordered` (results in
 * the order they finish, a progress bar moving with each). The same work
 * runs three times, on the main thread, on one worker and on N, to print
 * the speedups; the three runs must agree on every digest and size.
 *
 * Prints the number of files, the bytes in and out, and one digest of the
 * whole tree: the SHA-256 of the `sha256sum`-style lines
 * (`<sha256>  <path>\n`, paths relative to the root with `/`, sorted) that
 * `--list` prints. Symbolic links are not followed (except the root).
 *
 * Usage: `node dist/10-hash-compress.js [dir] [--workers N] [--quality 0-11]
 * [--list]`. The default tree is TypeScript's `lib` folder, which every
 * checkout has once installed (133 files, 24 MB). `--quality` is brotli's
 * (default 9; 11, its maximum, is about 15 times slower).
 *
 * The file is its own task module: workers import it, and `isMainProcess()`
 * keeps the main program out of them.
 */
import { createHash } from 'node:crypto';
import { readdir, readFile, stat } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { cpuCount, isMainProcess, Pool } from '@multiproc/node';

/** What the task returns for one file. */
export interface FileReport {
  readonly path: string;
  readonly bytes: number;
  readonly sha256: string;
  readonly gzip: number;
  readonly brotli: number;
}

/** Brotli's quality in this worker (or the main thread), set once by the pool's `initializer`. */
let quality = 9;

/** The pool's initializer: runs once in each worker before its first task. */
export function setQuality(value: number): void {
  quality = value;
}

/** The task: reads one file, hashes it and compresses it twice; returns the sizes and the digest. */
export async function processFile(path: string): Promise<FileReport> {
  const data = await readFile(path);
  return {
    path,
    bytes: data.length,
    sha256: createHash('sha256').update(data).digest('hex'),
    gzip: gzipSync(data).length,
    brotli: brotliCompressSync(data, { params: { [constants.BROTLI_PARAM_QUALITY]: quality, [constants.BROTLI_PARAM_SIZE_HINT]: data.length } }).length,
  };
}

// --- the main program ---

const fmt = (n: number): string => n.toLocaleString('en-US');

/** Every regular file under `dir`, depth first; links are not followed. */
async function filesUnder(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await filesUnder(path)));
    else if (entry.isFile()) out.push(path);
  }
  return out;
}

/** A text progress bar: `[#####...............] 25%`. */
function bar(done: number, total: number, width = 30): string {
  const share = total === 0 ? 1 : done / total;
  const filled = Math.min(width, Math.round(share * width));
  return `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${Math.floor(share * 100)}%`;
}

/**
 * Progress after each file: on a terminal a bar of bytes done, redrawn in
 * place; piped (as in the tests), a plain line at each quarter of the files.
 */
function progress(files: number, bytes: number): (report: FileReport) => void {
  let doneFiles = 0;
  let doneBytes = 0;
  const step = Math.max(1, Math.ceil(files / 4));
  return (report) => {
    doneFiles++;
    doneBytes += report.bytes;
    if (process.stdout.isTTY) {
      process.stdout.write(`\r  ${bar(doneBytes, bytes)} ${doneFiles}/${files} files${doneFiles === files ? '\n' : ''}`);
    } else if (doneFiles % step === 0 || doneFiles === files) {
      console.log(`  processed ${doneFiles}/${files} files`);
    }
  };
}

/** One run: the reports by path, and the seconds it took. */
interface Run {
  readonly reports: Map<string, FileReport>;
  readonly seconds: number;
}

/** Processes every file on the main thread, one after another: what the pools are measured against. */
async function onMainThread(paths: readonly string[], shown: (r: FileReport) => void): Promise<Run> {
  const t0 = performance.now();
  const reports = new Map<string, FileReport>();
  for (const path of paths) {
    const r = await processFile(path);
    reports.set(path, r);
    shown(r);
  }
  return { reports, seconds: (performance.now() - t0) / 1000 };
}

/** Processes every file on a pool of `workers`, taking the results as they finish. */
async function onPool(workers: number, paths: readonly string[], brotliQuality: number, shown: (r: FileReport) => void): Promise<Run> {
  await using pool = new Pool<typeof import('./10-hash-compress.js')>(import.meta.url, {
    processes: workers,
    initializer: 'setQuality',
    initargs: [brotliQuality],
  });
  // Every worker has started (and run its initializer) before the clock does.
  await pool.ready();
  const t0 = performance.now();
  const reports = new Map<string, FileReport>();
  for await (const r of pool.imapUnordered('processFile', paths)) {
    reports.set(r.path, r);
    shown(r);
  }
  return { reports, seconds: (performance.now() - t0) / 1000 };
}

if (isMainProcess()) {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      workers: { type: 'string' },
      quality: { type: 'string', default: '9' },
      list: { type: 'boolean', default: false },
    },
  });
  const root = positionals[0] ?? fileURLToPath(new URL('../node_modules/typescript/lib', import.meta.url));
  const workers = Number(values.workers ?? cpuCount());
  const brotliQuality = Number(values.quality);
  if (!(Number.isInteger(brotliQuality) && brotliQuality >= 0 && brotliQuality <= 11)) throw new RangeError(`--quality must be 0 to 11, got ${values.quality}`);
  setQuality(brotliQuality); // for the main-thread run

  const paths = await filesUnder(root);
  const rel = (path: string): string => relative(root, path).split(sep).join('/');
  paths.sort((a, b) => (rel(a) < rel(b) ? -1 : rel(a) > rel(b) ? 1 : 0));
  const sizes = new Map(await Promise.all(paths.map(async (p) => [p, (await stat(p)).size] as const)));
  const total = [...sizes.values()].reduce((a, b) => a + b, 0);
  // The pools take the largest files first, so that no big file starts last and runs alone.
  const largestFirst = [...paths].sort((a, b) => (sizes.get(b) ?? 0) - (sizes.get(a) ?? 0));
  console.log(`${fmt(paths.length)} files, ${fmt(total)} bytes under ${root}; gzip and brotli (quality ${brotliQuality})`);

  const runs: [string, Run][] = [];
  console.log('main thread:');
  runs.push(['main thread', await onMainThread(paths, progress(paths.length, total))]);
  for (const n of [1, workers]) {
    const label = `${n} worker${n === 1 ? '' : 's'}`;
    console.log(`${label}:`);
    runs.push([label, await onPool(n, largestFirst, brotliQuality, progress(paths.length, total))]);
  }
  for (const [label, run] of runs) console.log(`${label}: ${run.seconds.toFixed(2)} s (${(total / run.seconds / 1e6).toFixed(1)} MB/s)`);

  // Every run must have seen every file, with the same digest and sizes.
  const [first] = runs;
  if (first === undefined) throw new Error('no run');
  for (const [label, run] of runs) {
    for (const p of paths) {
      const a = first[1].reports.get(p);
      const b = run.reports.get(p);
      if (a === undefined || b === undefined || a.sha256 !== b.sha256 || a.bytes !== b.bytes || a.gzip !== b.gzip || a.brotli !== b.brotli) {
        throw new Error(`${label} disagrees with the main thread on ${rel(p)}`);
      }
    }
  }
  const reports = paths.map((p) => first[1].reports.get(p) as FileReport);
  const lines = reports.map((r) => `${r.sha256}  ${rel(r.path)}\n`);
  if (values.list) for (const line of lines) process.stdout.write(line);
  const sum = (key: 'bytes' | 'gzip' | 'brotli'): number => reports.reduce((a, r) => a + r[key], 0);
  const pct = (n: number): string => (sum('bytes') === 0 ? '-' : `${((n / sum('bytes')) * 100).toFixed(1)}%`);
  console.log(`files: ${fmt(reports.length)}; the ${runs.length} runs agree on every digest and size`);
  console.log(`bytes in: ${fmt(sum('bytes'))}; gzip out: ${fmt(sum('gzip'))} (${pct(sum('gzip'))}); brotli out: ${fmt(sum('brotli'))} (${pct(sum('brotli'))})`);
  console.log(`tree digest (SHA-256 of the sorted sha256sum lines): ${createHash('sha256').update(lines.join('')).digest('hex')}`);
  const seconds = runs.map(([, r]) => r.seconds);
  const [main = 0, one = 0, many = 1] = seconds;
  console.log(`speedup of ${runs[2]?.[0]}: ${(one / many).toFixed(1)}x over one worker, ${(main / many).toFixed(1)}x over the main thread`);
}
