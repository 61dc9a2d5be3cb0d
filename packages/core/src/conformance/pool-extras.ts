/**
 * Beyond Python's Pool (DESIGN.md "Pool", what users of the JS pools ask for):
 * `ready()`, `broadcast()` and `stats()`. Cited as DESIGN:pool-extras.
 */
import { AbortError, BrokenPoolError, PoolClosedError, TimeoutError, UnknownTaskError, WorkerExitedError } from '../errors.js';
import { now } from '../util/now.js';
import { deepEqual, equal, ok, rejects, throws, until } from './assert.js';
import { area } from './define.js';

const { cases, define } = area('Pool extras');
export { cases as poolExtrasCases };

define('ready() resolves once every worker has run its initializer, and at once on a warm pool', ['DESIGN:pool-extras'], async (ctx) => {
  const counter = new Int32Array(new SharedArrayBuffer(4));
  const pool = ctx.pool({ processes: 2, initializer: 'initSlow', initargs: [300, counter] });
  await pool.ready();
  equal(Atomics.load(counter, 0), 2, 'initializers finished when ready() resolved');
  equal(pool.pids.length, 2);
  await pool.ready();
  equal(await pool.apply('square', [7]), 49);
}, { requires: ['sharedMemory'] });

define('ready() waits for slow initializers on every runtime, and for workers replaced before it is called', ['DESIGN:pool-extras'], async (ctx) => {
  const start = now();
  const pool = ctx.pool({ processes: 2, initializer: 'initSlow', initargs: [300] });
  const first = pool.ready();
  const second = pool.ready();
  await first;
  ok(now() - start >= 250, `ready() resolved ${Math.round(now() - start)} ms after the pool was made, before its 300 ms initializers`);
  await second;
  // A worker retired by maxTasksPerChild is replaced; a ready() called while it starts waits for it.
  const cycling = ctx.pool({ processes: 1, maxTasksPerChild: 1, initializer: 'initSlow', initargs: [300] });
  equal(await cycling.apply('square', [3]), 9);
  await cycling.ready();
  equal(await cycling.apply('square', [4]), 16);
});

define('ready() rejects with BrokenPoolError when the initializer fails or the module cannot load', ['DESIGN:pool-extras', 'L04', 'L05'], async (ctx) => {
  const failing = ctx.pool({ initializer: 'initFails' });
  const err = await rejects(failing.ready(), BrokenPoolError);
  ok(err.cause instanceof RangeError, 'cause is the initializer error');
  await rejects(failing.ready(), BrokenPoolError, 'and again, at once');
  await rejects(failing.apply('square', [1]), BrokenPoolError, 'tasks too');
  const { Pool } = await import('../pool/pool.js');
  const missing = new Pool(new URL('./fixtures/does-not-exist.js', ctx.tasksUrl), { adapter: ctx.adapter, processes: 1 });
  try {
    await rejects(missing.ready(), BrokenPoolError);
  } finally {
    await missing.terminate();
  }
});

define('ready() rejects with PoolClosedError on a closed or terminated pool, and when the pool is terminated while it waits', ['DESIGN:pool-extras', 'L21'], async (ctx) => {
  const waiting = ctx.pool({ processes: 2, initializer: 'initSlow', initargs: [2_000] });
  const pending = rejects(waiting.ready(), PoolClosedError);
  await waiting.terminate();
  const err = await pending;
  ok(err.message.includes('terminated'), err.message);
  await rejects(waiting.ready(), PoolClosedError, 'after terminate');
  const closed = ctx.pool({ processes: 1 });
  await closed.ready();
  closed.close();
  await rejects(closed.ready(), PoolClosedError, 'after close');
  await closed.join();
});

define('broadcast() runs the task once on every worker and resolves with the results in pids order', ['DESIGN:pool-extras'], async (ctx) => {
  const pool = ctx.pool({ processes: 3 });
  await pool.ready();
  const pids = pool.pids;
  const seen = await pool.broadcast('whoAmI', []);
  deepEqual(
    seen.map((w) => w.pid),
    pids,
  );
  equal(new Set(seen.map((w) => w.name)).size, 3, 'three different workers');
  deepEqual(await pool.broadcast('square', [5]), [25, 25, 25]);
}, { requires: ['stableWorkers'] });

define('every worker runs a broadcast before any task queued after it, also while busy with tasks sent before it', ['DESIGN:pool-extras', 'DESIGN:dispatch'], async (ctx) => {
  const pool = ctx.pool({ processes: 2 });
  await pool.ready();
  const busy = pool.map('sleep', [40, 40, 40, 40, 40, 40], { chunksize: 1 });
  const set = pool.broadcast('setMark', ['after']);
  const marks = pool.map('getMark', Array.from({ length: 20 }, (_, i) => i), { chunksize: 1 });
  await busy;
  deepEqual(await set, ['after', 'after']);
  deepEqual(await marks, Array.from({ length: 20 }, () => 'after'), 'no later task ran before the broadcast on its worker');
}, { requires: ['stableWorkers'] });

define('broadcast() rejects with the first failure: the task error, TimeoutError, AbortError; the pool goes on', ['DESIGN:pool-extras', 'DESIGN:errors'], async (ctx) => {
  const pool = ctx.pool({ processes: 2 });
  const err = await rejects(pool.broadcast('throwType', ['boom']), TypeError);
  equal(err.message, 'boom');
  await rejects(pool.broadcast('sleep', [20_000], { timeout: 200 }), TimeoutError);
  const controller = new AbortController();
  const aborted = rejects(pool.broadcast('sleep', [20_000], { signal: controller.signal }), AbortError);
  controller.abort(new Error('stop'));
  await aborted;
  deepEqual(await pool.broadcast('square', [3]), [9, 9], 'the pool goes on');
});

define('a worker that dies running its part rejects the broadcast with WorkerExitedError, and the pool goes on', ['DESIGN:pool-extras', 'DESIGN:worker-death'], async (ctx) => {
  const pool = ctx.pool({ processes: 2 });
  await pool.ready();
  const err = await rejects(pool.broadcast('exitWith', [3]), WorkerExitedError);
  equal(err.exitCode, 3);
  equal(await pool.apply('square', [6]), 36);
  deepEqual(await pool.map('square', [1, 2, 3, 4], { chunksize: 1 }), [1, 4, 9, 16]);
});

define('broadcast() validates at once and leaves the pool healthy; after close or terminate it throws PoolClosedError; terminate rejects a waiting one', ['DESIGN:pool-extras', 'DESIGN:errors', 'L21'], async (ctx) => {
  const pool = ctx.pool({ processes: 2 });
  const anyPool = pool as unknown as { broadcast(...a: unknown[]): Promise<unknown> };
  throws(() => anyPool.broadcast(42, []), TypeError, 'a name that is not a string');
  throws(() => anyPool.broadcast('square', 5), TypeError, 'args not an array');
  throws(() => anyPool.broadcast('square', [1], { timeout: -1 }), RangeError, 'a negative timeout');
  throws(() => anyPool.broadcast('square', [1], { timeout: Number.NaN }), TypeError, 'a NaN timeout');
  throws(() => anyPool.broadcast('byteLength', [new ArrayBuffer(4)], { transfer: [] }), TypeError, 'transfer');
  throws(() => anyPool.broadcast('square', [1], { retries: 1 }), TypeError, 'retries');
  deepEqual(await pool.broadcast('square', [2]), [4, 4], 'the pool is healthy');
  deepEqual(await pool.broadcast('square', [3], { timeout: Number.POSITIVE_INFINITY }), [9, 9], 'an Infinity timeout is no timeout');
  await rejects(anyPool.broadcast('constructor', []), UnknownTaskError, 'a name like an Object.prototype key');
  await rejects(anyPool.broadcast('__proto__', []), UnknownTaskError, 'a name like an Object.prototype key');
  const waiting = rejects(pool.broadcast('sleep', [20_000]), PoolClosedError);
  await pool.terminate();
  await waiting;
  throws(() => pool.broadcast('square', [1]), PoolClosedError, 'after terminate');
  const closed = ctx.pool({ processes: 1 });
  closed.close();
  throws(() => closed.broadcast('square', [1]), PoolClosedError, 'after close');
  await closed.join();
});

define('with maxTasksPerChild each worker alive at the call runs its part once before it retires', ['DESIGN:pool-extras', 'L25'], async (ctx) => {
  const pool = ctx.pool({ processes: 2, maxTasksPerChild: 1 });
  await pool.ready();
  const seen = await pool.broadcast('whoAmI', []);
  equal(seen.length, 2);
  equal(new Set(seen.map((w) => w.pid)).size, 2, 'two different workers');
  deepEqual(await pool.map('square', [1, 2, 3], { chunksize: 1 }), [1, 4, 9], 'their replacements take the next tasks');
}, { requires: ['stableWorkers'] });

define('a worker kept past maxTasksPerChild for a broadcast part that is then aborted still retires', ['DESIGN:pool-extras', 'L25'], async (ctx) => {
  // A slow initializer keeps the replacement starting until after the busy worker's task ends.
  const pool = ctx.pool({ processes: 1, maxTasksPerChild: 1, initializer: 'initSlow', initargs: [1_500] });
  await pool.ready();
  const busy = pool.apply('sleep', [300, 'slept']);
  // The busy worker has had its one task; the replacement starts now. Both are given a part.
  const controller = new AbortController();
  const part = rejects(pool.broadcast('square', [2], { signal: controller.signal }), AbortError);
  controller.abort(new Error('never mind'));
  await part;
  equal(await busy, 'slept');
  await until(() => pool.pids.length === 1, 'the retired worker exits: one worker left');
  equal(await pool.apply('square', [5]), 25);
});

function checkSummary(s: { count: number; mean: number; p50: number; p99: number; max: number }, what: string): void {
  for (const k of ['count', 'mean', 'p50', 'p99', 'max'] as const) ok(Number.isFinite(s[k]) && s[k] >= 0, `${what}.${k} is a finite number ≥ 0: ${s[k]}`);
  ok(s.p50 <= s.p99 && s.p99 <= s.max, `${what}: p50 ≤ p99 ≤ max (${s.p50}, ${s.p99}, ${s.max})`);
}

define('stats() is a plain snapshot: workers, idle, completed and failed per item, utilization, run and wait summaries', ['DESIGN:pool-extras'], async (ctx) => {
  const pool = ctx.pool({ processes: 2 });
  await pool.ready();
  const s0 = pool.stats();
  deepEqual(
    { workers: s0.workers, idle: s0.idle, busy: s0.busy, queued: s0.queued, completed: s0.completed, failed: s0.failed, runs: s0.runTime.count },
    { workers: 2, idle: 2, busy: 0, queued: 0, completed: 0, failed: 0, runs: 0 },
  );
  deepEqual(s0.runTime, { count: 0, mean: 0, p50: 0, p99: 0, max: 0 });
  deepEqual(JSON.parse(JSON.stringify(s0)), s0, 'a plain object');
  await pool.map('square', [1, 2, 3, 4, 5, 6, 7, 8, 9, 10], { chunksize: 3 });
  await rejects(pool.apply('throwType', ['x']), TypeError);
  await rejects(pool.starmap('failAt', [[0, 1], [1, 1], [2, 1]], { chunksize: 3 }), Error);
  await pool.broadcast('square', [2]);
  const s = pool.stats();
  equal(s.completed, 10 + 2 + 2, 'ten map items, two of the failing chunk, two broadcast parts');
  equal(s.failed, 2, 'the throwing call and the failing item');
  equal(s.workers, 2);
  equal(s.busy, 0);
  equal(s.queued, 0);
  ok(s.utilization > 0 && s.utilization <= 1, `utilization in (0, 1]: ${s.utilization}`);
  ok(s.runTime.count >= 4 && s.waitTime.count >= 4, `run and wait times recorded: ${s.runTime.count}, ${s.waitTime.count}`);
  checkSummary(s.runTime, 'runTime');
  checkSummary(s.waitTime, 'waitTime');
});

define('stats() shows busy workers and queued items while tasks run, and counts timeouts and deaths as failed', ['DESIGN:pool-extras', 'DESIGN:worker-death'], async (ctx) => {
  const pool = ctx.pool({ processes: 2 });
  await pool.ready();
  const running = [1, 2, 3, 4, 5].map((i) => pool.apply('sleep', [400, i]));
  await until(() => pool.stats().busy === 2, 'both workers busy');
  const during = pool.stats();
  equal(during.busy + during.idle, 2);
  equal(during.queued + during.busy, 5, `every task is queued or held: ${JSON.stringify(during)}`);
  await Promise.all(running);
  await rejects(pool.apply('sleep', [20_000], { timeout: 100 }), TimeoutError);
  await rejects(pool.apply('exitWith', [3]), WorkerExitedError);
  const after = pool.stats();
  equal(after.completed, 5);
  equal(after.failed, 2, 'the timeout and the death');
  ok(after.utilization > 0, `utilization ${after.utilization}`);
  ok(after.runTime.max >= 300, `a 400 ms task ran at least 300 ms as seen from the parent: ${after.runTime.max}`);
  await pool.terminate();
  const gone = pool.stats();
  equal(gone.workers, 0, 'a terminated pool has no workers');
});
