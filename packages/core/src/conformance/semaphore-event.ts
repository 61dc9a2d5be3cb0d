/**
 * Semaphore, BoundedSemaphore and Event across the parent and its workers
 * (SEMANTICS §8 S, §9 E).
 */
import { now } from '../util/now.js';
import { Event } from '../sync/event.js';
import { Lock } from '../sync/lock.js';
import { Queue } from '../sync/queue.js';
import { BoundedSemaphore, Semaphore } from '../sync/semaphore.js';
import { deepEqual, equal, ok, rejects, throws } from './assert.js';
import { area } from './define.js';

const { cases, define } = area('Semaphore and Event');
export { cases as semaphoreEventCases };

/** Timeouts past setTimeout's 2³¹−1 ms limit, which it would fire after 1 ms (issue #9). */
const LONG_TIMEOUTS = [Infinity, 2 ** 31, 1e10];

define('Semaphore(2): two acquires, then none; getValue tracks; a plain one can go above its start', ['S01', 'S02', 'S06'], async () => {
  const s = new Semaphore(2);
  equal(s.getValue(), 2);
  equal(await s.acquire(), true);
  equal(await s.acquire(), true);
  equal(s.tryAcquire(), false);
  equal(s.getValue(), 0);
  s.release();
  equal(s.getValue(), 1);
  s.release(3);
  equal(s.getValue(), 4, 'released above the initial value');
  equal(new Semaphore().getValue(), 1, 'the default is 1');
});

define('BoundedSemaphore: a release past the initial value throws RangeError and keeps the value', ['S03'], async () => {
  const b = new BoundedSemaphore(2);
  throws(() => b.release(), RangeError);
  equal(b.getValue(), 2);
  await b.acquire();
  b.release();
  throws(() => b.release(), RangeError);
  equal(b.getValue(), 2);
});

define('Semaphore(0) timeouts: 0 and negative at once, a positive one after about that long', ['S04', 'X01'], async () => {
  const s = new Semaphore(0);
  equal(await s.acquire({ timeout: 0 }), false);
  equal(await s.acquire({ timeout: -5 }), false);
  const t0 = now();
  equal(await s.acquire({ timeout: 60 }), false);
  ok(now() - t0 >= 45, 'waited about the timeout');
});

define('bad arguments: a negative value is RangeError, a fraction TypeError', ['S05'], async () => {
  throws(() => new Semaphore(-1), RangeError);
  throws(() => new Semaphore(1.5), TypeError);
  throws(() => new BoundedSemaphore(-2), RangeError);
  throws(() => new Semaphore(1).release(0), RangeError);
});

define('a release in the parent wakes an acquire waiting in a worker, and the other way round', ['S07'], async (ctx) => {
  const pool = ctx.pool({ processes: 1 });
  const s = new Semaphore(0);
  const waiting = pool.apply('semAcquire', [s, 20_000]);
  await ctx.sleep(50);
  s.release();
  equal(await waiting, true);
  const mine = s.acquire({ timeout: 20_000 });
  equal(await pool.apply('semRelease', [s, 1]), 'released');
  equal(await mine, true);
  equal(s.getValue(), 0);
});

define('a BoundedSemaphore released too often in a worker fails that task with RangeError', ['S03', 'DESIGN:sync'], async (ctx) => {
  const pool = ctx.pool({ processes: 1 });
  const b = new BoundedSemaphore(1);
  await rejects(pool.apply('semRelease', [b, 1]), RangeError);
  equal(b.getValue(), 1);
});

define('Event: unset at first; wait(0), wait(-1) false at once; wait(t) false after t; set() makes wait true; clear() resets', ['E01', 'E02', 'E04'], async () => {
  const ev = new Event();
  equal(ev.isSet(), false);
  equal(await ev.wait({ timeout: 0 }), false);
  equal(await ev.wait({ timeout: -1 }), false);
  const t0 = now();
  equal(await ev.wait({ timeout: 60 }), false);
  ok(now() - t0 >= 45, 'waited about the timeout');
  ev.set();
  ev.set();
  equal(ev.isSet(), true);
  equal(await ev.wait(), true);
  equal(await ev.wait({ timeout: 0 }), true);
  ev.clear();
  equal(ev.isSet(), false);
});

define('set() in the parent wakes every worker waiting; set() in a worker is seen by the parent before the task\'s result', ['E03', 'E05', 'DESIGN:sync'], async (ctx) => {
  const pool = ctx.pool({ processes: 3 });
  const ev = new Event();
  const waiters = [0, 1, 2].map(() => pool.apply('eventWait', [ev, 20_000]));
  await ctx.sleep(50);
  ev.set();
  for (const w of await Promise.all(waiters)) equal(w, true);
  ev.clear();
  equal(await pool.apply('eventSet', [ev]), 'set');
  equal(ev.isSet(), true, 'already set when the result arrived');
  equal(await pool.apply('eventClear', [ev]), 'cleared');
  equal(ev.isSet(), false);
  ev.clear();
  await rejects(pool.apply('eventSetThenThrow', [ev]), RangeError);
  equal(ev.isSet(), true, 'a set before a throw still lands');
});

define('isSet() and the other synchronous queries throw StateError naming the async form in workers without shared memory', ['DESIGN:sync', 'D2'], async (ctx) => {
  const pool = ctx.pool({ processes: 1 });
  const answers = await pool.apply('syncQueryError', [new Queue(), new Lock(), new Event()]);
  equal(answers.length, 4);
  for (const a of answers) ok(a.startsWith('StateError:') && a.includes('use '), a);
  const twin = await pool.apply('syncTwinError', [new Lock()]);
  ok(twin.startsWith('StateError:') && twin.includes('await lock.acquire()'), twin);
}, { unless: ['sharedMemory'] });

define('Semaphore.acquire and Event.wait with Infinity, 2**31 or 1e10 ms wait for a release or set 300 ms later, in the parent and in workers', ['S04', 'E05', 'D1'], async (ctx) => {
  const pool = ctx.pool({ processes: 3 });
  const s = new Semaphore(0);
  const acquired = Promise.all(LONG_TIMEOUTS.map((timeout) => s.acquire({ timeout })));
  const ev = new Event();
  const waited = Promise.all(LONG_TIMEOUTS.map((timeout) => ev.wait({ timeout })));
  const inWorkers = Promise.all(LONG_TIMEOUTS.map((timeout) => pool.apply('eventWait', [ev, timeout])));
  await ctx.sleep(300);
  s.release(LONG_TIMEOUTS.length);
  ev.set();
  deepEqual(await acquired, [true, true, true]);
  deepEqual(await waited, [true, true, true]);
  deepEqual(await inWorkers, [true, true, true]);
});
