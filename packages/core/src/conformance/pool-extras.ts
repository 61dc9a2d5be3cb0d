/**
 * Beyond Python's Pool (DESIGN.md "Pool", what users of the JS pools ask for):
 * `ready()`. Cited as DESIGN:pool-extras.
 */
import { BrokenPoolError, PoolClosedError } from '../errors.js';
import { now } from '../util/now.js';
import { equal, ok, rejects } from './assert.js';
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
