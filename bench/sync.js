// The primitives table on its own: multiproc's Lock, Queue, Event and Barrier against raw
// Atomics and MessagePort in the same run (the rows are in lib/primitives; run.js prints the
// same table after the workloads). Every run is checked; the order rotates between repetitions.
//
//   node sync.js [--reps N] [--quick]
import { sizesFor } from './lib/sizes.mjs';
import { markdownTables } from './lib/tables.mjs';
import { PRIMITIVES, runPrimitives } from './lib/primitives/index.mjs';
import { summarize } from './lib/stats.mjs';

const argv = process.argv.slice(2);
const quick = argv.includes('--quick');
const repsAt = argv.indexOf('--reps');
const reps = repsAt < 0 ? (quick ? 1 : 5) : Number(argv[repsAt + 1]);
if (!Number.isInteger(reps) || reps < 1 || argv.some((a, i) => a.startsWith('--') && a !== '--quick' && a !== '--reps' && i !== repsAt + 1)) {
  console.error('usage: node sync.js [--reps N] [--quick]');
  process.exit(2);
}
const log = (s) => process.stderr.write(`${s}\n`);
const runs = await runPrimitives({ reps, sizes: sizesFor(quick), timeout: 120, log });
const primitives = PRIMITIVES.map(({ run, ...p }) => ({ ...p, runs: runs[p.key], summary: summarize(runs[p.key]) }));
console.log(markdownTables({ workloads: [], limits: [], primitives }));
