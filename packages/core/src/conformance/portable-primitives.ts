/**
 * The primitives through the forms every backend offers (`await acquire`,
 * `await get`, `set()`, `withLock`...), built with the runtime's own
 * constructors (`ctx.sync`): core's on one machine, a Redis context's across
 * machines. The same cases run on both, so a backend whose primitives are not
 * core's (and which therefore skips the areas that use core's synchronous
 * queries) still proves Python's behaviour for what it offers.
 */
import { BrokenBarrierError, QueueEmptyError, QueueFullError } from '../errors.js';
import type { Pool } from '../pool/pool.js';
import { deepEqual, equal, ok, rejects } from './assert.js';
import type { Fixtures } from './context.js';
import { area } from './define.js';

const { cases, define } = area('Primitives through their async forms');
export { cases as portablePrimitiveCases };

/** Runs a fixture with primitives of any backend (the fixtures are typed with core's). */
function call(pool: Pool<Fixtures>, name: keyof Fixtures & string, args: unknown[]): Promise<unknown> {
  return pool.apply(name as never, args as never);
}

define('Lock: a worker\'s acquire(t) gives false while the parent holds it; a waiting one gets it when the parent releases', ['K03', 'S07'], async (ctx) => {
  const pool = ctx.pool({ processes: 1 });
  const lock = new ctx.sync.Lock();
  equal(await lock.acquire(), true);
  equal(await call(pool, 'lockAcquire', [lock, 80]), false);
  const waiting = call(pool, 'lockAcquire', [lock, 20_000]);
  lock.release();
  equal(await waiting, true, 'the waiting worker took it');
  equal(await lock.acquire({ timeout: 0 }), false, 'and holds it');
});

define('Lock: critical sections of two workers never overlap', ['K05'], async (ctx) => {
  const pool = ctx.pool({ processes: 2 });
  const lock = new ctx.sync.Lock();
  const log = new ctx.sync.Queue();
  await Promise.all([call(pool, 'lockCritical', [lock, log, 'a', 5]), call(pool, 'lockCritical', [lock, log, 'b', 5])]);
  const lines: string[] = [];
  for (let i = 0; i < 20; i++) lines.push(String(await log.get({ timeout: 10_000 })));
  for (let i = 0; i < lines.length; i += 2) {
    ok(lines[i].startsWith('in ') && lines[i + 1] === `out ${lines[i].slice(3)}`, `section ${i / 2} is whole: ${lines[i]}, ${lines[i + 1]}`);
  }
  await rejects(log.get({ timeout: 0 }), QueueEmptyError, 'nothing more was logged');
});

define('RLock: a worker enters three times and leaves as often; then the parent takes it', ['K06', 'K07'], async (ctx) => {
  const pool = ctx.pool({ processes: 1 });
  const r = new ctx.sync.RLock();
  equal(await call(pool, 'rlockReenter', [r, 3]), 3);
  equal(await r.acquire({ timeout: 10_000 }), true, 'free once the worker released every level');
  equal(await r.acquire({ timeout: 0 }), true, 'and the parent re-enters too');
  r.release();
  r.release();
});

define('Semaphore: a worker\'s acquire(t) at zero gives false; releases in the parent and in a worker let acquires in', ['S04', 'S07'], async (ctx) => {
  const pool = ctx.pool({ processes: 1 });
  const sem = new ctx.sync.Semaphore(0);
  equal(await call(pool, 'semAcquire', [sem, 50]), false);
  const waiting = call(pool, 'semAcquire', [sem, 20_000]);
  sem.release();
  equal(await waiting, true, 'the parent\'s release let the worker in');
  equal(await call(pool, 'semRelease', [sem, 2]), 'released');
  equal(await sem.acquire({ timeout: 10_000 }), true);
  equal(await sem.acquire({ timeout: 10_000 }), true, 'a worker\'s release(2) counts twice');
  equal(await sem.acquire({ timeout: 0 }), false, 'and no more');
});

define('Event: wait(t) false while unset; a set in the parent wakes a worker; a worker\'s set reaches the parent even when its task then throws', ['E01', 'E02', 'E04'], async (ctx) => {
  const pool = ctx.pool({ processes: 1 });
  const ev = new ctx.sync.Event();
  equal(await call(pool, 'eventWait', [ev, 50]), false);
  const waiting = call(pool, 'eventWait', [ev, 20_000]);
  ev.set();
  equal(await waiting, true);
  ev.clear();
  equal(await ev.wait({ timeout: 0 }), false, 'clear() took effect');
  await rejects(call(pool, 'eventSetThenThrow', [ev]), RangeError);
  equal(await ev.wait({ timeout: 10_000 }), true, 'the set before the throw arrived');
});

define('Condition: a worker waiting under the lock wakes on the parent\'s notifyAll; with no notify, wait(t) gives false', ['C03', 'C06'], async (ctx) => {
  const pool = ctx.pool({ processes: 1 });
  const cond = new ctx.sync.Condition();
  const inside = new ctx.sync.Semaphore(0);
  const waiting = call(pool, 'condWait', [cond, inside, 20_000]);
  // The worker holds the lock when it signals, so the parent's withLock runs only once it waits.
  equal(await inside.acquire({ timeout: 20_000 }), true, 'the worker is inside');
  await cond.withLock(() => cond.notifyAll());
  equal(await waiting, true, 'notified');
  equal(await call(pool, 'condWait', [cond, inside, 50]), false, 'no notify: false after the timeout');
  equal(await cond.acquire({ timeout: 10_000 }), true, 'the worker released the lock after its wait');
  cond.release();
});

define('Barrier: the parent and two workers get the indices 0, 1 and 2; a wait that times out breaks it', ['B02', 'B08'], async (ctx) => {
  const pool = ctx.pool({ processes: 2 });
  const b = new ctx.sync.Barrier(3);
  equal(b.parties, 3);
  const got = await Promise.all([call(pool, 'barrierWait', [b, 20_000]), call(pool, 'barrierWait', [b, 20_000]), b.wait({ timeout: 20_000 })]);
  deepEqual([...got].sort(), [0, 1, 2]);
  const lone = new ctx.sync.Barrier(2);
  await rejects(call(pool, 'barrierWait', [lone, 100]), BrokenBarrierError);
  await rejects(lone.wait({ timeout: 10_000 }), BrokenBarrierError, 'broken for everyone');
  await lone.reset();
  const again = await Promise.all([call(pool, 'barrierWait', [lone, 20_000]), lone.wait({ timeout: 20_000 })]);
  deepEqual([...again].sort(), [0, 1], 'reset() gives a working barrier');
});

define('Queue: what a worker puts arrives in order with its types; full and empty are QueueFullError and QueueEmptyError on both sides', ['Q01', 'Q03', 'Q04', 'Q13'], async (ctx) => {
  const pool = ctx.pool({ processes: 1 });
  const q = new ctx.sync.Queue();
  await call(pool, 'queuePutRange', [q, 0, 20]);
  const got: unknown[] = [];
  for (let i = 0; i < 20; i++) got.push(await q.get({ timeout: 10_000 }));
  deepEqual(got, Array.from({ length: 20 }, (_, i) => i));
  const item = { when: new Date(5), big: 2n ** 70n, map: new Map([['k', new Set([1, -0])]]), bytes: new Uint8Array([1, 2]), nan: Number.NaN };
  await q.put(item);
  deepEqual(await call(pool, 'queueGetN', [q, 1]), [item], 'a worker got the parent\'s item as it was');
  const one = new ctx.sync.Queue(1);
  await one.put('a');
  await rejects(Promise.resolve(one.put('b', { timeout: 50 })), QueueFullError);
  equal(await one.get(), 'a');
  await rejects(one.get({ timeout: 50 }), QueueEmptyError);
  await rejects(call(pool, 'queueGet', [one, 50]), QueueEmptyError, 'in a worker too');
});

define('SimpleQueue: a worker\'s puts arrive in order', ['Q15'], async (ctx) => {
  const pool = ctx.pool({ processes: 1 });
  const q = new ctx.sync.SimpleQueue();
  await call(pool, 'queuePutRange', [q, 5, 3]);
  deepEqual([await q.get(), await q.get(), await q.get()], [5, 6, 7]);
});

define('JoinableQueue: join() resolves once two workers called taskDone() for every item', ['Q18', 'Q19'], async (ctx) => {
  const pool = ctx.pool({ processes: 2 });
  const q = new ctx.sync.JoinableQueue();
  for (let i = 1; i <= 6; i++) await q.put(i);
  const work = [call(pool, 'joinableWork', [q, 3, 1]), call(pool, 'joinableWork', [q, 3, 1])];
  await q.join();
  const sums = (await Promise.all(work)) as number[];
  equal(sums[0] + sums[1], 21, 'every item was taken once');
});

define('Value: increments by the parent and two workers, each under a Lock, are never lost', ['V04'], async (ctx) => {
  const pool = ctx.pool({ processes: 2 });
  const v = new ctx.sync.Value('int32', 0);
  const lock = new ctx.sync.Lock();
  const parent = (async () => {
    for (let i = 0; i < 10; i++) await lock.withLock(async () => v.set(Number(await v.get()) + 1));
  })();
  await Promise.all([call(pool, 'valueAddLocked', [v, lock, 20]), call(pool, 'valueAddLocked', [v, lock, 20]), parent]);
  equal(Number(await v.get()), 50);
}, { requires: ['sharedMemory'] });

define('primitives inside Maps and nested data, in initargs and in Process args work in the worker', ['DESIGN:sync', 'L04', 'P01'], async (ctx) => {
  const ev = new ctx.sync.Event();
  const q = new ctx.sync.Queue();
  const lock = new ctx.sync.Lock();
  equal(await call(ctx.pool({ processes: 1 }), 'nestedPrimitives', [{ deep: { list: [ev, { q }] }, map: new Map([['l', lock]]) }]), 'free');
  equal(await ev.wait({ timeout: 10_000 }), true);
  equal(await q.get({ timeout: 10_000 }), 7);

  const iq = new ctx.sync.Queue();
  const iev = new ctx.sync.Event();
  const pool = ctx.pool({ processes: 1, initializer: 'initWithPrimitives', initargs: [iq, iev] as never });
  equal(await call(pool, 'useInitPrimitives', ['x']), true);
  equal(await iq.get({ timeout: 10_000 }), 'x');
  equal(await iev.wait({ timeout: 10_000 }), true);

  const pev = new ctx.sync.Event();
  const p = ctx.process({ target: 'targetUsePrimitives', args: [lock, pev, q] as never });
  p.start();
  await p.join();
  equal(p.exitCode, 0);
  equal(await q.get({ timeout: 10_000 }), 'inside');
  equal(await pev.wait({ timeout: 0 }), true);
});
