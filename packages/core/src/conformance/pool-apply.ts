/**
 * Pool.apply / applyAsync: values, copies, errors crossing the boundary,
 * bad input (SEMANTICS §1 X, §3 L06, L07, L18, L20).
 */
import { EncodingError, PoolClosedError, RemoteError, UnknownTaskError } from '../errors.js';
import { Pool } from '../pool/pool.js';
import { deepEqual, equal, ok, rejects, throws } from './assert.js';
import { area } from './define.js';
import { CustomError } from './fixtures/tasks.js';

const { cases, define } = area('Pool.apply');
export { cases as poolApplyCases };

define('apply resolves with the task result; async tasks are awaited', ['L06', 'X11'], async (ctx) => {
  const pool = ctx.pool();
  equal(await pool.apply('square', [7]), 49);
  equal(await pool.apply('add', [2, 3]), 5);
  equal(await pool.apply('sleep', [10, 'v']), 'v');
});

define('arguments and results are copies: a worker mutating its argument leaves the caller\'s object alone', ['X04'], async (ctx) => {
  const pool = ctx.pool();
  const obj: { changed?: boolean } = {};
  const back = await pool.apply('mutate', [obj]);
  equal(obj.changed, undefined);
  equal(back.changed, true);
});

define('the seed pattern: applyAsync × 10, close, join, then get() each', ['L07', 'R09'], async (ctx) => {
  const pool = ctx.pool({ processes: 4 });
  const results = [];
  for (let i = 0; i < 10; i++) results.push(pool.applyAsync('withPrefix', [`hello ${i}`]));
  pool.close();
  await pool.join();
  for (let i = 0; i < 10; i++) equal(await results[i].get(), `hello ${i}`);
});

define('a built-in error comes back as its own class with message and remote stack', ['X06', 'L20'], async (ctx) => {
  const pool = ctx.pool();
  const err = await rejects(pool.apply('throwType', ['nope']), TypeError);
  equal(err.message, 'nope');
  ok(String(err.stack).includes('throwType'), 'the remote stack names the task function');
  equal(await pool.apply('square', [3]), 9, 'the worker survives a task error');
});

define('a registered error class comes back as itself with own properties, even with a constructor that needs arguments', ['X06', 'X07'], async (ctx) => {
  const pool = ctx.pool();
  const err = await rejects(pool.apply('throwCustom', ['custom', 42]), CustomError);
  equal(err.name, 'CustomError');
  equal(err.message, 'custom');
  equal(err.extra, 42);
});

define('an unknown error class becomes a RemoteError with name, message, properties and stack', ['X06', 'X07'], async (ctx) => {
  const pool = ctx.pool();
  const err = await rejects(pool.apply('throwUnregistered', []), RemoteError);
  equal(err.remoteName, 'WeirdError');
  equal(err.message, 'weird');
  equal((err as unknown as { detail: number }).detail, 5);
  ok(String(err.remoteStack).includes('throwUnregistered'));
});

define('throwing a non-Error rejects with RemoteError carrying the value; the pool survives', ['X08'], async (ctx) => {
  const pool = ctx.pool();
  equal((await rejects(pool.apply('throwValue', [42]), RemoteError)).value, 42);
  equal((await rejects(pool.apply('throwValue', [undefined]), RemoteError)).value, undefined);
  equal((await rejects(pool.apply('rejectValue', ['x']), RemoteError)).value, 'x');
  equal(await pool.apply('square', [4]), 16);
});

define('an argument that cannot be cloned rejects that call with EncodingError; the pool stays usable', ['X05'], async (ctx) => {
  const pool = ctx.pool();
  const fn = () => 1;
  await rejects(pool.apply('identity', [fn]), EncodingError);
  // Batched with good tasks: only the bad one fails.
  const [a, b, c] = await Promise.allSettled([pool.apply('square', [2]), pool.apply('identity', [{ f: fn }]), pool.apply('square', [3])]);
  deepEqual(a, { status: 'fulfilled', value: 4 });
  ok(b.status === 'rejected' && b.reason instanceof EncodingError, 'only the bad task fails');
  deepEqual(c, { status: 'fulfilled', value: 9 });
});

define('a result that cannot be cloned rejects with EncodingError, twenty times in a row, and workers stay usable', ['L18', 'L20'], async (ctx) => {
  const pool = ctx.pool();
  const all = [];
  for (let i = 0; i < 20; i++) all.push(pool.apply('returnFunction', []));
  for (const r of await Promise.allSettled(all)) ok(r.status === 'rejected' && r.reason instanceof EncodingError, 'EncodingError');
  equal(await pool.apply('square', [5]), 25);
});

define('a task name the module does not export rejects with UnknownTaskError', ['D6'], async (ctx) => {
  const pool = ctx.pool();
  await rejects(pool.apply('nope' as never, [] as never), UnknownTaskError);
  equal(await pool.apply('square', [2]), 4);
});

define('bad arguments throw TypeError/RangeError at once and leave the pool healthy', ['L02', 'L11'], async (ctx) => {
  const pool = ctx.pool();
  throws(() => pool.apply(3 as never, [] as never), TypeError);
  throws(() => pool.apply('square', 3 as never), TypeError);
  throws(() => pool.apply('square', [1], { timeout: -5 }), RangeError);
  throws(() => pool.apply('square', [1], { signal: {} as never }), TypeError);
  // A fake signal without removeEventListener would crash the parent when the task ends.
  const fake = { aborted: false, reason: undefined, addEventListener: () => {} };
  throws(() => pool.apply('square', [1], { signal: fake as never }), TypeError);
  throws(() => pool.map('square', [1], { signal: fake as never }), TypeError);
  throws(() => pool.apply('square', [1], { retries: -1 }), RangeError);
  throws(() => pool.applyAsync('square', [1], { callback: 5 as never }), TypeError);
  throws(() => pool.map('square', 5 as never), TypeError);
  throws(() => pool.map('square', [1], { chunksize: 0 }), RangeError);
  throws(() => pool.imap('square', [1], { chunksize: -1 }), RangeError);
  equal(await pool.apply('square', [6]), 36);
});

define('an option no call takes is a TypeError naming it (with the nearest name), before anything starts; the pool stays healthy', ['L02', 'DESIGN:Conventions'], async (ctx) => {
  const named = (fn: () => unknown, key: string, near: string | null): void => {
    const err = throws(fn, TypeError, `option ${key}`);
    ok(err.message.includes(`unknown option "${key}"`), `the message names ${key}: ${err.message}`);
    if (near !== null) ok(err.message.includes(`Did you mean "${near}"?`), `the message suggests ${near}: ${err.message}`);
  };
  named(() => ctx.pool({ proccesses: 2 } as never), 'proccesses', 'processes');
  named(() => ctx.pool({ retries: 1 } as never), 'retries', null);
  named(() => ctx.pool({ constructor: 1, processes: 1 } as never), 'constructor', null);
  const pool = ctx.pool({ processes: 1 });
  named(() => pool.apply('square', [1], { timout: 5 } as never), 'timout', 'timeout');
  named(() => pool.apply('square', [1], { callback: () => {} } as never), 'callback', null);
  named(() => pool.applyAsync('square', [1], { callbak: () => {} } as never), 'callbak', 'callback');
  named(() => pool.map('square', [1], { chunkSize: 2 } as never), 'chunkSize', 'chunksize');
  named(() => pool.imap('square', [1], { buffersise: 2 } as never), 'buffersise', 'buffersize');
  named(() => pool.broadcast('square', [1], { timeOut: 5 } as never), 'timeOut', 'timeout');
  named(() => pool.applyAsync('square', [1]).get({ timeuot: 5 } as never), 'timeuot', 'timeout');
  named(() => ctx.process({ target: 'targetOk', arg: [] } as never), 'arg', 'args');
  named(() => ctx.executor({ max_workers: 2 } as never), 'max_workers', 'maxWorkers');
  const ex = ctx.executor({ maxWorkers: 1 });
  named(() => ex.submit('square', [1], { retry: 1 } as never), 'retry', 'retries');
  named(() => ex.shutdown({ cancel_futures: true } as never), 'cancel_futures', 'cancelFutures');
  // An inherited key is not the caller's option: only own keys are checked.
  equal(await pool.apply('square', [3], Object.create({ stray: 1 }) as never), 9);
  equal(await pool.apply('square', [4], { timeout: 10_000 }), 16, 'the pool is healthy');
  equal(await ex.submit('square', [5]).result(), 25, 'the executor is healthy');
});

define('pool options are validated in the constructor', ['L02', 'DESIGN:sources'], async (ctx) => {
  throws(() => ctx.pool({ processes: 0 }), RangeError);
  throws(() => ctx.pool({ processes: -1 }), RangeError);
  throws(() => ctx.pool({ processes: 1.5 }), TypeError);
  for (const tooMany of [1025, 1e6]) ok(/at most 1024/.test(throws(() => ctx.pool({ processes: tooMany }), RangeError).message), 'the limit is named');
  throws(() => ctx.pool({ maxTasksPerChild: 0 }), RangeError);
  throws(() => ctx.pool({ maxTasksPerChild: '12' as never }), TypeError);
  throws(() => ctx.pool({ initializer: 5 as never }), TypeError);
  throws(() => ctx.pool({ initargs: [() => 1] }), EncodingError);
  const relative = throws(() => new Pool('./tasks.js', { adapter: ctx.adapter }), TypeError);
  ok(relative.message.includes('import.meta.url'), 'the error shows the new URL(…, import.meta.url) form');
});

define('submissions after close() throw PoolClosedError("Pool not running")', ['L21', 'I08'], async (ctx) => {
  const pool = ctx.pool();
  pool.close();
  pool.close();
  const e = throws(() => pool.apply('square', [1]), PoolClosedError);
  equal(e.message, 'Pool not running');
  throws(() => pool.applyAsync('square', [1]), PoolClosedError);
  throws(() => pool.map('square', [1]), PoolClosedError);
  throws(() => pool.mapAsync('square', [1]), PoolClosedError);
  throws(() => pool.starmap('add', [[1, 2]]), PoolClosedError);
  throws(() => pool.starmapAsync('add', [[1, 2]]), PoolClosedError);
  throws(() => pool.imap('square', [1]), PoolClosedError);
  throws(() => pool.imapUnordered('square', [1]), PoolClosedError);
  await pool.join();
});

define('a large payload crosses intact (16 MiB string result, 16 MiB buffer argument)', ['X09'], async (ctx) => {
  const pool = ctx.pool();
  const n = 16 * 1024 * 1024;
  equal((await pool.apply('bigString', [n])).length, n);
  equal(await pool.apply('byteLength', [new ArrayBuffer(n)]), n);
}, { timeout: 60_000 });

define('results are matched by id: 2,000 mixed fast and slow tasks each get their own value', ['DESIGN:dispatch', 'R09'], async (ctx) => {
  const pool = ctx.pool();
  const all = [];
  for (let i = 0; i < 2000; i++) all.push(i % 100 === 0 ? pool.apply('sleepThenSquare', [i, 5]) : pool.apply('square', [i]));
  const values = await Promise.all(all);
  deepEqual(values, Array.from({ length: 2000 }, (_, i) => i * i));
});

define('a quick task is not stranded behind a long one on a busy worker while another worker is idle', ['DESIGN:dispatch', 'L08'], async (ctx) => {
  const pool = ctx.pool({ processes: 2 });
  // Warm up so the pool measures tasks as fast and starts sending them ahead.
  await Promise.all(Array.from({ length: 400 }, (_, i) => pool.apply('square', [i])));
  const slow = pool.applyAsync('sleep', [3_000, 'slow']);
  const quick = Array.from({ length: 6 }, (_, i) => pool.apply('sleep', [10, i]));
  deepEqual(await Promise.all(quick), [0, 1, 2, 3, 4, 5]);
  equal(slow.ready(), false, 'every quick task finished while the long one still ran');
});

define('quick tasks mixed with a long synchronous one on a warm pool all settle before it ends (issue #9 defect 12)', ['DESIGN:dispatch', 'L08'], async (ctx) => {
  const pool = ctx.pool({ processes: 2 });
  // Warm: quick tasks measured, so the mix below is sent ahead in batches.
  await Promise.all(Array.from({ length: 2000 }, (_, i) => pool.apply('square', [i])));
  const order: string[] = [];
  const all: Promise<unknown>[] = [];
  for (let i = 0; i < 13; i++) {
    const p = i === 2 ? pool.apply('spin', [2_000]) : pool.apply('square', [i]);
    all.push(p.then((v) => void order.push(i === 2 ? 'long' : `q${i}`)));
  }
  await Promise.all(all);
  equal(order.length, 13);
  equal(order[12], 'long', `every quick task settled before the long one ended (order: ${order.join(' ')})`);
  // Shared memory: the worker's flag stops batches crossing its hand-back (see docs/api.md, Dispatch).
}, { requires: ['sharedMemory', 'isolatedGlobals'] });
