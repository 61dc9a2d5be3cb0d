/**
 * How primitives travel: nested in arguments, in `initargs`, in `Process`
 * args (DESIGN.md, "Synchronization primitives and shared state").
 */
import { Event } from '../sync/event.js';
import { Lock } from '../sync/lock.js';
import { Queue } from '../sync/queue.js';
import { equal } from './assert.js';
import { area } from './define.js';

const { cases, define } = area('Primitives travel');
export { cases as syncTravelCases };

define('primitives nested in arrays, objects and Maps inside the arguments work in the worker', ['DESIGN:sync'], async (ctx) => {
  const pool = ctx.pool({ processes: 1 });
  const ev = new Event();
  const q = new Queue<number>();
  const lock = new Lock();
  equal(await pool.apply('nestedPrimitives', [{ deep: { list: [ev, { q }] }, map: new Map([['l', lock]]) }]), 'free');
  equal(ev.isSet(), true);
  equal(await q.get({ timeout: 10_000 }), 7);
  await lock.acquire();
  equal(await pool.apply('nestedPrimitives', [{ deep: { list: [ev, { q }] }, map: new Map([['l', lock]]) }]), 'held');
  lock.release();
});

define('primitives in initargs reach every worker', ['DESIGN:sync', 'L04'], async (ctx) => {
  const q = new Queue<string>();
  const ev = new Event();
  const pool = ctx.pool({ processes: 2, initializer: 'initWithPrimitives', initargs: [q, ev] });
  equal(await pool.apply('useInitPrimitives', ['a']), true);
  equal(await pool.apply('useInitPrimitives', ['b']), true);
  equal(ev.isSet(), true);
  const got = [await q.get({ timeout: 10_000 }), await q.get({ timeout: 10_000 })].sort();
  equal(got.join(), 'a,b');
});

define('primitives in Process args work in the process', ['DESIGN:sync', 'P01'], async (ctx) => {
  const lock = new Lock();
  const ev = new Event();
  const q = new Queue<string>();
  const p = ctx.process({ target: 'targetUsePrimitives', args: [lock, ev, q] });
  p.start();
  await p.join();
  equal(p.exitCode, 0);
  equal(ev.isSet(), true);
  equal(await q.get({ timeout: 10_000 }), 'inside');
  equal(lock.tryAcquire(), true, 'the process released the lock');
});
