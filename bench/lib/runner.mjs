// Runs the workloads for every pool interleaved: in each repetition each workload runs for
// each pool back to back, the pools' order reversed every other repetition; a full GC before
// each measured run; a timeout on each. Any error (a wrong result, a hang) ends the run.
import { check, checkSequence } from './check.mjs';
import { settle, withTimeout } from './timing.mjs';

const log = (s) => process.stderr.write(`${s}\n`);

async function warmUp(adapter, pool, fibTask, n) {
  checkSequence(await Promise.all(Array.from({ length: n }, (_, i) => pool.one(i))), n, `${adapter.id} warm-up`);
  for (let i = 0; i < n / 5; i++) check((await pool.one(i)) === i, `${adapter.id} warm-up (sequential)`);
  const xs = Array.from({ length: n }, (_, i) => i);
  checkSequence(await pool.mapAll(xs), xs.length, `${adapter.id} warm-up (map)`);
  checkSequence(await pool.mapChunked(xs, 50), xs.length, `${adapter.id} warm-up (chunked map)`);
  check((await pool.fib(fibTask.n - 5)) > 0, `${adapter.id} warm-up (fib)`);
}

const short = (r) =>
  Object.entries(r)
    .filter(([k, v]) => k !== 'n' && typeof v === 'number')
    .map(([k, v]) => `${k} ${v >= 100 ? v.toFixed(0) : v.toFixed(2)}`)
    .join(', ');

/**
 * Measures `workloads` × `adapters` for `reps` repetitions.
 * Shutdown problems of anchors (a run's `note`, a destroy at the end) are pushed onto `notes`.
 * @returns results[workloadId][adapterId] = [figures of each repetition]
 */
export async function runWorkloads({ adapters, workloads, reps, sizes, poolSize, fibTask, timeout, notes }) {
  const pools = new Map();
  const results = Object.fromEntries(workloads.map((w) => [w.id, Object.fromEntries(adapters.map((a) => [a.id, []]))]));
  try {
    for (const a of adapters) {
      const pool = a.create(poolSize);
      pools.set(a.id, pool);
      await withTimeout(warmUp(a, pool, fibTask, sizes.warmTasks), timeout, `${a.id} warm-up`);
      log(`  ${a.id}: warmed up`);
    }
    for (let rep = 0; rep < reps; rep++) {
      const order = rep % 2 === 0 ? adapters : [...adapters].reverse();
      for (const w of workloads) {
        for (const adapter of order) {
          if (w.applies && !w.applies(adapter)) continue;
          await settle();
          const ctx = { adapter, pool: pools.get(adapter.id), sizes, poolSize, fibTask };
          const r = await withTimeout(w.run(ctx), timeout, `${adapter.id} ${w.id} (rep ${rep + 1})`);
          if (r.note) notes.push(`${r.note} (rep ${rep + 1})`);
          results[w.id][adapter.id].push(r);
          log(`  rep ${rep + 1} ${w.id} ${adapter.id.padEnd(20)} ${short(r)}`);
        }
      }
    }
  } finally {
    // Anchors first: a multiproc shutdown failure fails the run; an anchor's is recorded
    // (poolifier's destroy() sometimes never settles, ANCHORS.md §8) and the run goes on.
    const ids = [...pools.keys()].sort((a, b) => Number(a.startsWith('multiproc')) - Number(b.startsWith('multiproc')));
    for (const id of ids) {
      const mine = id.startsWith('multiproc');
      try {
        await withTimeout(Promise.resolve(pools.get(id).destroy()), mine ? 15 : 5, `${id} shutdown`);
      } catch (err) {
        log(`  ${id}: shutdown failed: ${err?.message ?? err}${mine ? '' : ' (an anchor: noted, the run goes on)'}`);
        notes.push(`${id}: shutdown failed: ${err?.message ?? err}`);
        if (mine) process.exitCode = 1;
      }
    }
  }
  return results;
}
