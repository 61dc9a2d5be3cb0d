/**
 * `wait` and `asCompleted` (Python's concurrent.futures.wait / as_completed) over
 * `AsyncResult`s from any pool: SEMANTICS §15 F10–F12, from CPython's
 * Lib/test/test_concurrent_futures/test_wait.py and test_as_completed.py.
 */
import { TimeoutError } from '../errors.js';
import { asCompleted } from '../futures/as-completed.js';
import { wait } from '../futures/wait.js';
import { deepEqual, equal, ok, rejects, throws } from './assert.js';
import { area } from './define.js';

const { cases, define } = area('Futures: wait and asCompleted');
export { cases as futuresWaitCases };

define('wait(): ALL_COMPLETED by default, FIRST_COMPLETED counts ones already done, duplicates collapse, an empty list resolves at once', ['F12'], async (ctx) => {
  const pool = ctx.pool({ processes: 3 });
  await pool.ready();
  const a = pool.applyAsync('square', [2]);
  const b = pool.applyAsync('sleep', [200, 'b']);
  const all = await wait([a, b, a]);
  equal(all.done.size, 2, 'a and b, once each');
  equal(all.notDone.size, 0);
  ok(all.done.has(a) && all.done.has(b));
  const slow = pool.applyAsync('sleep', [1_500, 'slow']);
  const first = await wait([slow, a], { returnWhen: 'FIRST_COMPLETED' });
  deepEqual([...first.done], [a], 'the one already done');
  deepEqual([...first.notDone], [slow]);
  const empty = await wait([]);
  equal(empty.done.size + empty.notDone.size, 0);
  equal(await slow, 'slow', 'wait never cancels');
});

define('wait(): FIRST_EXCEPTION returns at the first failure (one already failed counts), else it is ALL_COMPLETED; it never rejects', ['F12'], async (ctx) => {
  const pool = ctx.pool({ processes: 3 });
  await pool.ready();
  const slow = pool.applyAsync('sleep', [3_000, 'slow']);
  const bad = pool.applyAsync('throwType', ['boom']);
  const out = await wait([slow, bad], { returnWhen: 'FIRST_EXCEPTION' });
  deepEqual([...out.done], [bad]);
  deepEqual([...out.notDone], [slow]);
  await rejects(Promise.resolve(bad.get()), TypeError, 'the failure stays with its result');
  const again = await wait([bad, slow], { returnWhen: 'FIRST_EXCEPTION' });
  ok(again.done.has(bad) && again.notDone.has(slow), 'an already-failed one counts');
  const fine = [pool.applyAsync('square', [3]), pool.applyAsync('sleep', [100, 'x'])];
  const none = await wait(fine, { returnWhen: 'FIRST_EXCEPTION' });
  equal(none.done.size, 2, 'no failure: all completed');
  await slow;
});

define('wait(): on timeout it resolves with the split so far; timeout 0 only looks', ['F12', 'F03'], async (ctx) => {
  const pool = ctx.pool({ processes: 2 });
  const quick = pool.applyAsync('square', [4]);
  await quick;
  const slow = pool.applyAsync('sleep', [3_000, 'slow']);
  const out = await wait([quick, slow], { timeout: 200 });
  deepEqual([...out.done], [quick]);
  deepEqual([...out.notDone], [slow]);
  const look = await wait([quick, slow], { timeout: 0 });
  deepEqual([...look.notDone], [slow]);
  equal(await slow, 'slow');
});

define('asCompleted(): yields the results themselves, those already done first, then in completion order, each once; failures are yielded, not thrown', ['F10'], async (ctx) => {
  const pool = ctx.pool({ processes: 3 });
  await pool.ready();
  const done = pool.applyAsync('square', [5]);
  await done;
  const late = pool.applyAsync('sleep', [2_000, 'late']);
  const early = pool.applyAsync('sleep', [100, 'early']);
  const bad = pool.applyAsync('throwType', ['boom']);
  const order: unknown[] = [];
  for await (const r of asCompleted([late, done, early, late, bad, done])) order.push(r);
  equal(order.length, 4, 'duplicates once');
  equal(order[0], done, 'the one done at the call first');
  equal(order[3], late, 'the slowest last');
  ok(order.indexOf(early) > 0 && order.indexOf(bad) > 0);
  ok(!bad.successful(), 'a failed one is yielded');
  for await (const _ of asCompleted([])) ok(false, 'an empty list yields nothing');
});

define('asCompleted(): when the timeout from the call passes it throws TimeoutError "N (of M) futures unfinished", after yielding what finished; it never cancels', ['F11'], async (ctx) => {
  const pool = ctx.pool({ processes: 2 });
  const quick = pool.applyAsync('square', [6]);
  await quick;
  const slow = pool.applyAsync('sleep', [3_000, 'slow']);
  const seen: unknown[] = [];
  const err = await rejects(
    (async () => {
      for await (const r of asCompleted([quick, slow], { timeout: 300 })) seen.push(r);
    })(),
    TimeoutError,
  );
  equal(err.message, '1 (of 2) futures unfinished');
  deepEqual(seen, [quick]);
  const zero: unknown[] = [];
  await rejects(
    (async () => {
      for await (const r of asCompleted([quick, slow], { timeout: 0 })) zero.push(r);
    })(),
    TimeoutError,
  );
  deepEqual(zero, [quick], 'timeout 0 yields what is done, then throws');
  equal(await slow, 'slow');
});

define('wait() and asCompleted() check their arguments at the call and affect nothing', ['F12', 'DESIGN:errors'], async (ctx) => {
  const pool = ctx.pool({ processes: 1 });
  const r = pool.applyAsync('square', [7]);
  const w = wait as (...a: unknown[]) => unknown;
  const c = asCompleted as (...a: unknown[]) => unknown;
  throws(() => w(42), TypeError, 'not an iterable');
  throws(() => w('abc'), TypeError, 'a string is not a list of results');
  throws(() => w([r, 1]), TypeError, 'a non-result in the list');
  throws(() => w([r], { returnWhen: 'SOMETIMES' }), TypeError, 'a bad returnWhen');
  throws(() => w([r], { timeout: -1 }), RangeError, 'a negative timeout');
  throws(() => w([r], { timeout: Number.NaN }), TypeError, 'a NaN timeout');
  throws(() => c([Promise.resolve(1)]), TypeError, 'a plain promise');
  throws(() => c([r], { timeout: -5 }), RangeError, 'a negative timeout');
  throws(() => c([r], { timeout: Number.NaN }), TypeError, 'a NaN timeout');
  equal(await r, 49, 'the result is untouched');
  equal((await wait([r], { timeout: Number.POSITIVE_INFINITY })).done.size, 1, 'Infinity is no timeout');
});
