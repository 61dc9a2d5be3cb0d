/**
 * AsyncResult: get with timeout, wait, ready/successful, callbacks, no
 * unhandled rejections of its own (SEMANTICS §4 R01–R09, L16, L17, L19).
 */
import { NotReadyError, TimeoutError } from '../errors.js';
import { equal, ok, rejects, reportedDuring, throws, until } from './assert.js';
import { area } from './define.js';

const { cases, define } = area('AsyncResult');
export { cases as asyncResultCases };

/** Timeouts past setTimeout's 2³¹−1 ms limit, which it would fire after 1 ms (issue #9). */
const LONG_TIMEOUTS = [Infinity, 2 ** 31, 1e10];

define('get({ timeout }) rejects with TimeoutError and the task goes on; a later get() returns the value; 0 and negative do not wait', ['R01', 'R02', 'X01'], async (ctx) => {
  const pool = ctx.pool();
  const r = pool.applyAsync('sleep', [2_000, 'v']);
  await rejects(r.get({ timeout: 20 }), TimeoutError);
  await rejects(r.get({ timeout: 0 }), TimeoutError);
  await rejects(r.get({ timeout: -1 }), TimeoutError);
  equal(await r.get(), 'v');
  equal(await r.get({ timeout: 0 }), 'v');
});

define('a failed result rejects with the same error object every time', ['R03'], async (ctx) => {
  const pool = ctx.pool();
  const r = pool.applyAsync('throwType', ['x']);
  const e1 = await rejects(r.get(), TypeError);
  const e2 = await rejects(r.get(), TypeError);
  equal(e1, e2);
  const e3 = await rejects(r, TypeError);
  equal(e1, e3);
});

define('wait() resolves undefined when ready or when its timeout passes', ['R04'], async (ctx) => {
  const pool = ctx.pool();
  const r = pool.applyAsync('sleep', [2_000, 1]);
  equal(await r.wait({ timeout: 10 }), undefined);
  equal(r.ready(), false);
  equal(await r.wait(), undefined);
  equal(r.ready(), true);
});

define('ready() and successful(): NotReadyError before ready, then true or false', ['R05'], async (ctx) => {
  const pool = ctx.pool();
  const r = pool.applyAsync('sleep', [50, 1]);
  equal(r.ready(), false);
  throws(() => r.successful(), NotReadyError);
  await r;
  equal(r.successful(), true);
  const bad = pool.applyAsync('throwType', ['x']);
  await bad.wait();
  equal(bad.ready(), true);
  equal(bad.successful(), false);
});

define('callback / errorCallback run once, before ready() turns true; only one of them', ['R06', 'L16', 'L17'], async (ctx) => {
  const pool = ctx.pool();
  let readyInCallback: boolean | undefined;
  const calls: string[] = [];
  const r = pool.applyAsync('square', [3], {
    callback: (v) => {
      calls.push(`ok ${v}`);
      readyInCallback = r.ready();
    },
    errorCallback: () => calls.push('err'),
  });
  await r.wait();
  equal(readyInCallback, false);
  const e = pool.applyAsync('throwType', ['boom'], { callback: () => calls.push('ok?'), errorCallback: (err) => calls.push(`err ${(err as Error).message}`) });
  await e.wait();
  equal(calls.join('|'), 'ok 9|err boom');
});

define('a callback that throws is reported and results keep being delivered', ['L19', 'DO-BETTER'], async (ctx) => {
  const pool = ctx.pool();
  const reported = await reportedDuring('callback bug', async () => {
    const r = pool.applyAsync('square', [2], {
      callback: () => {
        throw new Error('callback bug');
      },
    });
    equal(await r.get(), 4);
    equal(await pool.apply('square', [3]), 9);
  });
  ok(reported >= 1, 'the callback error was reported');
});

define('fire-and-forget applyAsync of a failing task causes no unhandled rejection', ['DESIGN:AsyncResult'], async (ctx) => {
  const pool = ctx.pool();
  const unhandled: unknown[] = [];
  const g = globalThis as { process?: { on(e: string, f: (r: unknown) => void): void; off(e: string, f: (r: unknown) => void): void }; addEventListener?: (e: string, f: (ev: { reason: unknown }) => void) => void; removeEventListener?: (e: string, f: (ev: { reason: unknown }) => void) => void };
  const onNode = (reason: unknown) => unhandled.push(reason);
  const onWeb = (ev: { reason: unknown }) => unhandled.push(ev.reason);
  if (g.process?.on) g.process.on('unhandledRejection', onNode);
  else g.addEventListener?.('unhandledrejection', onWeb);
  try {
    pool.applyAsync('throwType', ['ignored']);
    pool.mapAsync('failOn', [2]);
    await pool.apply('sleep', [50]);
    await ctx.sleep(50);
  } finally {
    if (g.process?.off) g.process.off('unhandledRejection', onNode);
    else g.removeEventListener?.('unhandledrejection', onWeb);
  }
  equal(unhandled.length, 0);
});

define('100 outstanding results, read later in order, all hold their values', ['R09'], async (ctx) => {
  const pool = ctx.pool();
  const rs = Array.from({ length: 100 }, (_, i) => pool.applyAsync('square', [i]));
  await until(() => rs.every((r) => r.ready()), 'every result to be ready');
  for (let i = 0; i < 100; i++) equal(await rs[i].get(), i * i);
});

define('get({ timeout }) and wait({ timeout }) with Infinity, 2**31 or 1e10 ms wait for a 300 ms task', ['R02', 'R04', 'D1'], async (ctx) => {
  const pool = ctx.pool({ processes: 3 });
  const got = LONG_TIMEOUTS.map((_, i) => pool.applyAsync('sleep', [300, i]));
  equal((await Promise.all(got.map((r, i) => r.get({ timeout: LONG_TIMEOUTS[i] })))).join(), '0,1,2');
  const waited = LONG_TIMEOUTS.map((_, i) => pool.applyAsync('sleep', [300, i]));
  await Promise.all(waited.map((r, i) => r.wait({ timeout: LONG_TIMEOUTS[i] })));
  ok(waited.every((r) => r.ready()), 'every wait lasted until its result was ready');
});
