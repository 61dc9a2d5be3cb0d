/**
 * Queue, SimpleQueue and JoinableQueue shared by the parent and its workers
 * (SEMANTICS §6 Q), including primitives travelling as items and a worker
 * dying in the middle of a put.
 */
import { EncodingError, QueueEmptyError, QueueFullError, StateError, WorkerExitedError } from '../errors.js';
import { now } from '../util/now.js';
import { Event } from '../sync/event.js';
import { JoinableQueue } from '../sync/joinable-queue.js';
import { Lock } from '../sync/lock.js';
import { Queue } from '../sync/queue.js';
import { SimpleQueue } from '../sync/simple-queue.js';
import { deepEqual, equal, ok, rejects, throws } from './assert.js';
import { area } from './define.js';

const { cases, define } = area('Queue');
export { cases as queueCases };

/** Timeouts past setTimeout's 2³¹−1 ms limit, which it would fire after 1 ms (issue #9). */
const LONG_TIMEOUTS = [Infinity, 2 ** 31, 1e10];

define('an empty queue: getNowait throws QueueEmptyError; get with 0 or a negative timeout rejects at once, with t after about t', ['Q04', 'X01'], async () => {
  const q = new Queue<number>();
  equal(q.empty(), true);
  equal(q.qsize(), 0);
  throws(() => q.getNowait(), QueueEmptyError);
  await rejects(q.get({ timeout: 0 }), QueueEmptyError);
  await rejects(q.get({ timeout: -1 }), QueueEmptyError);
  const t0 = now();
  await rejects(q.get({ timeout: 60 }), QueueEmptyError);
  ok(now() - t0 >= 45, 'waited about the timeout');
});

define('a bounded queue: full after maxsize puts; putNowait and put with 0 throw QueueFullError; with t after about t; a get makes room', ['Q03', 'Q05', 'Q06'], async () => {
  const q = new Queue<number>(3);
  equal(q.maxsize, 3);
  for (let i = 0; i < 3; i++) {
    equal(q.qsize(), i);
    await q.put(i);
  }
  equal(q.full(), true);
  equal(q.empty(), false);
  throws(() => q.putNowait(9), QueueFullError);
  await rejects(q.put(9, { timeout: 0 }), QueueFullError);
  const t0 = now();
  await rejects(q.put(9, { timeout: 60 }), QueueFullError);
  ok(now() - t0 >= 45, 'waited about the timeout');
  equal(q.getNowait(), 0);
  equal(q.full(), false);
  q.putNowait(3);
  deepEqual([q.getNowait(), q.getNowait(), q.getNowait()], [1, 2, 3]);
  equal(q.empty(), true);
  for (const unbounded of [new Queue(0), new Queue(-1)]) {
    for (let i = 0; i < 100; i++) unbounded.putNowait(i);
    equal(unbounded.full(), false);
  }
  throws(() => new Queue(1.5), TypeError);
});

define('an item that cannot cross fails the put at once with EncodingError and takes no slot, in the parent and in a worker', ['Q08', 'X05'], async (ctx) => {
  const q = new Queue<unknown>(1);
  throws(() => q.putNowait(() => 1), EncodingError);
  await rejects(q.put({ f: Symbol('x') }), EncodingError);
  // Pages without cross-origin isolation have no SharedArrayBuffer to try.
  if (typeof SharedArrayBuffer === 'function') throws(() => q.putNowait(new SharedArrayBuffer(4)), EncodingError);
  equal(q.qsize(), 0);
  const pool = ctx.pool({ processes: 1 });
  equal(await pool.apply('queuePutUncloneable', [q]), 'EncodingError');
  equal(q.qsize(), 0, 'nothing landed');
  q.putNowait('fine');
  equal(q.getNowait(), 'fine');
});

define('an item with an own key named __proto__ comes out with that key, its prototype untouched, from the parent and from a worker', ['Q01', 'DO-BETTER'], async (ctx) => {
  const q = new Queue<unknown>();
  const check = (out: unknown, where: string): void => {
    equal(Object.getPrototypeOf(out), Object.prototype, `${where}: the prototype is still Object.prototype`);
    equal((out as { polluted?: unknown }).polluted, undefined, `${where}: nothing came through a prototype`);
    ok(Object.hasOwn(out as object, '__proto__'), `${where}: __proto__ is an own key`);
    deepEqual(Object.getOwnPropertyDescriptor(out, '__proto__')?.value, { polluted: true }, `${where}: with its value`);
  };
  await q.put(JSON.parse('{"__proto__": {"polluted": true}, "n": 1}'));
  check(await q.get(), 'put in the parent');
  const pool = ctx.pool({ processes: 1 });
  await pool.apply('queuePut', [q, JSON.parse('{"__proto__": {"polluted": true}}')]);
  check(await q.get(), 'put in a worker');
});

define('close(): this agent\'s puts and gets throw StateError; qsize and empty still answer; closing twice is fine', ['Q09', 'Q10'], async () => {
  const q = new Queue<number>();
  q.putNowait(1);
  q.close();
  q.close();
  throws(() => q.putNowait(2), StateError);
  throws(() => q.getNowait(), StateError);
  await rejects(q.put(2), StateError);
  await rejects(q.get(), StateError);
  equal(q.qsize(), 1);
  equal(q.empty(), false);
});

define('closing a queue in the parent does not close it for a worker', ['Q09'], async (ctx) => {
  const pool = ctx.pool({ processes: 1 });
  const q = new Queue<number>();
  q.close();
  await pool.apply('queuePutRange', [q, 0, 3]);
  equal(q.qsize(), 3);
}, { requires: ['isolatedGlobals'] });

define('FIFO: items a worker puts arrive in order, after the ones already there', ['Q01', 'Q02'], async (ctx) => {
  const pool = ctx.pool({ processes: 1 });
  const q = new Queue<number>();
  for (let i = 0; i < 10; i++) await q.put(i);
  await pool.apply('queuePutRange', [q, 10, 90]);
  const got: number[] = [];
  for (let i = 0; i < 100; i++) got.push(await q.get({ timeout: 10_000 }));
  deepEqual(got, Array.from({ length: 100 }, (_, i) => i));
});

define('values round-trip through a worker by value: nested data, Map, Set, Date, BigInt, typed arrays, cycles, -0, NaN, 1 MiB strings', ['Q13', 'X09'], async (ctx) => {
  const pool = ctx.pool({ processes: 1 });
  const there = new Queue<unknown>();
  const back = new Queue<unknown>();
  const cyclic: { self?: unknown; n: number } = { n: 1 };
  cyclic.self = cyclic;
  const shared = { s: 'shared' };
  const items: unknown[] = [
    null, undefined, true, -0, NaN, 2 ** 53, -7, 1.5, 12345678901234567890n, -255n, 'héllo ☃ 👋', '', 'x'.repeat(1 << 20),
    [1, [2, [3]], { a: { b: [null] } }],
    new Map<unknown, unknown>([[1, 'one'], ['k', new Set([1, 2])]]),
    new Date(86_400_000),
    /ab+c/gi,
    new Uint8Array([1, 2, 3]),
    new Float64Array([0.5, -1]),
    new BigInt64Array([-1n]),
    new ArrayBuffer(3),
    new RangeError('bad'),
    cyclic,
    [shared, shared],
  ];
  const echo = pool.apply('queueEcho', [there, back, items.length]);
  for (const it of items) await there.put(it);
  equal(await echo, items.length);
  const out: unknown[] = [];
  for (let i = 0; i < items.length; i++) out.push(await back.get({ timeout: 10_000 }));
  for (let i = 0; i < 13; i++) ok(Object.is(out[i], items[i]) || (typeof items[i] === 'string' && out[i] === items[i]), `item ${i}`);
  deepEqual(out[13], items[13]);
  const m = out[14] as Map<unknown, unknown>;
  ok(m instanceof Map && m.get(1) === 'one' && (m.get('k') as Set<number>).has(2), 'Map and Set');
  ok(out[15] instanceof Date && (out[15] as Date).getTime() === 86_400_000, 'Date');
  ok(out[16] instanceof RegExp && String(out[16]) === '/ab+c/gi', 'RegExp');
  ok(out[17] instanceof Uint8Array && (out[17] as Uint8Array)[2] === 3, 'Uint8Array');
  ok(out[18] instanceof Float64Array && (out[18] as Float64Array)[1] === -1, 'Float64Array');
  ok(out[19] instanceof BigInt64Array && (out[19] as BigInt64Array)[0] === -1n, 'BigInt64Array');
  ok(out[20] instanceof ArrayBuffer && (out[20] as ArrayBuffer).byteLength === 3, 'ArrayBuffer');
  ok(out[21] instanceof RangeError && (out[21] as Error).message === 'bad', 'error');
  const c = out[22] as { self: unknown; n: number };
  ok(c.self === c && c.n === 1, 'a cycle stays a cycle');
  const pair = out[23] as unknown[];
  ok(pair[0] === pair[1], 'a shared reference stays shared');
});

define('several consumers: every item reaches exactly one of them', ['Q13'], async (ctx) => {
  const pool = ctx.pool({ processes: 2 });
  const q = new Queue<number | null>();
  const consumers = [pool.apply('queueTakeUntilNull', [q]), pool.apply('queueTakeUntilNull', [q])];
  for (let i = 0; i < 200; i++) await q.put(i);
  await q.put(null);
  await q.put(null);
  const all = (await Promise.all(consumers)).flat() as number[];
  deepEqual(all.sort((a, b) => a - b), Array.from({ length: 200 }, (_, i) => i));
});

define('producers and consumers at once: nothing lost or duplicated, each producer\'s order kept for each consumer', ['Q01', 'Q13'], async (ctx) => {
  const pool = ctx.pool({ processes: 3 });
  type Item = { tag: string; i: number; pad: string } | null;
  const q = new Queue<Item>();
  const n = 400;
  let produced = false;
  const producers = Promise.all([pool.apply('queuePutTagged', [q, 'a', n]), pool.apply('queuePutTagged', [q, 'b', n])]).then(() => (produced = true));
  const theirs = pool.apply('queueTakeUntilNull', [q]) as Promise<Item[]>;
  const mine: Item[] = [];
  while (!produced || !q.empty()) {
    try {
      mine.push(await q.get({ timeout: 20 }));
    } catch (err) {
      if (!(err instanceof QueueEmptyError)) throw err;
    }
  }
  await producers;
  await q.put(null);
  const other = await theirs;
  for (const list of [mine, other]) {
    for (const tag of ['a', 'b']) {
      const seen = list.filter((x) => x !== null && x.tag === tag).map((x) => (x as { i: number }).i);
      ok(seen.every((v, k) => k === 0 || v > seen[k - 1]), `each consumer sees ${tag}'s items in order`);
    }
  }
  const all = [...mine, ...other].filter((x) => x !== null) as { tag: string; i: number; pad: string }[];
  equal(all.length, 2 * n);
  equal(new Set(all.map((x) => `${x.tag}${x.i}`)).size, 2 * n, 'no duplicates');
  ok(all.every((x) => x.pad.length === (x.i * 37) % 700), 'every item intact');
});

define('SimpleQueue: put, get, empty, FIFO with a worker; after close, put, get and empty throw StateError', ['Q15', 'Q16'], async (ctx) => {
  const pool = ctx.pool({ processes: 1 });
  const q = new SimpleQueue<number>();
  equal(q.empty(), true);
  await pool.apply('queuePutRange', [q, 0, 2]);
  equal(q.empty(), false);
  equal(await q.get(), 0);
  equal(await q.get(), 1);
  q.put(5);
  deepEqual(await pool.apply('queueGetN', [q, 1]), [5]);
  q.close();
  q.close();
  throws(() => q.empty(), StateError);
  throws(() => q.put(1), StateError);
  await rejects(q.get(), StateError);
});

define('JoinableQueue: taskDone() too often throws StateError; join() waits for every item put to be done', ['Q17', 'Q18', 'Q19'], async (ctx) => {
  const pool = ctx.pool({ processes: 2 });
  const q = new JoinableQueue<number>();
  throws(() => q.taskDone(), StateError);
  equal(await q.join(), true, 'nothing unfinished: at once');
  await q.put(1);
  equal(q.getNowait(), 1);
  equal(await q.join({ timeout: 30 }), false, 'a get does not finish an item');
  q.taskDone();
  for (let i = 0; i < 10; i++) await q.put(i);
  const workers = [pool.apply('joinableWork', [q, 5, 5]), pool.apply('joinableWork', [q, 5, 5])];
  equal(await q.join({ timeout: 20_000 }), true);
  equal((await workers[0]) + (await workers[1]), 45);
  await rejects(pool.apply('joinableTaskDone', [q]), StateError);
});

define('primitives travel as queue items: an Event the parent puts is set by a worker; a Lock and an Event a worker makes reach the parent', ['DESIGN:sync', 'Q13'], async (ctx) => {
  const pool = ctx.pool({ processes: 1 });
  const q = new Queue<{ ev: Event }>();
  const ev = new Event();
  const setter = pool.apply('getEventAndSet', [q]);
  await q.put({ ev });
  equal(await setter, 'set');
  equal(ev.isSet(), true);
  const from = new Queue<{ lock: Lock; ev: Event }>();
  equal(await pool.apply('makePrimitivesInto', [from]), 'sent');
  const got = await from.get({ timeout: 10_000 });
  ok(got.lock instanceof Lock && got.ev instanceof Event, 'revived as instances');
  equal(await got.lock.acquire({ timeout: 0 }), false, 'the worker holds that lock');
  equal(await got.ev.wait({ timeout: 10_000 }), true, 'the worker set that event');
  got.lock.release();
  equal(await got.lock.acquire({ timeout: 0 }), true);
});

define('a primitive made in one worker reaches another through a queue', ['DESIGN:sync'], async (ctx) => {
  const pool = ctx.pool({ processes: 2 });
  const q = new Queue<{ ev: Event }>();
  const waiter = pool.apply('makeEventAndWait', [q]);
  const setter = pool.apply('getEventAndSet', [q]);
  equal(await setter, 'set');
  equal(await waiter, true);
});

define('a worker that dies while its put waits for room leaves the queue as it was', ['DESIGN:sync', 'Q12'], async (ctx) => {
  const pool = ctx.pool({ processes: 1 });
  const q = new Queue<string>(1);
  await q.put('first');
  await rejects(pool.apply('queuePutThenExit', [q, 'ghost', 3]), WorkerExitedError);
  equal(q.qsize(), 1);
  equal(await q.get(), 'first');
  await ctx.sleep(50);
  throws(() => q.getNowait(), QueueEmptyError, 'the dead put never lands');
  await q.put('next');
  equal(await pool.apply('queueGet', [q, 10_000]), 'next');
}, { requires: ['isolatedGlobals'] });

define('a Process that put a large item ends without waiting for a consumer: join, then get', ['Q12'], async (ctx) => {
  const q = new Queue<string>();
  const p = ctx.process({ target: 'targetPutBig', args: [q, 1 << 20] });
  p.start();
  await p.join();
  equal(p.exitCode, 0);
  equal((await q.get({ timeout: 10_000 })).length, 1 << 20);
});

define('getSync() and putSync() block with Atomics.wait in workers that share memory', ['D2'], async (ctx) => {
  const pool = ctx.pool({ processes: 1 });
  deepEqual(await pool.apply('queueSyncSteps', [new Queue<number>()]), [1, 'QueueEmptyError']);
}, { requires: ['sharedMemory', 'isolatedGlobals'] });

define('get, put and join with Infinity, 2**31 or 1e10 ms wait for an item, room or taskDone 300 ms later', ['Q03', 'Q04', 'Q19', 'D1'], async (ctx) => {
  const pool = ctx.pool({ processes: 3 });
  const q = new Queue<number>();
  const inParent = Promise.all(LONG_TIMEOUTS.map((timeout) => q.get({ timeout })));
  const workerQ = new Queue<number>();
  const inWorkers = Promise.all(LONG_TIMEOUTS.map((timeout) => pool.apply('queueGet', [workerQ, timeout])));
  const full = new Queue<number>(1);
  full.putNowait(0);
  const puts = Promise.all(LONG_TIMEOUTS.map((timeout, i) => full.put(i + 1, { timeout })));
  const jq = new JoinableQueue<number>();
  await jq.put(1);
  jq.getNowait();
  const joined = jq.join({ timeout: 1e10 });
  await ctx.sleep(300);
  for (let i = 0; i < 3; i++) q.putNowait(i);
  for (let i = 0; i < 3; i++) workerQ.putNowait(i);
  const drained: number[] = [];
  for (let i = 0; i < 4; i++) drained.push(await full.get({ timeout: 20_000 }));
  jq.taskDone();
  // Which waiter gets which item is not promised; each gets one.
  deepEqual((await inParent).sort(), [0, 1, 2]);
  deepEqual(((await inWorkers) as number[]).sort(), [0, 1, 2]);
  await puts;
  deepEqual(drained.sort(), [0, 1, 2, 3]);
  equal(await joined, true);
});
