/**
 * Per-task timeouts and AbortSignal (DESIGN.md "Timeouts and cancellation"):
 * the caller's promise rejects at once; a queued task is dropped; a running
 * task sees `taskSignal()` abort and, if it ignores it, its worker is replaced.
 */
import { AbortError, TimeoutError } from '../errors.js';
import { deepEqual, equal, ok, rejects, until } from './assert.js';
import { area } from './define.js';

const { cases, define } = area('Timeouts and aborts');
export { cases as abortTimeoutCases };

/** Timeouts past setTimeout's 2³¹−1 ms limit, which it would fire after 1 ms (issue #9). */
const LONG_TIMEOUTS = [Infinity, 2 ** 31, 1e10];

define('a per-task timeout rejects with TimeoutError; the pool goes on', ['DESIGN:timeout'], async (ctx) => {
  const pool = ctx.pool({ processes: 1 });
  const err = await rejects(pool.apply('sleep', [5_000], { timeout: 50 }), TimeoutError);
  equal(err.code, 'MP_TIMEOUT');
  equal(await pool.apply('square', [3]), 9);
});

define('an already-aborted signal rejects before anything is sent, with the reason as cause', ['DESIGN:abort'], async (ctx) => {
  const pool = ctx.pool();
  const ac = new AbortController();
  const reason = new Error('stop');
  ac.abort(reason);
  const err = await rejects(pool.apply('square', [1], { signal: ac.signal }), AbortError);
  equal(err.cause, reason);
  await rejects(pool.map('square', [1, 2], { signal: ac.signal }), AbortError);
});

define('aborting a queued task removes it; the others run', ['DESIGN:abort'], async (ctx) => {
  const pool = ctx.pool({ processes: 1 });
  const busy = pool.apply('sleep', [100, 'first']);
  const ac = new AbortController();
  const queued = pool.apply('square', [4], { signal: ac.signal });
  const after = pool.apply('square', [5]);
  ac.abort();
  await rejects(queued, AbortError);
  equal(await busy, 'first');
  equal(await after, 25);
});

define('aborting a running task rejects at once and aborts taskSignal() inside the worker', ['DESIGN:abort'], async (ctx) => {
  const pool = ctx.pool({ processes: 1 });
  const sab = new SharedArrayBuffer(8);
  const ac = new AbortController();
  const running = pool.apply('cooperative', [sab, 10_000], { signal: ac.signal });
  running.catch(() => {});
  await until(() => Atomics.load(new Int32Array(sab), 1) === 1, 'the task to start');
  ac.abort('enough');
  const err = await rejects(running, AbortError);
  equal(err.cause, 'enough');
  await until(() => Atomics.load(new Int32Array(sab), 0) === 1, 'the task to see its signal abort');
  equal(await pool.apply('square', [2]), 4);
}, { requires: ['sharedMemory', 'isolatedGlobals'] });

define('a task that ignores its abort has its worker replaced after the grace period; later tasks succeed', ['DESIGN:abort'], async (ctx) => {
  const pool = ctx.pool({ processes: 1 });
  const before = pool.pids[0];
  await rejects(pool.apply('ignoreSignal', [30_000], { timeout: 50 }), TimeoutError);
  equal(await pool.apply('square', [7]), 49);
  await until(() => pool.pids[0] !== before, 'the stuck worker to be replaced');
}, { requires: ['stableWorkers'] });

define('a per-task timeout of Infinity, 2**31 or 1e10 ms lets a 300 ms task finish with its value', ['DESIGN:timeout', 'D1'], async (ctx) => {
  const pool = ctx.pool({ processes: 3 });
  deepEqual(await Promise.all(LONG_TIMEOUTS.map((timeout, i) => pool.apply('sleep', [300, i], { timeout }))), [0, 1, 2]);
  deepEqual(await Promise.all(LONG_TIMEOUTS.map((timeout) => pool.starmap('sleepThenSquare', [[3, 300]], { timeout }))), [[9], [9], [9]]);
  deepEqual(await Promise.all(LONG_TIMEOUTS.map((timeout, i) => pool.applyAsync('sleep', [300, i], { timeout }).get())), [0, 1, 2]);
});

define('a per-task timeout that is NaN or not a number is refused at once with a TypeError naming it', ['DESIGN:timeout', 'D1'], async (ctx) => {
  const pool = ctx.pool({ processes: 1 });
  for (const timeout of [NaN, '100']) {
    let err: unknown;
    try {
      await pool.apply('square', [2], { timeout: timeout as number });
    } catch (e) {
      err = e;
    }
    ok(err instanceof TypeError && /timeout/.test(err.message), `timeout ${String(timeout)} gave ${String(err)}`);
  }
  equal(await pool.apply('square', [3]), 9);
});

define('aborting a CPU-bound task behind quick tasks on a warm pool: its worker is replaced, nothing hangs (issue #9 defect 3)', ['DESIGN:abort'], async (ctx) => {
  const pool = ctx.pool({ processes: 1 });
  await Promise.all(Array.from({ length: 2000 }, (_, i) => pool.apply('square', [i])));
  const sab = new SharedArrayBuffer(4);
  const ac = new AbortController();
  const before = [pool.apply('square', [3]), pool.apply('square', [4])];
  const stuck = pool.apply('spinFlag', [sab, 60_000], { signal: ac.signal });
  const after = Array.from({ length: 10 }, (_, i) => pool.apply('square', [i]));
  for (let i = 0; i < 1000 && Atomics.load(new Int32Array(sab), 0) === 0; i++) await ctx.sleep(10);
  equal(Atomics.load(new Int32Array(sab), 0), 1, 'the CPU-bound task started');
  ac.abort();
  await rejects(stuck, AbortError);
  equal((await Promise.all(before)).join(), '9,16');
  equal((await Promise.all(after)).length, 10, 'the tasks behind it ran on the replacement worker');
  equal(await pool.apply('square', [6]), 36);
}, { requires: ['sharedMemory', 'isolatedGlobals'] });
