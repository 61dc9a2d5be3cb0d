// multiproc's benchmark: every Node workload of the project's BENCH.md (W1–W6), for multiproc on
// threads and on child processes and for every pool a user would pick instead (lib/adapters),
// then the raw limits L1–L6 (lib/limits) and the primitives against raw Atomics and MessagePort
// (lib/primitives). Pools run interleaved, order reversed every other repetition; every result is
// checked and a wrong one fails the run (exit 1). Tables go to stdout, progress to stderr, the
// figures to results/latest.json (--quick: results/quick.json), and a full run regenerates
// docs/benchmarks.md through report.mjs.
//
//   node run.js [--quick] [--reps N] [--only W1,W2,limits,primitives] [--pools id,...] [--help]
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { ADAPTERS } from './lib/adapters/index.mjs';
import { parseArgs, USAGE } from './lib/args.mjs';
import { LIMITS, runLimits } from './lib/limits/index.mjs';
import { machineInfo, versions } from './lib/machine.mjs';
import { PRIMITIVES, runPrimitives } from './lib/primitives/index.mjs';
import { buildResults } from './lib/results.mjs';
import { runWorkloads } from './lib/runner.mjs';
import { sizesFor } from './lib/sizes.mjs';
import { markdownTables } from './lib/tables.mjs';
import { calibrateFib } from './lib/workloads/cpu.mjs';
import { WORKLOADS } from './lib/workloads/index.mjs';
import { writeReport } from './report.mjs';

const POOL_SIZE = 2;
const here = dirname(fileURLToPath(import.meta.url));
const log = (s) => process.stderr.write(`${s}\n`);
// Child-process pools (jest-worker, worker-farm, tinypool) each add listeners to this process's
// stdout/stderr; 15 pools pass Node's default warning threshold without leaking anything.
process.stdout.setMaxListeners?.(100);
process.stderr.setMaxListeners?.(100);

function gitCommit() {
  try {
    return execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: here, encoding: 'utf8' }).trim();
  } catch {
    return null;
  }
}

async function main(opts) {
  const started = performance.now();
  const sizes = sizesFor(opts.quick);
  const wanted = (section) => opts.only === null || opts.only.includes(section);
  const workloads = WORKLOADS.filter((w) => wanted(w.id));
  const adapters = ADAPTERS.filter((a) => opts.pools === null || a.id.startsWith('multiproc') || opts.pools.includes(a.id));
  const machine = machineInfo();
  log(`multiproc bench${opts.quick ? ' --quick' : ''}: ${machine.cpu}, ${machine.cores} cores, node ${machine.node}, pool size ${POOL_SIZE}, ${opts.reps} rep(s), load ${machine.loadavg.join(' ')}`);

  const fibTask = calibrateFib(sizes.w3TargetMs);
  log(`W3 task: fib(${fibTask.n})`);
  const notes = [];
  const workloadRuns = workloads.length > 0 ? await runWorkloads({ adapters, workloads, reps: opts.reps, sizes, poolSize: POOL_SIZE, fibTask, timeout: opts.timeout, notes }) : null;
  log('raw limits:');
  const limitRuns = wanted('limits') ? await runLimits({ reps: opts.reps, sizes, timeout: opts.timeout, log }) : null;
  log('primitives:');
  const primitiveRuns = wanted('primitives') ? await runPrimitives({ reps: opts.reps, sizes, timeout: opts.timeout, log }) : null;

  const elapsedS = (performance.now() - started) / 1000;
  const meta = {
    generated: new Date().toISOString(),
    quick: opts.quick,
    reps: opts.reps,
    poolSize: POOL_SIZE,
    elapsedS: Number(elapsedS.toFixed(1)),
    fibTask,
    sizes,
    machine: { ...machine, loadavgAtEnd: machineInfo().loadavg },
    versions: { node: process.version, ...versions(ADAPTERS) },
    commit: gitCommit(),
    notes,
  };
  const json = buildResults({ meta, adapters, workloads, workloadRuns, limits: LIMITS, limitRuns, primitives: PRIMITIVES, primitiveRuns });
  const out = resolve(here, opts.out ?? (opts.quick ? 'results/quick.json' : 'results/latest.json'));
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, `${JSON.stringify(json, null, 1)}\n`);

  console.log(`multiproc bench: ${machine.cpu}, ${machine.cores} cores, ${machine.os}, node ${machine.node}; pool size ${POOL_SIZE}; median of ${opts.reps} repetition(s); ${elapsedS.toFixed(1)} s`);
  console.log('');
  console.log(markdownTables(json));
  log(`results: ${out}`);
  if (!opts.quick && opts.report && opts.out === null && opts.only === null && opts.pools === null) log(`docs: ${writeReport(json)}`);
}

let opts;
try {
  opts = parseArgs(process.argv.slice(2));
} catch (err) {
  console.error(`run.js: ${err.message}\n${USAGE}`);
  process.exit(2);
}
if (opts.help) {
  console.log(USAGE);
  process.exit(0);
}
main(opts).then(
  () => process.exit(process.exitCode ?? 0),
  (err) => {
    console.error(`\nbench FAILED: ${err?.stack ?? err}`);
    process.exit(1);
  },
);
