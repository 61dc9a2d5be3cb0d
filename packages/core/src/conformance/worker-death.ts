/**
 * Worker death never loses a task or hangs a caller (SEMANTICS L27
 * DO-BETTER, X08): only the running task fails, tasks sent ahead are re-run,
 * the worker is replaced, `retries` re-runs idempotent work.
 */
import { WorkerExitedError } from '../errors.js';
import { Value } from '../sync/value.js';
import { deepEqual, equal, ok, rejects } from './assert.js';
import type { ConformanceContext } from './context.js';
import { area } from './define.js';

const { cases, define } = area('Worker death');
export { cases as workerDeathCases };

define('a worker that exits mid-task rejects that task with WorkerExitedError (exitCode, taskName); the pool goes on', ['L27', 'X08'], async (ctx) => {
  const pool = ctx.pool({ processes: 1 });
  const before = pool.pids[0];
  const err = await rejects(pool.apply('exitWith', [3]), WorkerExitedError);
  equal(err.exitCode, 3);
  equal(err.taskName, 'exitWith');
  equal(err.attempts, 1);
  equal(err.code, 'MP_WORKER_EXITED');
  equal(await pool.apply('square', [5]), 25);
  ok(pool.pids[0] !== before, 'the worker was replaced');
});

define('tasks queued behind a dying task all succeed, each with its own result', ['L27', 'DESIGN:dispatch'], async (ctx) => {
  const pool = ctx.pool({ processes: 2 });
  const all: Promise<unknown>[] = [];
  for (let i = 0; i < 300; i++) all.push(i === 150 ? pool.apply('exitWith', [9]) : pool.apply('square', [i]));
  const settled = await Promise.allSettled(all);
  for (let i = 0; i < 300; i++) {
    const s = settled[i];
    if (i === 150) {
      ok(s.status === 'rejected' && s.reason instanceof WorkerExitedError, 'the dying task rejects');
    } else {
      ok(s.status === 'fulfilled', `task ${i} fulfilled`);
      equal((s as PromiseFulfilledResult<unknown>).value, i * i);
    }
  }
});

define('a chunk whose worker dies fails map with WorkerExitedError; the rest of the pool is fine', ['L27', 'L14'], async (ctx) => {
  const pool = ctx.pool({ processes: 2 });
  const err = await rejects(pool.starmap('exitWith', [[0], [4]], { chunksize: 1 }), WorkerExitedError);
  ok(err.exitCode === 0 || err.exitCode === 4);
  deepEqual(await pool.map('square', [1, 2, 3]), [1, 4, 9]);
});

define('retries re-runs a task whose worker died; the earlier failure is kept as the cause', ['DESIGN:retries'], async (ctx) => {
  const pool = ctx.pool({ processes: 1 });
  const sab = new SharedArrayBuffer(4);
  equal(await pool.apply('dieOnce', [sab, 5], { retries: 1 }), 'survived');
  // A task that always kills its worker: three attempts, then the error with the history.
  const err = await rejects(pool.apply('exitWith', [6], { retries: 2 }), WorkerExitedError);
  equal(err.attempts, 3);
  ok(err.cause instanceof WorkerExitedError, 'the previous attempt is the cause');
  ok((err.cause as WorkerExitedError).cause instanceof WorkerExitedError, 'and the one before it');
}, { requires: ['sharedMemory'] });

define('many crashes in a row never hang: every task settles and the pool still works', ['L27'], async (ctx) => {
  const pool = ctx.pool({ processes: 2 });
  const crashes = [];
  for (let i = 0; i < 8; i++) crashes.push(pool.apply('exitWith', [1]).catch((e: unknown) => e));
  for (const e of await Promise.all(crashes)) ok(e instanceof WorkerExitedError);
  equal(await pool.apply('square', [8]), 64);
});

/** A warm one-worker pool; then two quick tasks, one that exits, and ten more, sent in one batch. */
async function exitBehindQuickTasks(ctx: ConformanceContext, retries: number) {
  const pool = ctx.pool({ processes: 1 });
  await Promise.all(Array.from({ length: 2000 }, (_, i) => pool.apply('square', [i])));
  const runs = new Value('int32', 0);
  const before = [pool.apply('square', [3]), pool.apply('square', [4])];
  const crash = pool.apply('countThenExit', [runs, 5], { retries });
  const after = Array.from({ length: 10 }, (_, i) => pool.apply('square', [i]));
  deepEqual(await Promise.all(before), [9, 16], 'tasks that finished before the death resolve with their values');
  const err = await rejects(crash, WorkerExitedError);
  equal(err.taskName, 'countThenExit', 'only the task that exited is blamed');
  equal(err.exitCode, 5);
  deepEqual(await Promise.all(after), Array.from({ length: 10 }, (_, i) => i * i));
  return { runs: runs.value, err };
}

define('a warm pool: the task that exits behind finished quick tasks alone fails, and runs once (issue #9 defect 4)', ['L27', 'X08', 'DESIGN:retries'], async (ctx) => {
  const { runs, err } = await exitBehindQuickTasks(ctx, 0);
  equal(err.attempts, 1);
  equal(runs, 1, 'it ran exactly once without retries');
}, { requires: ['sharedMemory'] });

define('a warm pool: with retries: 1 the task that exits runs exactly twice', ['L27', 'DESIGN:retries'], async (ctx) => {
  const { runs, err } = await exitBehindQuickTasks(ctx, 1);
  equal(err.attempts, 2);
  equal(runs, 2);
}, { requires: ['sharedMemory'] });
