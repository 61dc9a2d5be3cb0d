// Soak: many tasks through one pool, then many pools created and terminated, with the
// process's heap, RSS, open file descriptors and threads measured before and after.
// A leak shows as figures that grow with the counts; every result is checked.
//
//   node bench/soak.mjs [--tasks 1000000] [--pools 10000] [--context thread|process] [--quick] [--json]
//
// --quick (20,000 tasks, 100 pools) proves the script runs; the full counts are the soak.
// Exits 1 if a result is wrong, a task is lost, or a resource did not come back after the pools.
import { readdirSync, readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { Pool } from '@multiproc/node';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc');

const argv = process.argv.slice(2);
const flag = (name, fallback) => {
  const i = argv.indexOf(name);
  return i < 0 ? fallback : argv[i + 1];
};
const quick = argv.includes('--quick');
const TASKS = Number(flag('--tasks', quick ? 20_000 : 1_000_000));
const POOLS = Number(flag('--pools', quick ? 100 : 10_000));
const context = flag('--context', 'thread');
if (!Number.isSafeInteger(TASKS) || TASKS < 0 || !Number.isSafeInteger(POOLS) || POOLS < 0) throw new RangeError('--tasks and --pools take whole numbers');
if (context !== 'thread' && context !== 'process') throw new RangeError("--context is 'thread' or 'process'");
const tasks = new URL('./fixtures/tasks.js', import.meta.url);

function threads() {
  const m = /^Threads:\s+(\d+)/m.exec(readFileSync('/proc/self/status', 'utf8'));
  return m ? Number(m[1]) : NaN;
}
const fds = () => readdirSync('/proc/self/fd').length;

/** Figures once the process has settled: threads and fds stop changing, heap after a full gc. */
async function settled() {
  let last = '';
  for (let i = 0; i < 100; i++) {
    gc();
    await new Promise((r) => setTimeout(r, 100));
    const now = `${threads()}/${fds()}`;
    if (now === last) break;
    last = now;
  }
  gc();
  const m = process.memoryUsage();
  return { heapMB: m.heapUsed / 2 ** 20, rssMB: m.rss / 2 ** 20, fds: fds(), threads: threads() };
}

const fmt = (f) => `heap ${f.heapMB.toFixed(1)} MB, rss ${f.rssMB.toFixed(1)} MB, fds ${f.fds}, threads ${f.threads}`;
const failures = [];

// Warm the module cache and the first pool's code paths, so "before" is not the cold start.
{
  const warm = new Pool(tasks, { processes: 2, context });
  await warm.apply('noop', [0]);
  await warm.terminate();
}
const before = await settled();

// Phase 1: one pool, many tasks, sent in windows so memory holds the window, not every promise.
const t0 = performance.now();
let checked = 0;
{
  const pool = new Pool(tasks, { processes: 2, context });
  const WINDOW = 10_000;
  for (let base = 0; base < TASKS; base += WINDOW) {
    const n = Math.min(WINDOW, TASKS - base);
    const all = new Array(n);
    for (let i = 0; i < n; i++) all[i] = pool.apply('noop', [base + i]);
    const out = await Promise.all(all);
    for (let i = 0; i < n; i++) if (out[i] !== base + i) failures.push(`task ${base + i} returned ${out[i]}`);
    checked += n;
  }
  await pool.terminate();
}
const taskMs = performance.now() - t0;
const afterTasks = await settled();

// Phase 2: many pools, each created, given a task, and terminated; some terminated while starting.
const t1 = performance.now();
for (let i = 0; i < POOLS; i++) {
  const pool = new Pool(tasks, { processes: 1, context });
  if (i % 2 === 0) {
    const v = await pool.apply('noop', [i]);
    if (v !== i) failures.push(`pool ${i} returned ${v}`);
  }
  await pool.terminate();
}
const poolMs = performance.now() - t1;
const afterPools = await settled();

const report = {
  context,
  node: process.version,
  tasks: TASKS,
  pools: POOLS,
  tasksPerSecond: Math.round(checked / (taskMs / 1000)),
  poolsPerSecond: Math.round(POOLS / (poolMs / 1000)),
  before,
  afterTasks,
  afterPools,
  failures: failures.slice(0, 10),
};
if (argv.includes('--json')) console.log(JSON.stringify(report));
else {
  console.log(`soak (${context}, node ${process.version})`);
  console.log(`  before:                 ${fmt(before)}`);
  console.log(`  after ${TASKS} tasks: ${fmt(afterTasks)}  (${report.tasksPerSecond} tasks/s)`);
  console.log(`  after ${POOLS} pools:  ${fmt(afterPools)}  (${report.poolsPerSecond} pools/s)`);
}
// Resources that must come back: every worker thread and every descriptor of the pools.
if (afterPools.threads > before.threads) failures.push(`threads grew from ${before.threads} to ${afterPools.threads}`);
if (afterPools.fds > before.fds) failures.push(`file descriptors grew from ${before.fds} to ${afterPools.fds}`);
if (failures.length > 0) {
  console.error(`soak FAILED:\n  ${failures.slice(0, 10).join('\n  ')}`);
  process.exit(1);
}
console.log('soak ok');
