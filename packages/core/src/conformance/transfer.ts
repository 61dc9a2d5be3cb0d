/**
 * Zero-copy transfer of ArrayBuffers both ways (DESIGN.md "Promises beyond Python").
 */
import { equal } from './assert.js';
import { area } from './define.js';

const { cases, define } = area('Transfer');
export { cases as transferCases };

define('an argument buffer in `transfer` moves to the worker (detached here), a copy does not', ['X09', 'DESIGN:transfer'], async (ctx) => {
  const pool = ctx.pool();
  const moved = new ArrayBuffer(1024);
  equal(await pool.apply('byteLength', [moved], { transfer: [moved] }), 1024);
  equal(moved.byteLength, 0, 'transferred buffers are detached in the sender');
  const copied = new ArrayBuffer(1024);
  equal(await pool.apply('byteLength', [copied]), 1024);
  equal(copied.byteLength, 1024, 'without transfer the caller keeps its buffer');
}, { requires: ['transfer'] });

define('a task returning transfer(value, [buffer]) delivers the value', ['DESIGN:transfer'], async (ctx) => {
  const pool = ctx.pool();
  const bytes = await pool.apply('makeBytes', [4096]);
  equal(bytes.byteLength, 4096);
  equal(bytes[0], 7);
});

define('tasks with transferred buffers, sent while a worker starts a long task, all run once on a warm pool', ['X09', 'DESIGN:transfer', 'DESIGN:dispatch'], async (ctx) => {
  const pool = ctx.pool({ processes: 2 });
  // Warm: the pool measures quick tasks, so it sends tasks ahead to busy workers.
  for (let i = 0; i < 200; i++) await Promise.all([pool.apply('square', [i]), pool.apply('square', [i + 1])]);
  // A task these workers have not timed: the one running it hands back what waits behind it,
  // and a worker that stays busy gets its unstarted tasks recalled. A transferred buffer went
  // with the first send, so a task handed back must not need it again.
  const long = pool.apply('sleep', [1500, 'slept']);
  const buffers = Array.from({ length: 40 }, (_, i) => new ArrayBuffer(1024 + i));
  const settled = await Promise.allSettled([long, ...buffers.map((b) => pool.apply('byteLength', [b], { transfer: [b] }))]);
  const failed = settled.flatMap((r, i) => (r.status === 'rejected' ? [`task ${i}: ${String(r.reason)}`] : []));
  equal(failed.join('; '), '', 'every task ran');
  equal((settled[0] as PromiseFulfilledResult<unknown>).value, 'slept');
  for (let i = 0; i < 40; i++) equal((settled[i + 1] as PromiseFulfilledResult<unknown>).value, 1024 + i, `task ${i}`);
}, { requires: ['transfer'] });
