// The browser bench's tables: the page's per-repetition figures summarized (median, min – max)
// in the shape the Node bench's lib/tables.mjs prints, so the tables read the same.
import { summarize } from '../lib/stats.mjs';
import { markdownTables } from '../lib/tables.mjs';

/** The pools and workloads as the tables know them (ids match page/pools.js, page/workloads.js). */
export const POOLS = [
  { id: 'multiproc', label: 'multiproc', mode: 'thread', scale: 1 },
  { id: 'comlink', label: 'comlink, one call per task', mode: 'thread', scale: 1 },
  { id: 'workerpool', label: 'workerpool, web workers', mode: 'thread', scale: 1 },
];
const WORKLOADS = [
  { id: 'W1', title: 'no-op tasks submitted at once, until all results are in', figures: [{ key: 'rate', label: 'W1 tasks/s', unit: 'tasks/s', better: 'higher' }] },
  {
    id: 'W2',
    title: 'sequential no-op round trips',
    figures: [
      { key: 'p50', label: 'W2 p50 µs', unit: 'µs', better: 'lower' },
      { key: 'p99', label: 'W2 p99 µs', unit: 'µs', better: 'lower' },
    ],
  },
  {
    id: 'W4',
    title: '1 MiB ArrayBuffer sent to a task and back, all tasks at once',
    figures: [
      { key: 'copy', label: 'W4 copy MiB/s', unit: 'MiB/s', better: 'higher' },
      { key: 'transfer', label: 'W4 transfer MiB/s', unit: 'MiB/s', better: 'higher' },
    ],
  },
];

/** runs[workload][pool] = [figures per repetition] → the workloads with each pool's summaries. */
export function summarizeRuns(runs) {
  return WORKLOADS.map((w) => {
    const results = {};
    for (const p of POOLS) {
      const reps = runs[w.id]?.[p.id] ?? [];
      if (reps.length === 0) continue;
      results[p.id] = { summary: Object.fromEntries(w.figures.map((f) => [f.key, summarize(reps.map((r) => r[f.key]))])) };
    }
    return { ...w, results };
  });
}

/** The markdown tables of one browser's summarized workloads. */
export function browserTables(workloads) {
  return markdownTables({ pools: POOLS, workloads, limits: [], primitives: [] });
}
