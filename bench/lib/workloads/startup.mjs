// W5: a fresh pool from construction to its first results with every worker busy, its
// destroy time, resident memory per worker, and the library's import time in a fresh Node.
import { execFileSync } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { checkSequence } from '../check.mjs';
import { treeRssMiB } from '../rss.mjs';

const benchDir = new URL('../../', import.meta.url).pathname;

const DESTROY_LIMIT_MS = 5000;

/** Whether `promise` settles within `ms` (its rejection is rethrown). */
async function settlesWithin(promise, ms) {
  let timer;
  const late = new Promise((r) => {
    timer = setTimeout(() => r(false), ms);
  });
  try {
    return await Promise.race([promise.then(() => true), late]);
  } finally {
    clearTimeout(timer);
  }
}

/** ms to import `pkg` in a fresh Node process (from bench/, so it resolves as here). */
export function importMs(pkg) {
  const code = `const t = performance.now(); await import(${JSON.stringify(pkg)}); console.log(performance.now() - t);`;
  const out = execFileSync(process.execPath, ['--input-type=module', '-e', code], { cwd: benchDir, encoding: 'utf8' });
  const ms = Number(out.trim().split('\n').pop());
  if (!Number.isFinite(ms)) throw new Error(`import time of ${pkg}: unexpected output ${out}`);
  return ms;
}

/** W5: createMs (construct → pool-size results), destroyMs, rssPerWorker MiB, importMs. */
export const w5 = {
  id: 'W5',
  title: 'start-up: create → first result with every worker busy; destroy; RSS per worker; import time',
  figures: [
    { key: 'createMs', label: 'W5 create → first results ms', unit: 'ms', better: 'lower' },
    { key: 'destroyMs', label: 'W5 destroy ms', unit: 'ms', better: 'lower' },
    { key: 'rssPerWorker', label: 'W5 RSS per worker MiB', unit: 'MiB', better: 'lower' },
    { key: 'importMs', label: 'W5 import ms', unit: 'ms', better: 'lower' },
  ],
  async run({ adapter, poolSize, sizes }) {
    const rss0 = treeRssMiB();
    let t0 = performance.now();
    const pool = adapter.create(poolSize);
    let results;
    try {
      results = await Promise.all(Array.from({ length: poolSize }, (_, i) => pool.one(i)));
    } catch (err) {
      await pool.destroy();
      throw err;
    }
    const createMs = performance.now() - t0;
    const rss1 = treeRssMiB();
    checkSequence(results, poolSize, `${adapter.id} W5 first results`);
    t0 = performance.now();
    const settled = await settlesWithin(pool.destroy(), DESTROY_LIMIT_MS);
    const destroyMs = settled ? performance.now() - t0 : null;
    // poolifier's destroy() sometimes never settles (5 of 15 fresh pools here; ANCHORS.md §8):
    // for an anchor that is a note, not a failure; multiproc's must settle.
    const note = settled ? undefined : `${adapter.id} W5: destroy() did not settle within ${DESTROY_LIMIT_MS / 1000} s`;
    if (!settled && adapter.id.startsWith('multiproc')) throw new Error(note);
    const rssPerWorker = rss0 === null ? null : (rss1 - rss0) / poolSize;
    return { createMs, destroyMs, rssPerWorker, importMs: adapter.lib && (sizes.importAll || adapter.id.startsWith('multiproc')) ? importMs(adapter.lib) : null, note };
  },
};
