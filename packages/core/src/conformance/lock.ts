/**
 * Lock and RLock, shared by the parent and its workers (SEMANTICS §7 K),
 * including the rule for a lock held by a worker that dies (K10).
 */
import { StateError, WorkerExitedError } from '../errors.js';
import { now } from '../util/now.js';
import { Lock } from '../sync/lock.js';
import { Queue } from '../sync/queue.js';
import { RLock } from '../sync/rlock.js';
import { deepEqual, equal, ok, rejects, throws } from './assert.js';
import { area } from './define.js';

const { cases, define } = area('Lock and RLock');
export { cases as lockCases };

/** Timeouts past setTimeout's 2³¹−1 ms limit, which it would fire after 1 ms (issue #9). */
const LONG_TIMEOUTS = [Infinity, 2 ** 31, 1e10];

define('Lock: acquire, tryAcquire is false even for the holder, release; releasing an unlocked Lock throws StateError', ['K01', 'K04'], async () => {
  const lock = new Lock();
  equal(await lock.acquire(), true);
  equal(lock.tryAcquire(), false, 'not reentrant');
  lock.release();
  throws(() => lock.release(), StateError);
  equal(lock.tryAcquire(), true);
  lock.release();
  await rejects(lock.withLock(() => Promise.reject(new RangeError('inside'))), RangeError);
  equal(lock.tryAcquire(), true, 'withLock released on throw');
  lock.release();
  {
    await using held = await lock.hold();
    equal(lock.tryAcquire(), false);
    void held;
  }
  equal(lock.tryAcquire(), true, 'hold() released on dispose');
  lock.release();
});

define('acquire({ timeout }) resolves false after the timeout; 0 and negative timeouts do not wait', ['K03', 'X01'], async () => {
  const lock = new Lock();
  await lock.acquire();
  const t0 = now();
  equal(await lock.acquire({ timeout: 60 }), false);
  ok(now() - t0 >= 45, `waited about the timeout (${Math.round(now() - t0)} ms)`);
  equal(await lock.acquire({ timeout: 0 }), false);
  equal(await lock.acquire({ timeout: -1 }), false);
  lock.release();
  equal(await lock.acquire({ timeout: 0 }), true, 'a free lock is taken even with timeout 0');
  lock.release();
});

define('a Lock has no owner: a worker releases the parent\'s lock, the parent releases a worker\'s', ['K02'], async (ctx) => {
  const pool = ctx.pool({ processes: 1 });
  const lock = new Lock();
  await lock.acquire();
  equal(await pool.apply('lockRelease', [lock]), 'released');
  equal(lock.tryAcquire(), true, 'the worker\'s release took effect before its result arrived');
  lock.release();
  equal(await pool.apply('lockAcquire', [lock, 1000]), true);
  equal(lock.tryAcquire(), false, 'the worker holds it');
  lock.release();
  equal(lock.tryAcquire(), true);
  lock.release();
});

define('a worker waiting in acquire() wakes when the parent releases; one with a timeout gets false', ['K03', 'S07'], async (ctx) => {
  const pool = ctx.pool({ processes: 1 });
  const lock = new Lock();
  await lock.acquire();
  equal(await pool.apply('lockAcquire', [lock, 80]), false);
  const waiting = pool.apply('lockAcquire', [lock, 20_000]);
  await ctx.sleep(50);
  lock.release();
  equal(await waiting, true);
  equal(lock.tryAcquire(), false, 'now the worker holds it');
  lock.release();
});

define('critical sections never overlap across workers', ['K05'], async (ctx) => {
  const pool = ctx.pool({ processes: 2 });
  const lock = new Lock();
  const log = new Queue<string>();
  await Promise.all([pool.apply('lockCritical', [lock, log, 'a', 5]), pool.apply('lockCritical', [lock, log, 'b', 5])]);
  const lines: string[] = [];
  while (!log.empty()) lines.push(log.getNowait());
  equal(lines.length, 20);
  for (let i = 0; i < lines.length; i += 2) {
    ok(lines[i].startsWith('in ') && lines[i + 1] === `out ${lines[i].slice(3)}`, `section ${i / 2} is whole: ${lines[i]}, ${lines[i + 1]}`);
  }
});

define('releasing an unlocked Lock in a worker fails that task with StateError; the pool goes on', ['K01', 'DESIGN:sync'], async (ctx) => {
  const pool = ctx.pool({ processes: 1 });
  const lock = new Lock();
  await rejects(pool.apply('lockRelease', [lock]), StateError);
  equal(await pool.apply('square', [3]), 9);
  equal(lock.tryAcquire(), true, 'the lock is fine');
});

define('RLock: the owner re-enters and must release as often; a release too many throws StateError', ['K06', 'K07'], async () => {
  const r = new RLock();
  equal(await r.acquire(), true);
  equal(await r.acquire(), true);
  equal(r.tryAcquire(), true);
  r.release();
  r.release();
  r.release();
  throws(() => r.release(), StateError);
  const t = new RLock();
  await rejects(t.withLock(() => Promise.reject(new TypeError('x'))), TypeError);
  throws(() => t.release(), StateError, 'withLock released every level');
});

define('RLock ownership is per agent: two async flows in one agent share it (the documented hazard)', ['K09'], async () => {
  const r = new RLock();
  await r.acquire();
  const other = (async () => {
    const got = await r.acquire({ timeout: 0 });
    if (got) r.release();
    return got;
  })();
  equal(await other, true, 'another flow of the same agent re-enters');
  r.release();
  throws(() => r.release(), StateError);
});

define('RLock: another agent can neither take nor release what the parent holds', ['K06', 'K07'], async (ctx) => {
  const pool = ctx.pool({ processes: 1 });
  const r = new RLock();
  await r.acquire();
  equal(await pool.apply('lockAcquire', [r, 30]), false);
  await rejects(pool.apply('lockRelease', [r]), StateError);
  r.release();
  equal(await pool.apply('rlockReenter', [r, 3]), 3, 'a worker re-enters its own hold');
  equal(r.tryAcquire(), true);
  r.release();
}, { requires: ['isolatedGlobals'] });

define('a worker that dies holding a Lock: it stays held, acquire({ timeout }) resolves false, anyone may release it', ['K10', 'DESIGN:sync'], async (ctx) => {
  const pool = ctx.pool({ processes: 1 });
  const lock = new Lock();
  equal(await pool.apply('lockAcquire', [lock, 1000]), true);
  await rejects(pool.apply('exitWith', [3]), WorkerExitedError);
  equal(await lock.acquire({ timeout: 50 }), false, 'still held by the dead worker');
  lock.release();
  equal(await lock.acquire({ timeout: 1000 }), true, 'usable again once released');
  lock.release();
  equal(await pool.apply('lockAcquire', [lock, 1000]), true, 'the replacement worker uses it too');
});

define('a worker that dies holding an RLock: it stays held for good (only its owner could release it)', ['K10', 'K07'], async (ctx) => {
  const pool = ctx.pool({ processes: 1 });
  const r = new RLock();
  equal(await pool.apply('lockAcquire', [r, 1000]), true);
  await rejects(pool.apply('exitWith', [4]), WorkerExitedError);
  equal(await r.acquire({ timeout: 50 }), false);
  throws(() => r.release(), StateError);
  equal(await pool.apply('lockAcquire', [r, 50]), false);
}, { requires: ['isolatedGlobals'] });

define('acquireSync() blocks with Atomics.wait in workers that share memory', ['K09', 'D2'], async (ctx) => {
  const pool = ctx.pool({ processes: 1 });
  const lock = new Lock();
  const held = new RLock();
  await held.acquire();
  deepEqual(await pool.apply('lockSyncSteps', [lock, held]), [true, false, false]);
  held.release();
}, { requires: ['sharedMemory', 'isolatedGlobals'] });

define('blocking twins throw StateError naming the async form in the main thread', ['D2', 'K09'], async () => {
  const lock = new Lock();
  const e = throws(() => lock.acquireSync(), StateError);
  ok(e.message.includes('await lock.acquire()'), e.message);
  throws(() => new RLock().acquireSync(), StateError);
});

define('acquire({ timeout }) with Infinity, 2**31 or 1e10 ms waits for a release 300 ms later, in the parent and in workers', ['K03', 'D1'], async (ctx) => {
  const pool = ctx.pool({ processes: 3 });
  const locks = LONG_TIMEOUTS.map(() => new Lock());
  for (const l of locks) await l.acquire();
  const inParent = Promise.all(locks.map((l, i) => l.acquire({ timeout: LONG_TIMEOUTS[i] })));
  await ctx.sleep(300);
  for (const l of locks) l.release();
  deepEqual(await inParent, [true, true, true]);
  const rlocks = LONG_TIMEOUTS.map(() => new RLock());
  for (const l of rlocks) await l.acquire();
  const inWorkers = Promise.all(rlocks.map((l, i) => pool.apply('lockAcquire', [l, LONG_TIMEOUTS[i]])));
  await ctx.sleep(300);
  for (const l of rlocks) l.release();
  deepEqual(await inWorkers, [true, true, true]);
});

define('acquireSync({ timeout }) with Infinity, 2**31 or 1e10 ms blocks until a release 300 ms later', ['K03', 'D2', 'D1'], async (ctx) => {
  const pool = ctx.pool({ processes: 1 });
  const locks = LONG_TIMEOUTS.map(() => new Lock());
  for (const l of locks) await l.acquire();
  const inWorker = pool.apply('lockAcquireSyncEach', [locks, LONG_TIMEOUTS]);
  for (const l of locks) {
    await ctx.sleep(300);
    l.release();
  }
  deepEqual(await inWorker, [true, true, true]);
}, { requires: ['sharedMemory', 'isolatedGlobals'] });
