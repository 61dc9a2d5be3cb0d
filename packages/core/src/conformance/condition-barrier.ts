/**
 * Condition and Barrier across the parent and its workers (SEMANTICS §10 C,
 * §11 B).
 */
import { BrokenBarrierError, StateError, WorkerExitedError } from '../errors.js';
import { now } from '../util/now.js';
import { Barrier } from '../sync/barrier.js';
import { Condition } from '../sync/condition.js';
import { Event } from '../sync/event.js';
import { Lock } from '../sync/lock.js';
import { Queue } from '../sync/queue.js';
import { RLock } from '../sync/rlock.js';
import { Semaphore } from '../sync/semaphore.js';
import { deepEqual, equal, ok, rejects, throws, until } from './assert.js';
import { area } from './define.js';

const { cases, define } = area('Condition and Barrier');
export { cases as conditionBarrierCases };

/** Timeouts past setTimeout's 2³¹−1 ms limit, which it would fire after 1 ms (issue #9). */
const LONG_TIMEOUTS = [Infinity, 2 ** 31, 1e10];

define('Condition: wait() and notify() without the lock throw StateError; a Lock or an RLock may back it', ['C01', 'C02'], async () => {
  const cond = new Condition();
  await rejects(cond.wait({ timeout: 0 }), StateError);
  throws(() => cond.notify(), StateError);
  throws(() => new Condition({} as never), TypeError);
  const withLock = new Condition(new Lock());
  await withLock.acquire();
  equal(await withLock.wait({ timeout: 0 }), false);
  withLock.notify();
  withLock.release();
});

define('wait(t) resolves false after t with the lock held again at its level; wait(0) at once; a notify with no waiter is not remembered', ['C06', 'C08'], async () => {
  const lock = new RLock();
  const cond = new Condition(lock);
  await cond.acquire();
  await cond.acquire();
  cond.notify();
  const t0 = now();
  equal(await cond.wait({ timeout: 60 }), false, 'the earlier notify was not remembered');
  ok(now() - t0 >= 45, 'waited about the timeout');
  equal(await cond.wait({ timeout: 0 }), false);
  lock.release();
  lock.release();
  throws(() => lock.release(), StateError, 'the two levels came back, no more');
});

define('notify(n) wakes exactly n waiters in workers; notifyAll wakes the rest', ['C03', 'C04', 'C05'], async (ctx) => {
  const pool = ctx.pool({ processes: 3 });
  const cond = new Condition();
  const inside = new Semaphore(0);
  const woke: boolean[] = [];
  const waiters = [0, 1, 2].map((i) => pool.apply('condWait', [cond, inside, 20_000]).then((r) => (woke[i] = r)));
  for (let i = 0; i < 3; i++) equal(await inside.acquire({ timeout: 20_000 }), true);
  // Taking the lock now means every waiter has released it inside wait().
  await cond.withLock(() => cond.notify(2));
  await until(() => woke.filter((w) => w === true).length >= 2, 'two waiters to wake');
  await ctx.sleep(100);
  equal(woke.filter((w) => w === true).length, 2, 'exactly two woke');
  await cond.withLock(() => cond.notifyAll());
  deepEqual(await Promise.all(waiters), [true, true, true]);
}, { requires: ['isolatedGlobals'] });

define('waitFor(predicate) checks first, resolves when a worker makes it true, and returns the last falsy value on timeout', ['C07'], async (ctx) => {
  const pool = ctx.pool({ processes: 1 });
  const cond = new Condition();
  const flag = new Event();
  await cond.acquire();
  equal(await cond.waitFor(() => 0, { timeout: 30 }), 0);
  const notifier = pool.apply('condSetAndNotify', [cond, flag]);
  equal(await cond.waitFor(() => flag.isSet(), { timeout: 20_000 }), true);
  cond.release();
  equal(await notifier, 'notified');
});

define('notify() from a worker that does not hold the lock fails that task with StateError', ['C02', 'DESIGN:sync'], async (ctx) => {
  const pool = ctx.pool({ processes: 1 });
  await rejects(pool.apply('condNotifyUnowned', [new Condition()]), StateError);
});

define('Barrier: parties, nWaiting, broken; Barrier(1) passes at once, every time; bad parties throw', ['B01', 'B10'], async () => {
  const b = new Barrier(3);
  equal(b.parties, 3);
  equal(b.nWaiting, 0);
  equal(b.broken, false);
  const one = new Barrier(1);
  equal(await one.wait(), 0);
  equal(await one.wait(), 0);
  throws(() => new Barrier(0), RangeError);
  throws(() => new Barrier(1.5), TypeError);
});

define('three parties (the parent and two workers) get distinct indices; rounds go in lockstep', ['B02', 'B03', 'B11'], async (ctx) => {
  const pool = ctx.pool({ processes: 2 });
  const b = new Barrier(3);
  const [x, y] = [pool.apply('barrierWait', [b, 20_000]), pool.apply('barrierWait', [b, 20_000])];
  const mine = await b.wait({ timeout: 20_000 });
  deepEqual([mine, await x, await y].sort(), [0, 1, 2]);
  const log = new Queue<string>();
  const rounds = 4;
  const workers = [pool.apply('barrierRounds', [b, log, 'w1', rounds]), pool.apply('barrierRounds', [b, log, 'w2', rounds])];
  for (let r = 0; r < rounds; r++) {
    await log.put(`${r}:main`);
    await b.wait({ timeout: 20_000 });
  }
  await Promise.all(workers);
  const seen: number[] = [];
  while (!log.empty()) seen.push(Number(log.getNowait().split(':')[0]));
  equal(seen.length, 3 * rounds);
  for (let i = 1; i < seen.length; i++) ok(seen[i] >= seen[i - 1], `no party ran a round ahead: ${seen.join(',')}`);
});

define('a wait that times out breaks the barrier for everyone until reset(); the constructor timeout is the default', ['B08', 'B09'], async () => {
  const b = new Barrier(2, { timeout: 60 });
  const t0 = now();
  await rejects(b.wait(), BrokenBarrierError);
  ok(now() - t0 >= 45, 'the default timeout applied');
  equal(b.broken, true);
  await rejects(b.wait({ timeout: 10_000 }), BrokenBarrierError, 'later waits fail at once');
  b.reset();
  equal(b.broken, false);
  const c = new Barrier(2);
  await rejects(c.wait({ timeout: 0 }), BrokenBarrierError);
  equal(c.broken, true);
});

define('abort() breaks the waiting worker and later waits; reset() after abort() gives a working barrier', ['B05', 'B07'], async (ctx) => {
  const pool = ctx.pool({ processes: 1 });
  const b = new Barrier(2);
  const waiting = pool.apply('barrierWait', [b, 20_000]);
  await until(() => b.nWaiting === 1, 'the worker to wait');
  b.abort();
  await rejects(waiting, BrokenBarrierError);
  await rejects(b.wait(), BrokenBarrierError);
  b.reset();
  const again = pool.apply('barrierWait', [b, 20_000]);
  deepEqual([await b.wait({ timeout: 20_000 }), await again].sort(), [0, 1]);
});

define('reset() while a worker waits: that worker gets BrokenBarrierError, the barrier stays usable', ['B06'], async (ctx) => {
  const pool = ctx.pool({ processes: 1 });
  const b = new Barrier(2);
  const waiting = pool.apply('barrierWait', [b, 20_000]);
  await until(() => b.nWaiting === 1, 'the worker to wait');
  b.reset();
  await rejects(waiting, BrokenBarrierError);
  equal(b.broken, false);
  const again = pool.apply('barrierWait', [b, 20_000]);
  deepEqual([await b.wait({ timeout: 20_000 }), await again].sort(), [0, 1]);
});

define('a party that dies while waiting breaks the barrier: the others get BrokenBarrierError at once, on every backend; reset() repairs it', ['B05', 'DESIGN:sync'], async (ctx) => {
  const pool = ctx.pool({ processes: 2 });
  const b = new Barrier(3);
  const go = new Event();
  let outcome = 'pending';
  const first = b.wait().then(
    () => (outcome = 'passed'),
    (err: unknown) => (outcome = err instanceof BrokenBarrierError ? 'broken' : String(err)),
  );
  const dying = pool.apply('barrierWaitThenExit', [b, go, 3]);
  await until(() => b.nWaiting === 2, 'the worker to arrive');
  go.set();
  await rejects(dying, WorkerExitedError);
  // A live party arriving now must not trip the barrier with a dead one (2 live of 3), nor wait for its timeout.
  const t0 = now();
  await rejects(b.wait({ timeout: 20_000 }), BrokenBarrierError, 'the barrier is broken');
  ok(now() - t0 < 10_000, 'broken at once, not by the timeout');
  await until(() => outcome !== 'pending', 'the waiting party to be released');
  equal(outcome, 'broken');
  equal(b.broken, true);
  equal(b.nWaiting, 0);
  b.reset();
  const round = [pool.apply('barrierWait', [b, 20_000]), pool.apply('barrierWait', [b, 20_000]), b.wait({ timeout: 20_000 })];
  deepEqual((await Promise.all(round)).sort(), [0, 1, 2]);
  if (outcome === 'pending') b.abort();
  await first;
}, { requires: ['isolatedGlobals'] });

define('Condition.wait and Barrier.wait with Infinity, 2**31 or 1e10 ms wait for a notify or the last party 300 ms later', ['C06', 'B02', 'D1'], async (ctx) => {
  const pool = ctx.pool({ processes: 3 });
  const cond = new Condition();
  const inside = new Semaphore(0);
  const waits = Promise.all(LONG_TIMEOUTS.map((timeout) => pool.apply('condWait', [cond, inside, timeout])));
  for (let i = 0; i < LONG_TIMEOUTS.length; i++) ok(await inside.acquire({ timeout: 20_000 }), 'a worker holds the lock and waits');
  await cond.acquire();
  const inParent = cond.wait({ timeout: 1e10 });
  await ctx.sleep(300);
  await cond.withLock(() => cond.notifyAll());
  equal(await inParent, true);
  cond.release();
  deepEqual(await waits, [true, true, true]);
  const b = new Barrier(LONG_TIMEOUTS.length * 2 + 1);
  const parties = [...LONG_TIMEOUTS.map((timeout) => b.wait({ timeout })), ...LONG_TIMEOUTS.map((timeout) => pool.apply('barrierWait', [b, timeout]))];
  await ctx.sleep(300);
  const last = await b.wait();
  const indices = [last, ...(await Promise.all(parties))].sort((x, y) => x - y);
  deepEqual(indices, [0, 1, 2, 3, 4, 5, 6]);
});
