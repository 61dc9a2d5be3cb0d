// Where a new worker's start-up goes (W5): one pool worker on a thread, profiled from its first
// line (node --cpu-prof in the worker) to its first result, loading the bench's task module (which
// imports @multiproc/node, for W4's transfer) or a module of plain functions that imports nothing.
//
//   node trace/worker-start.mjs [bench|plain]    (prints the summary of trace/profile-summary.mjs)
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';

const which = process.argv[2] ?? 'bench';
const dir = mkdtempSync(join(tmpdir(), 'worker-start-'));
const { Pool } = await import('@multiproc/node');
const module = new URL(which === 'plain' ? '../fixtures/common.cjs' : '../fixtures/multiproc-tasks.js', import.meta.url);
const t0 = performance.now();
const pool = new Pool(module, { processes: 1, execArgv: ['--cpu-prof', `--cpu-prof-dir=${dir}`, '--cpu-prof-interval', '50'] });
await pool.apply('noop', [1]);
console.log(`${which}: create -> first result ${(performance.now() - t0).toFixed(1)} ms (profiled, so slower than unprofiled)`);
pool.close();
await pool.join();
const file = join(dir, readdirSync(dir)[0]);
process.stdout.write(execFileSync(process.execPath, [new URL('./profile-summary.mjs', import.meta.url).pathname, file]));
rmSync(dir, { recursive: true, force: true });
