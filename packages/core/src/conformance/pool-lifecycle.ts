/**
 * Pool lifecycle: concurrency, initializer, maxTasksPerChild, close/join/
 * terminate, disposal (SEMANTICS §3 L01–L05, L08, L21–L26).
 */
import type { AsyncResult } from '../pool/async-result.js';
import type { Pool } from '../pool/pool.js';
import { BootstrapError, BrokenPoolError, PoolClosedError, StateError } from '../errors.js';
import { deepEqual, equal, ok, rejects, throws } from './assert.js';
import { area } from './define.js';

const range = (n: number) => Array.from({ length: n }, (_, i) => i);
const { cases, define } = area('Pool lifecycle');
export { cases as poolLifecycleCases };

define('processes defaults to cpuCount(); Pool(3) keeps 3 workers, each with its own pid (a string where declared)', ['L01', 'DESIGN:scale-out'], async (ctx) => {
  const def = ctx.pool({ processes: undefined });
  equal(def.processes, ctx.adapter.cpuCount());
  const three = ctx.pool({ processes: 3 });
  equal(three.processes, 3);
  await three.map('square', [1, 2, 3, 4, 5, 6], { chunksize: 1 });
  equal(three.pids.length, 3);
  const kind = ctx.capabilities.stringPids === true ? 'string' : 'number';
  ok(three.pids.every((pid) => typeof pid === kind), `pids are of type ${kind} exactly where the adapter declares stringPids: ${three.pids.join(', ')}`);
  equal(new Set(three.pids).size, 3, 'one pid per worker');
  const ex = ctx.executor({ maxWorkers: 2 });
  equal(await ex.submit('square', [3]).result(), 9);
  ok(ex.pids.length > 0 && ex.pids.every((pid) => typeof pid === kind), `an executor's pids too: ${ex.pids.join(', ')}`);
});

define('at most `processes` tasks run at once, and every worker is used', ['L08', 'DESIGN:dispatch'], async (ctx) => {
  const pool = ctx.pool({ processes: 3 });
  const sab = new SharedArrayBuffer(8);
  const all = [];
  for (let i = 0; i < 12; i++) all.push(pool.apply('countConcurrent', [sab, 40]));
  await Promise.all(all);
  equal(new Int32Array(sab)[1], 3, 'the maximum seen running at once');
}, { requires: ['sharedMemory'] });

define('the initializer runs in every worker before its first task, with initargs', ['L03'], async (ctx) => {
  const pool = ctx.pool({ initializer: 'init', initargs: ['pre-'] });
  deepEqual(await pool.map('withPrefix', ['a', 'b', 'c', 'd'], { chunksize: 1 }), ['pre-a', 'pre-b', 'pre-c', 'pre-d']);
});

define('a failing initializer breaks the pool: tasks reject with BrokenPoolError carrying the cause, no endless respawn', ['L04', 'L05'], async (ctx) => {
  const pool = ctx.pool({ initializer: 'initFails' });
  const err = await rejects(pool.apply('square', [1]), BrokenPoolError);
  ok(err.cause instanceof RangeError, 'cause is the initializer error');
  await rejects(pool.apply('square', [2]), BrokenPoolError, 'later tasks too');
  pool.close();
  await pool.join();
});

define('a module that cannot load breaks the pool with BrokenPoolError', ['L05'], async (ctx) => {
  const { Pool } = await import('../pool/pool.js');
  const pool = new Pool(new URL('./fixtures/does-not-exist.js', ctx.tasksUrl), { adapter: ctx.adapter, processes: 1 });
  await rejects(pool.apply('x', []), BrokenPoolError);
  await pool.terminate();
});

define('a task module that creates a pool at its top level (no isMainProcess() guard) breaks the pool with BootstrapError naming the guard, once', ['DESIGN:task-modules', 'L05'], async (ctx) => {
  const { Pool } = await import('../pool/pool.js');
  const pool = new Pool(new URL('./unguarded-pool.js', ctx.tasksUrl), { adapter: ctx.adapter, processes: 2 });
  try {
    const err = await rejects(pool.apply('square', [3]), BrokenPoolError);
    ok(err.cause instanceof BootstrapError, `the cause is a BootstrapError, got ${String(err.cause)}`);
    equal((err.cause as BootstrapError).code, 'MP_BOOTSTRAP');
    ok((err.cause as Error).message.includes('if (isMainProcess())'), (err.cause as Error).message);
    await rejects(pool.apply('square', [4]), BrokenPoolError, 'later tasks too, and no worker is started again');
  } finally {
    await pool.terminate();
  }
}, { requires: ['isolatedGlobals'] });

define('maxTasksPerChild replaces a worker after N tasks (a chunk counts as one); the initializer runs again', ['L25', 'L03'], async (ctx) => {
  const pool = ctx.pool({ processes: 1, maxTasksPerChild: 2, initializer: 'init', initargs: ['i:'] });
  const pids = [];
  for (let i = 0; i < 6; i++) pids.push((await pool.apply('whoAmI', [])).pid);
  equal(pids[0], pids[1]);
  equal(pids[2], pids[3]);
  equal(pids[4], pids[5]);
  equal(new Set(pids).size, 3, `three workers, got ${pids.join(',')}`);
  equal(await pool.apply('withPrefix', ['x']), 'i:x');
  const chunked = ctx.pool({ processes: 1, maxTasksPerChild: 1 });
  deepEqual(await chunked.map('square', [1, 2, 3, 4, 5, 6, 7, 8], { chunksize: 2 }), [1, 4, 9, 16, 25, 36, 49, 64]);
}, { requires: ['stableWorkers'] });

define('maxTasksPerChild = 1 with close() before the tasks finish: join() does not hang and all results are right', ['L26'], async (ctx) => {
  const pool = ctx.pool({ processes: 2, maxTasksPerChild: 1 });
  const results = [];
  for (let i = 0; i < 6; i++) results.push(pool.applyAsync('sleepThenSquare', [i, 10]));
  pool.close();
  await pool.join();
  for (let i = 0; i < 6; i++) equal(await results[i].get(), i * i);
});

define('with maxTasksPerChild, map without a chunksize cuts Python\'s chunks, ceil(n / (4 × processes)), up front: one worker start per chunk, not per item', ['L25', 'L10', 'DESIGN:chunksize'], async (ctx) => {
  // A chunk is one task of a worker's life here, so a worker start shows in every chunk's time;
  // sizing chunks by measured time read that as slow items and cut 1-item chunks (3,000 items: minutes).
  const pool = ctx.pool({ processes: 2, maxTasksPerChild: 1 });
  const sizes: number[] = [];
  let last = 0;
  const onProgress = (done: number) => {
    sizes.push(done - last);
    last = done;
  };
  deepEqual(await pool.map('square', range(400), { onProgress }), range(400).map((i) => i * i));
  deepEqual([...sizes].sort((a, b) => a - b), new Array(8).fill(50), `Python's 8 chunks of 50, got ${sizes.join(',')}`);
});

define('join() while running throws StateError; after close() it waits for queued work; twice is fine', ['L21', 'L22'], async (ctx) => {
  const pool = ctx.pool();
  throws(() => pool.join(), StateError);
  const r = pool.applyAsync('sleep', [50, 'done']);
  pool.close();
  await pool.join();
  await pool.join();
  equal(r.ready(), true);
  equal(await r.get(), 'done');
  equal(pool.state, 'closed');
});

define('terminate() rejects unfinished work with PoolClosedError at once, even with 10,000 queued; twice is harmless', ['L23', 'DO-BETTER'], async (ctx) => {
  const pool = ctx.pool();
  const running = pool.applyAsync('sleep', [10_000]);
  const queued = [];
  for (let i = 0; i < 10_000; i++) queued.push(pool.applyAsync('square', [i]));
  await pool.terminate();
  await pool.terminate();
  await rejects(running.get(), PoolClosedError);
  equal(running.ready(), true);
  equal(running.successful(), false);
  await rejects(queued[9_999].get(), PoolClosedError);
  throws(() => pool.apply('square', [1]), PoolClosedError);
  await pool.join();
});

define('await using terminates the pool, as Python\'s with-block does', ['L24'], async (ctx) => {
  let pending: AsyncResult<unknown> | undefined;
  let escaped: Pool | undefined;
  {
    await using pool = ctx.pool();
    escaped = pool;
    equal(await pool.apply('square', [3]), 9);
    pending = pool.applyAsync('sleep', [10_000]);
  }
  equal(escaped.state, 'terminated');
  await rejects(pending.get(), PoolClosedError);
});

define('an idle pool after close() and join() has no live workers', ['L21', 'L28'], async (ctx) => {
  const pool = ctx.pool();
  await pool.map('square', [1, 2, 3]);
  pool.close();
  await pool.join();
  equal(pool.pids.length, 0);
});

define('pool workers are named PoolWorker-N and see MainProcess as their parent', ['P12', 'P15'], async (ctx) => {
  const pool = ctx.pool({ processes: 1 });
  const me = await pool.apply('whoAmI', []);
  ok(/^PoolWorker-\d+$/.test(me.name), `got ${me.name}`);
  equal(me.parent, 'MainProcess');
  equal(pool.pids[0], me.pid, 'the pid the worker reports is the one the pool lists');
}, { requires: ['stableWorkers'] });
