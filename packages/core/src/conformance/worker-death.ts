/**
 * Worker death never loses a task or hangs a caller (SEMANTICS L27
 * DO-BETTER, X08): only the running task fails, tasks sent ahead are re-run,
 * the worker is replaced, `retries` re-runs idempotent work.
 */
import { BrokenPoolError, PoolClosedError, WorkerExitedError } from '../errors.js';
import { Pool } from '../pool/pool.js';
import { Value } from '../sync/value.js';
import { deepEqual, equal, ok, rejects, within } from './assert.js';
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
}, { requires: ['stableWorkers'] });

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

// --- A crash at every point of a task's life (issue #9 "then go further") ---

define('an initializer that exits breaks the pool: every task settles with BrokenPoolError; terminate() and join() resolve', ['L04', 'L27'], async (ctx) => {
  const pool = ctx.pool({ processes: 2, initializer: 'initExit', initargs: [4] });
  const all = Array.from({ length: 5 }, (_, i) => pool.apply('square', [i]));
  for (const p of all) {
    const err = await within(rejects(p, BrokenPoolError), 'a task of a pool whose initializer exits');
    ok(err.cause instanceof Error, 'the cause says what happened');
  }
  await within(rejects(pool.apply('square', [1]), BrokenPoolError), 'a later task');
  await within(pool.terminate(), 'terminate()');
  await within(pool.join(), 'join()');
});

// Without isolated globals (one realm for every worker) a module loads once and exit() knows its worker only
// synchronously inside a task, so crashes after an await or while loading need isolatedGlobals.
define('a task module that exits while it loads breaks the pool: every task settles with BrokenPoolError', ['L04', 'L27'], async (ctx) => {
  const pool = new Pool(new URL('./exit-on-load.js', ctx.tasksUrl), { adapter: ctx.adapter, processes: 2 });
  try {
    const all = Array.from({ length: 4 }, (_, i) => pool.apply('square' as never, [i] as never));
    for (const p of all) await within(rejects(p, BrokenPoolError), 'a task of a module that exits on load');
  } finally {
    await within(pool.terminate(), 'terminate()');
  }
}, { requires: ['isolatedGlobals'] });

define('an uncaught error thrown from a timer in the first task of a fresh worker fails that task alone, once', ['L27', 'X08'], async (ctx) => {
  const pool = ctx.pool({ processes: 1 });
  // Counted where a Value can cross (shared memory); elsewhere attempts says it ran once.
  const runs = ctx.capabilities.sharedMemory ? new Value('int32', 0) : undefined;
  const err = await within(rejects(pool.apply('countThenThrowLater', [runs]), WorkerExitedError), 'the crashing task');
  equal(err.taskName, 'countThenThrowLater');
  equal(err.attempts, 1);
  if (runs !== undefined) equal(runs.value, 1, 'it ran once');
  equal(await within(pool.apply('square', [6]), 'the next task'), 36, 'the pool goes on');
}, { requires: ['isolatedGlobals'] });

/** A warm one-worker pool; then two quick tasks, the crashing `task`, and ten more, sent in one batch. */
async function crashBehindQuickTasks(ctx: ConformanceContext, task: 'countThenThrowLater' | 'countAwaitThenExit') {
  const pool = ctx.pool({ processes: 1 });
  await within(Promise.all(Array.from({ length: 2000 }, (_, i) => pool.apply('square', [i]))), 'warming up');
  const runs = new Value('int32', 0);
  const before = [pool.apply('square', [3]), pool.apply('square', [4])];
  const crash = task === 'countThenThrowLater' ? pool.apply(task, [runs]) : pool.apply(task, [runs, 5]);
  const after = Array.from({ length: 10 }, (_, i) => pool.apply('square', [i]));
  deepEqual(await within(Promise.all(before), 'the tasks before'), [9, 16], 'tasks that finished before the death resolve with their values');
  const err = await within(rejects(crash, WorkerExitedError), 'the crashing task');
  equal(err.taskName, task, 'only the task that crashed is blamed');
  equal(err.attempts, 1);
  deepEqual(await within(Promise.all(after), 'the tasks behind'), Array.from({ length: 10 }, (_, i) => i * i));
  equal(runs.value, 1, 'it ran exactly once');
  equal(await within(pool.apply('square', [7]), 'a later task'), 49);
}

define('a warm pool: a task that throws from a timer behind quick tasks alone fails, and runs once', ['L27', 'X08'], async (ctx) => {
  await crashBehindQuickTasks(ctx, 'countThenThrowLater');
}, { requires: ['sharedMemory', 'isolatedGlobals'], timeout: 60_000 });

define('a warm pool: an async task that exits after an await behind quick tasks alone fails, and runs once', ['L27', 'X08'], async (ctx) => {
  await crashBehindQuickTasks(ctx, 'countAwaitThenExit');
}, { requires: ['sharedMemory', 'isolatedGlobals'], timeout: 60_000 });

define('a map chunk whose worker exits: map rejects naming the task, no item runs twice, the pool goes on', ['L27', 'L14'], async (ctx) => {
  const pool = ctx.pool({ processes: 2 });
  const runs = new Int32Array(new SharedArrayBuffer(4 * 20));
  const items = Array.from({ length: 20 }, (_, x) => ({ runs, x, bad: 9, code: 3 }));
  const err = await within(rejects(pool.map('countExitAt', items, { chunksize: 2 }), WorkerExitedError), 'map');
  equal(err.taskName, 'countExitAt');
  equal(err.exitCode, 3);
  pool.close();
  await within(pool.join(), 'join() after the failed map');
  for (let x = 0; x < 20; x++) ok(Atomics.load(runs, x) <= 1, `item ${x} ran at most once (ran ${Atomics.load(runs, x)})`);
  equal(Atomics.load(runs, 9), 1, 'the crashing item ran once');
}, { requires: ['sharedMemory'] });

define('imap over a chunk whose worker exits: the results before it arrive in order, then WorkerExitedError', ['L27', 'L16'], async (ctx) => {
  const pool = ctx.pool({ processes: 2 });
  const runs = new Int32Array(new SharedArrayBuffer(4 * 12));
  const got: number[] = [];
  const consume = async () => {
    for await (const v of pool.imap('countExitAt', Array.from({ length: 12 }, (_, x) => ({ runs, x, bad: 6, code: 2 })), { chunksize: 2 })) got.push(v);
  };
  const err = await within(rejects(consume(), WorkerExitedError), 'imap');
  equal(err.taskName, 'countExitAt');
  deepEqual(got, [0, 10, 20, 30, 40, 50], 'the chunks before the failing one are delivered in order');
  equal(await within(pool.apply('square', [5]), 'a later task'), 25);
}, { requires: ['sharedMemory'] });

define('a worker that exits while the pool closes: its task fails, the queued tasks finish, join() resolves', ['L27', 'L07'], async (ctx) => {
  const pool = ctx.pool({ processes: 1 });
  const crash = pool.apply('sleepThenExit', [200, 3]);
  const queued = Array.from({ length: 5 }, (_, i) => pool.apply('square', [i]));
  pool.close();
  const err = await within(rejects(crash, WorkerExitedError), 'the crashing task');
  equal(err.taskName, 'sleepThenExit');
  deepEqual(await within(Promise.all(queued), 'the queued tasks'), [0, 1, 4, 9, 16], 'queued tasks run on the replacement');
  await within(pool.join(), 'join()');
}, { requires: ['isolatedGlobals'] });

define('workers that exit while terminate() is in progress: every task settles, terminate() and join() resolve', ['L27', 'L08'], async (ctx) => {
  const pool = ctx.pool({ processes: 2 });
  await within(pool.apply('square', [1]), 'a first task');
  const tasks = Array.from({ length: 6 }, (_, i) => pool.apply('sleepThenExit', [i * 3, 1]));
  const terminating = pool.terminate();
  const settled = await within(Promise.allSettled(tasks), 'the tasks');
  for (const s of settled) ok(s.status === 'rejected' && (s.reason instanceof PoolClosedError || s.reason instanceof WorkerExitedError), `settled with PoolClosedError or WorkerExitedError, got ${s.status === 'rejected' ? String(s.reason) : 'a value'}`);
  await within(terminating, 'terminate()');
  await within(pool.join(), 'join()');
});
