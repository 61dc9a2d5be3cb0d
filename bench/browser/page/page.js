// The browser bench's page: creates every pool (2 workers each) and warms it up, then in each
// repetition runs each workload for each pool back to back, the pools' order reversed every
// other repetition. Every result is checked; a failed run is recorded and the others go on.
// The counts come from the URL's query (?sizes=JSON&reps=N); the outcome goes to
// `window.__result` ({ runs, failures, crossOriginIsolated, userAgent }) or `window.__error`,
// and progress lines to `window.__lines`, which bench/browser/run.mjs reads.
import { POOLS } from './pools.js';
import { WORKLOADS } from './workloads.js';

const query = new URLSearchParams(location.search);
const sizes = JSON.parse(query.get('sizes') ?? '{}');
const reps = Number(query.get('reps') ?? 1);
const POOL_SIZE = 2;
window.__lines = [];
const log = (line) => {
  window.__lines.push(line);
  document.getElementById('log').textContent += `${line}\n`;
};
// Firefox's stack carries no message: name, message and multiproc's code.
const describe = (err) => (err instanceof Error ? `${err.name}: ${err.message}${err.code ? ` [${err.code}]` : ''}` : String(err));
const pause = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function warm(pool, id) {
  const xs = await Promise.all(Array.from({ length: sizes.warmTasks }, (_, i) => pool.one(i)));
  if (xs.some((x, i) => x !== i)) throw new Error(`${id}: a warm-up task returned a wrong result`);
  for (const move of [false, true]) await pool.echo(new ArrayBuffer(1024), move);
  for (let i = 0; i < 50; i++) await pool.one(i);
}

async function main() {
  if (!crossOriginIsolated) log('warning: the page is not cross-origin isolated');
  const pools = [];
  for (const p of POOLS) {
    const pool = p.create(POOL_SIZE);
    await warm(pool, p.id);
    pools.push({ ...p, pool });
  }
  // runs[workloadId][poolId] = one figures object per repetition
  const failures = [];
  const runs = Object.fromEntries(WORKLOADS.map((w) => [w.id, Object.fromEntries(POOLS.map((p) => [p.id, []]))]));
  for (let rep = 0; rep < reps; rep++) {
    const order = rep % 2 === 0 ? pools : [...pools].reverse();
    for (const w of WORKLOADS) {
      for (const p of order) {
        await pause(50);
        try {
          const figures = await w.run(p.pool, p.id, sizes);
          runs[w.id][p.id].push(figures);
          log(`rep ${rep + 1}/${reps} ${w.id} ${p.id}: ${Object.entries(figures).map(([k, v]) => `${k} ${v.toFixed(1)}`).join(', ')}`);
        } catch (err) {
          // A wrong result or a failed task fails the run (run.mjs exits 1), but the other
          // pools' and workloads' figures are still measured and shown.
          failures.push({ workload: w.id, pool: p.id, rep: rep + 1, error: describe(err) });
          log(`FAILED rep ${rep + 1}/${reps} ${w.id} ${p.id}: ${describe(err)}`);
        }
      }
    }
  }
  for (const p of pools) await p.pool.destroy();
  return { runs, failures, crossOriginIsolated, userAgent: navigator.userAgent };
}

main().then(
  (result) => {
    window.__result = result;
  },
  (err) => {
    window.__error = `${describe(err)}\n${err?.stack ?? ''}`;
    log(`FAILED: ${window.__error}`);
  },
);
