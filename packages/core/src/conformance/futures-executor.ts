/**
 * Executors and futures (Python's concurrent.futures) on every adapter:
 * SEMANTICS §15 F01–F19, from CPython's Lib/test/test_concurrent_futures
 * (test_future.py, executor.py, test_shutdown.py, test_process_pool.py,
 * test_init.py, test_deadlock.py), with `wait`/`asCompleted` taking futures.
 */
import { BrokenPoolError, CancelledError, PoolClosedError, TimeoutError, UnknownTaskError, WorkerExitedError } from '../errors.js';
import { asCompleted } from '../futures/as-completed.js';
import type { Executor } from '../futures/executor.js';
import { Future } from '../futures/future.js';
import { wait } from '../futures/wait.js';
import { deepEqual, equal, ok, rejects, reportedDuring, throws, until } from './assert.js';
import type { Fixtures } from './context.js';
import { area } from './define.js';

const { cases, define } = area('Futures: executors');
export { cases as futuresExecutorCases };

async function collect<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}

/**
 * Makes a one-worker executor busy with a long task, so what is submitted next
 * is not started. Returns the running future in an object: an async function
 * returning a future itself would wait for it (a future is PromiseLike).
 */
async function busy(ex: Executor<Fixtures>, ms: number): Promise<{ running: Future<unknown> }> {
  const running = ex.submit('sleep', [ms, 'first']);
  await until(() => running.running(), 'the first future to run');
  return { running };
}

define('submit() returns a Future: result(), await and exception() give the outcome; a task error keeps its class', ['F01', 'F03'], async (ctx) => {
  const ex = ctx.executor();
  const f = ex.submit('square', [7]);
  ok(f instanceof Future);
  equal(await f.result(), 49);
  equal(await f, 49, 'a Future is PromiseLike');
  equal(await f.exception(), null, 'exception() is null after success');
  ok(f.done() && !f.cancelled() && !f.running());
  const bad = ex.submit('throwType', ['boom']);
  const e = await rejects(bad.result(), TypeError);
  equal(e.message, 'boom');
  equal(await bad.exception(), e, 'exception() gives the same error, without rejecting');
  ok(bad.done() && !bad.cancelled());
  await rejects(ex.submit('toString' as never, []).result(), UnknownTaskError, 'an Object.prototype key is not a task');
  await rejects(ex.submit('__proto__' as never, []).result(), UnknownTaskError);
});

define('result()/exception() with a timeout reject with TimeoutError while it runs, and the task goes on; timeout 0 does not wait', ['F03'], async (ctx) => {
  const ex = ctx.executor();
  const f = ex.submit('sleep', [1_500, 'v']);
  await rejects(f.result({ timeout: 30 }), TimeoutError);
  await rejects(f.result({ timeout: 0 }), TimeoutError);
  await rejects(f.exception({ timeout: 30 }), TimeoutError);
  equal(await f.result({ timeout: Infinity }), 'v');
  equal(await f.result({ timeout: 0 }), 'v', 'done: timeout 0 gives the value');
  equal(await f.exception({ timeout: 0 }), null);
});

define('cancel(): true for a queued future, which never runs and rejects with CancelledError; false once running or finished, whose outcome stays', ['F04', 'F03', 'F06'], async (ctx) => {
  const ex = ctx.executor({ maxWorkers: 1 });
  // The worker's mark (module state; shared by all workers where globals are not isolated) starts known.
  await ex.submit('setMark', ['cancel case']);
  const { running: first } = await busy(ex, 1_000);
  const queued = ex.submit('setMark', ['ran']);
  ok(!queued.running() && !queued.done(), 'queued');
  equal(first.cancel(), false, 'a running future cannot be cancelled');
  ok(first.running() && !first.cancelled());
  equal(queued.cancel(), true);
  equal(queued.cancel(), true, 'cancelling again is still true');
  ok(queued.cancelled() && queued.done() && !queued.running());
  await rejects(queued.result(), CancelledError);
  await rejects(queued.exception(), CancelledError);
  await rejects(queued, CancelledError, 'await rejects too');
  equal(await first, 'first');
  equal(first.cancel(), false, 'a finished future cannot be cancelled');
  equal(await first.result(), 'first', 'and keeps its value');
  equal(await ex.submit('getMark', []), 'cancel case', 'the cancelled task never ran');
}, { requires: ['stableWorkers'] });

define('a warm executor: futures sent ahead behind a running task can still be cancelled; they never run and no worker is killed', ['F04', 'DESIGN:Executors'], async (ctx) => {
  const ex = ctx.executor({ maxWorkers: 1 });
  // Many quick tasks first: the pool measures them as short and then sends tasks ahead to a busy worker.
  await Promise.all(Array.from({ length: 300 }, (_, i) => ex.submit('square', [i])));
  await ex.submit('setMark', ['warm case']);
  const pids = ex.pids;
  const { running: long } = await busy(ex, 800);
  const ahead = Array.from({ length: 4 }, () => ex.submit('setMark', ['ran']));
  // Let the pool dispatch them (it does so in a microtask after submit): they go ahead to the busy worker.
  await ctx.sleep(0);
  for (const f of ahead) equal(f.cancel(), true, 'not started: cancellable');
  equal(await long, 'first');
  equal(await ex.submit('getMark', []), 'warm case', 'none of them ran');
  deepEqual(ex.pids, pids, 'the worker was not replaced');
}, { requires: ['stableWorkers'] });

define('addDoneCallback(): once done (a value, an error, a cancel), at once if already done, in the order added; one that throws is reported and the rest run', ['F05'], async (ctx) => {
  const ex = ctx.executor({ maxWorkers: 1 });
  const calls: string[] = [];
  const reported = await reportedDuring('done callback bug', async () => {
    const f = ex.submit('sleep', [100, 'v']);
    f.addDoneCallback((d) => calls.push(`a ${d.done()} ${d === f}`));
    f.addDoneCallback(() => {
      throw new Error('done callback bug');
    });
    f.addDoneCallback(() => calls.push('c'));
    await f;
  });
  deepEqual(calls, ['a true true', 'c']);
  ok(reported >= 1, 'the throwing callback was reported');
  const done = ex.submit('square', [2]);
  await done;
  let now = false;
  done.addDoneCallback(() => {
    now = true;
  });
  ok(now, 'runs at once when already done');
  const bad = ex.submit('throwType', ['x']);
  let seen: Future<never> | undefined;
  bad.addDoneCallback((d) => {
    seen = d;
  });
  await bad.exception();
  equal(seen, bad, 'runs after an error');
  const { running: first } = await busy(ex, 500);
  const queued = ex.submit('square', [1]);
  let cancelled = false;
  queued.addDoneCallback((d) => {
    cancelled = d.cancelled();
  });
  ok(queued.cancel());
  ok(cancelled, 'runs on cancel, by the time cancel() returns');
  await first;
});

define('map(): results in input order; a task error is thrown at its place after the earlier results, and ends the map', ['F07'], async (ctx) => {
  const ex = ctx.executor();
  const xs = Array.from({ length: 20 }, (_, i) => i);
  deepEqual(await collect(ex.map('square', xs)), xs.map((x) => x * x));
  const got: number[] = [];
  const it = ex.map('failOn', [0, 1, 2, 3], { chunksize: 1 });
  const e = await rejects(
    (async () => {
      for await (const r of it) got.push(r);
    })(),
    RangeError,
  );
  equal(e.message, 'bad 2');
  deepEqual(got, [0, 1], 'the results before it');
  deepEqual(await it.next(), { done: true, value: undefined }, 'the map has ended');
  deepEqual(await collect(ex.map('square', [])), [], 'an empty input');
});

define('map(): every item is submitted at the call, even when the iterator is never read', ['F07'], async (ctx) => {
  const ex = ctx.executor({ maxWorkers: 1 });
  await ex.submit('setMark', ['before']);
  ex.map('setMark', ['from the map']);
  equal(await ex.submit('getMark', []), 'from the map');
}, { requires: ['stableWorkers'] });

define('map(): its timeout counts from the call for the whole map: TimeoutError after the results ready in time, then it ends', ['F08'], async (ctx) => {
  const ex = ctx.executor({ maxWorkers: 2 });
  await ex.ready();
  const it = ex.map('sleep', [0, 0, 60_000], { timeout: 2_000, chunksize: 1 });
  const got: unknown[] = [];
  await rejects(
    (async () => {
      for await (const r of it) got.push(r);
    })(),
    TimeoutError,
  );
  deepEqual(got, [undefined, undefined], 'the results already yielded stand');
  deepEqual(await it.next(), { done: true, value: undefined });
});

define('map(): chunksize 6, 40 or 50 and any buffersize give the same list; a buffersize reads an endless input as it goes', ['F09', 'F07'], async (ctx) => {
  const ex = ctx.executor();
  const xs = Array.from({ length: 100 }, (_, i) => i);
  const squares = xs.map((x) => x * x);
  for (const chunksize of [6, 40, 50]) deepEqual(await collect(ex.map('square', xs, { chunksize })), squares, `chunksize ${chunksize}`);
  deepEqual(await collect(ex.map('square', xs, { buffersize: 2, chunksize: 3 })), squares, 'buffersize 2');
  function* naturals(): Generator<number> {
    for (let i = 0; ; i++) yield i;
  }
  const first: number[] = [];
  for await (const r of ex.map('square', naturals(), { buffersize: 4 })) {
    first.push(r);
    if (first.length === 10) break;
  }
  deepEqual(first, squares.slice(0, 10));
  async function* slowly(): AsyncGenerator<number> {
    for (const x of [1, 2, 3]) yield x;
  }
  deepEqual(await collect(ex.map('square', slowly())), [1, 4, 9], 'an async iterable');
});

define('shutdown(): waits for running and queued work; submit and map then throw PoolClosedError; twice is fine', ['F13'], async (ctx) => {
  const ex = ctx.executor({ maxWorkers: 1 });
  const a = ex.submit('sleep', [300, 'a']);
  const b = ex.submit('square', [3]);
  await ex.shutdown();
  ok(a.done() && b.done(), 'all done when it resolves');
  equal(await a, 'a');
  equal(await b, 9);
  throws(() => ex.submit('square', [1]), PoolClosedError);
  throws(() => ex.map('square', [1]), PoolClosedError);
  await ex.shutdown();
  await ex.shutdown({ wait: false });
  deepEqual(ex.pids, [], 'the workers have exited');
});

define('shutdown({ cancelFutures: true, wait: false }): cancels what has not started, at the call; the running one finishes', ['F14'], async (ctx) => {
  const ex = ctx.executor({ maxWorkers: 1 });
  const { running } = await busy(ex, 500);
  const queued = [1, 2, 3].map((x) => ex.submit('square', [x]));
  const chunks = ex.map('square', [4, 5, 6], { chunksize: 1 });
  const shut = ex.shutdown({ cancelFutures: true, wait: false });
  ok(queued.every((f) => f.cancelled()), 'the queued futures are cancelled');
  ok(!running.done(), 'wait: false returns at once');
  await shut;
  await rejects(chunks.next(), CancelledError, 'the map throws where its chunks were cancelled');
  equal(await running, 'first');
});

define('shutdown() stops a map with a buffersize from reading more input: it throws PoolClosedError where the input was cut', ['F13', 'DESIGN:Executors'], async (ctx) => {
  const ex = ctx.executor({ maxWorkers: 1 });
  function* naturals(): Generator<number> {
    for (let i = 0; ; i++) yield i;
  }
  const it = ex.map('square', naturals(), { buffersize: 2, chunksize: 1 });
  await ex.shutdown();
  deepEqual(await it.next(), { done: false, value: 0 });
  deepEqual(await it.next(), { done: false, value: 1 });
  await rejects(it.next(), PoolClosedError);
});

define('await using shuts down with wait: every submitted future completes (not terminate, as Pool does)', ['F15'], async (ctx) => {
  let f: Future<unknown>;
  {
    await using ex = ctx.executor({ maxWorkers: 1 });
    f = ex.submit('sleep', [200, 'done']);
  }
  ok(f.done(), 'done when the block is left');
  equal(await f, 'done');
});

define('a future whose worker dies rejects with WorkerExitedError; the other futures and later submits are fine', ['F16', 'F18', 'DO-BETTER'], async (ctx) => {
  const ex = ctx.executor({ maxWorkers: 2 });
  const dying = ex.submit('exitWith', [3]);
  const others = [1, 2, 3].map((x) => ex.submit('square', [x]));
  await rejects(dying.result(), WorkerExitedError);
  ok(dying.done() && !dying.cancelled());
  deepEqual(await Promise.all(others), [1, 4, 9]);
  equal(await ex.submit('square', [5]), 25, 'the executor goes on');
});

define('a failing initializer: futures reject with BrokenPoolError, and submit then throws it', ['F17'], async (ctx) => {
  const ex = ctx.executor({ initializer: 'initFails' });
  const f = ex.submit('square', [2]);
  await rejects(f.result(), BrokenPoolError);
  throws(() => ex.submit('square', [3]), BrokenPoolError);
  await rejects(ex.ready(), BrokenPoolError);
});

define('maxTasksPerChild replaces the worker after N tasks: pids a, a, b, b', ['F19'], async (ctx) => {
  const ex = ctx.executor({ maxWorkers: 1, maxTasksPerChild: 2 });
  const pids: number[] = [];
  for (let i = 0; i < 4; i++) pids.push((await ex.submit('whoAmI', [])).pid);
  equal(pids[0], pids[1]);
  equal(pids[2], pids[3]);
  ok(pids[1] !== pids[2], `a new worker after two tasks (${pids})`);
}, { requires: ['stableWorkers'] });

define('wait() and asCompleted() take futures and AsyncResults together; a cancelled future counts as done, not as failed', ['F10', 'F11', 'F12'], async (ctx) => {
  const ex = ctx.executor({ maxWorkers: 2 });
  const pool = ctx.pool({ processes: 1 });
  const blocked = ctx.executor({ maxWorkers: 1 });
  const { running: blocker } = await busy(blocked, 1_000);
  const cancelled = blocked.submit('square', [1]);
  ok(cancelled.cancel());
  const quick = ex.submit('square', [3]);
  const r = pool.applyAsync('square', [4]);
  await quick;
  await r;
  const slow = ex.submit('sleep', [3_000, 'slow']);
  const first = await wait([slow, cancelled], { returnWhen: 'FIRST_COMPLETED' });
  deepEqual([...first.done], [cancelled], 'a cancelled future is done');
  const bad = ex.submit('throwType', ['x']);
  const onFailure = await wait([cancelled, slow, bad], { returnWhen: 'FIRST_EXCEPTION' });
  ok(onFailure.done.has(bad) && onFailure.notDone.has(slow), 'returns at the failure, not at the cancel');
  const order: unknown[] = [];
  const e = await rejects(
    (async () => {
      for await (const f of asCompleted([cancelled, quick, r, slow, quick], { timeout: 0 })) order.push(f);
    })(),
    TimeoutError,
  );
  deepEqual(order, [cancelled, quick, r], 'the done ones, each once');
  equal(e.message, '1 (of 4) futures unfinished');
  await blocker;
  equal(await slow, 'slow', 'neither cancels');
});

define('bad arguments fail at once with a precise error and leave the executor healthy', ['F02', 'F09', 'DESIGN:Conventions'], async (ctx) => {
  throws(() => ctx.executor({ maxWorkers: 0 }), RangeError);
  throws(() => ctx.executor({ maxWorkers: -1 }), RangeError);
  throws(() => ctx.executor({ maxWorkers: 1.5 }), TypeError);
  throws(() => ctx.executor({ maxWorkers: Infinity }), TypeError);
  const ex = ctx.executor();
  throws(() => ex.submit(42 as never, []), TypeError);
  throws(() => ex.submit('square', 3 as never), TypeError);
  throws(() => ex.submit('square', [1], { timeout: -1 }), RangeError);
  throws(() => ex.submit('square', [1], 'fast' as never), TypeError);
  throws(() => ex.map('square', 5 as never), TypeError);
  throws(() => ex.map('square', [1], { chunksize: 0 }), RangeError);
  throws(() => ex.map('square', [1], { buffersize: 0 }), RangeError);
  throws(() => ex.map('square', [1], { timeout: -1 }), RangeError);
  throws(() => ex.map('square', [1], { timeout: Number.NaN }), TypeError);
  throws(() => ex.shutdown({ wait: 'yes' as never }), TypeError);
  const f = ex.submit('square', [2]);
  throws(() => f.result({ timeout: -1 }), RangeError);
  throws(() => f.result({ timeout: Number.NaN }), TypeError);
  throws(() => f.exception({ timeout: -5 }), RangeError);
  throws(() => f.addDoneCallback('later' as never), TypeError);
  throws(() => wait([f, 42 as never]), TypeError);
  throws(() => wait([f], { returnWhen: 'SOON' as never }), TypeError);
  throws(() => wait([f], { timeout: -1 }), RangeError);
  throws(() => asCompleted([{} as never]), TypeError);
  equal(await f, 4);
  equal(await ex.submit('square', [3]), 9, 'still healthy');
});

define('a future never causes an unhandled rejection by itself (failed, cancelled, or its executor terminated)', ['DESIGN:Executors'], async (ctx) => {
  const unhandled: unknown[] = [];
  const g = globalThis as { process?: { on(e: string, f: (r: unknown) => void): void; off(e: string, f: (r: unknown) => void): void }; addEventListener?: (e: string, f: (ev: { reason: unknown }) => void) => void; removeEventListener?: (e: string, f: (ev: { reason: unknown }) => void) => void };
  const onNode = (reason: unknown) => unhandled.push(reason);
  const onWeb = (ev: { reason: unknown }) => unhandled.push(ev.reason);
  if (g.process?.on) g.process.on('unhandledRejection', onNode);
  else g.addEventListener?.('unhandledrejection', onWeb);
  try {
    const ex = ctx.executor({ maxWorkers: 1 });
    ex.submit('throwType', ['ignored']);
    const { running } = await busy(ex, 200);
    ex.submit('square', [1]).cancel();
    ex.submit('square', [2]).result({ timeout: 5_000 }).catch(() => undefined);
    await running;
    const other = ctx.executor({ maxWorkers: 1 });
    other.submit('sleep', [5_000]);
    await other.terminateWorkers();
    await ctx.sleep(50);
  } finally {
    if (g.process?.off) g.process.off('unhandledRejection', onNode);
    else g.removeEventListener?.('unhandledrejection', onWeb);
  }
  equal(unhandled.length, 0);
});
