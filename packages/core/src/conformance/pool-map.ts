/**
 * map / starmap / mapAsync: order, chunking, no fail-fast, input errors,
 * callbacks, progress (SEMANTICS L09–L16, R07).
 */
import { deepEqual, equal, ok, rejects } from './assert.js';
import { area } from './define.js';

const { cases, define } = area('Pool.map');
export { cases as poolMapCases };

const range = (n: number) => Array.from({ length: n }, (_, i) => i);

define('map returns results in input order even when later items finish first; every chunksize gives the same list', ['L09'], async (ctx) => {
  const pool = ctx.pool({ processes: 3 });
  const pairs = range(12).map((i) => [i, (12 - i) * 4] as [number, number]);
  const expected = range(12).map((i) => i * i);
  deepEqual(await pool.starmap('sleepThenSquare', pairs), expected);
  for (const chunksize of [1, 3, 20]) deepEqual(await pool.starmap('sleepThenSquare', pairs, { chunksize }), expected, `chunksize ${chunksize}`);
});

define('map reads generators and other iterables, and async iterables', ['L10', 'DESIGN:iterables'], async (ctx) => {
  const pool = ctx.pool();
  function* gen() {
    for (let i = 0; i < 50; i++) yield i;
  }
  deepEqual(await pool.map('square', gen()), range(50).map((i) => i * i));
  deepEqual(await pool.map('square', new Set([3, 4])), [9, 16]);
  async function* agen() {
    for (let i = 0; i < 10; i++) {
      await ctx.sleep(1);
      yield i;
    }
  }
  deepEqual(await pool.map('square', agen()), range(10).map((i) => i * i));
});

define('without a chunksize, chunks are never bigger than Python\'s ceil(n / (4 × processes)); slow items go one at a time', ['L10', 'DESIGN:chunksize'], async (ctx) => {
  const pool = ctx.pool({ processes: 2 });
  // Progress is reported once per chunk, so its steps are the chunk sizes.
  const steps = (sizes: number[]) => {
    let last = 0;
    return (done: number) => {
      sizes.push(done - last);
      last = done;
    };
  };
  const quick: number[] = [];
  deepEqual(await pool.map('square', range(100), { onProgress: steps(quick) }), range(100).map((i) => i * i));
  ok(quick.length >= 8, `at least Python's 8 chunks, got ${quick.length}`);
  ok(Math.max(...quick) <= 13, `no chunk above 13 items (100 over 2 workers), got ${quick.join(',')}`);
  // 30 ms per item: a chunk of a few ms of work is one item, once measured.
  const slow: number[] = [];
  const pairs = range(40).map((i) => [i, 30] as [number, number]);
  deepEqual(await pool.starmap('sleepThenSquare', pairs, { onProgress: steps(slow) }), range(40).map((i) => i * i));
  ok(Math.max(...slow) <= 5, `no chunk above 5 items (40 over 2 workers), got ${slow.join(',')}`);
  ok(slow.filter((n) => n === 1).length >= 20, `most chunks of slow items are single items, got ${slow.join(',')}`);
  // An explicit chunksize is used as given.
  const given: number[] = [];
  await pool.map('square', range(100), { chunksize: 30, onProgress: steps(given) });
  deepEqual([...given].sort((a, b) => a - b), [10, 30, 30, 30]);
});

define('empty input gives an empty result without hanging: map, starmap, mapAsync, imap', ['L12', 'R07'], async (ctx) => {
  const pool = ctx.pool();
  deepEqual(await pool.map('square', []), []);
  deepEqual(await pool.map('square', [], { chunksize: 1 }), []);
  deepEqual(await pool.starmap('add', []), []);
  const r = pool.mapAsync('square', []);
  equal(r.ready(), true);
  deepEqual(await r.get({ timeout: 1000 }), []);
  const it = pool.imap('square', []);
  equal((await it.next()).done, true);
  equal((await pool.imapUnordered('square', []).next()).done, true);
});

define('starmap unpacks argument tuples; starmapAsync gives the same', ['L13'], async (ctx) => {
  const pool = ctx.pool();
  const pairs = range(20).map((i) => [i, i * 10] as [number, number]);
  const expected = range(20).map((i) => i * 11);
  deepEqual(await pool.starmap('add', pairs), expected);
  deepEqual(await pool.starmap('add', pairs, { chunksize: 7 }), expected);
  deepEqual(await pool.starmapAsync('add', pairs).get(), expected);
});

define('no fail-fast: map rejects with the first error by position, only after every chunk finished', ['L14', 'R07'], async (ctx) => {
  const pool = ctx.pool();
  const started = Date.now();
  let progressed = 0;
  const err = await rejects(
    pool.starmap('failAt', [[0, 1], [1, 1], [2, 1], [3, 3], [4, 1]], { chunksize: 1, onProgress: (done) => (progressed = done) }),
    RangeError,
  );
  equal(err.message, 'bad 1');
  equal(progressed, 5, 'every item ran before the rejection');
  ok(Date.now() >= started);
});

define('an input iterable that throws rejects map with that error; the pool is not poisoned', ['L15'], async (ctx) => {
  const pool = ctx.pool();
  const boom = new RangeError('input broke');
  function* bad() {
    yield 1;
    yield 2;
    throw boom;
  }
  equal(await rejects(pool.map('square', bad()), RangeError), boom);
  equal(await rejects(pool.map('square', bad()), RangeError), boom);
  deepEqual(await pool.map('square', [2, 3]), [4, 9]);
});

define('mapAsync calls callback once with the whole list, or errorCallback once with the error, never both', ['L16', 'R06'], async (ctx) => {
  const pool = ctx.pool();
  const seen: unknown[] = [];
  const good = pool.mapAsync('square', [1, 2], { callback: (v) => seen.push(['ok', v]), errorCallback: (e) => seen.push(['err', e]) });
  await good.wait();
  deepEqual(seen, [['ok', [1, 4]]]);
  const bad = pool.mapAsync('failOn', [1, 2, 3], { callback: (v) => seen.push(['ok2', v]), errorCallback: (e) => seen.push(['err2', (e as Error).message]) });
  await bad.wait();
  deepEqual(seen[1], ['err2', 'bad 2']);
  equal(seen.length, 2);
  equal(bad.successful(), false);
});

define('numbers come back as themselves through map, starmap, imap and imapUnordered (-0, NaN, ±Infinity, fractions, the extremes), however a chunk mixes them with other values or with items that throw', ['L09', 'L14', 'DESIGN:chunksize'], async (ctx) => {
  // Chunks of numbers may travel as one Float64Array: the results must not show it.
  const pool = ctx.pool({ processes: 2 });
  const special = [-0, 0, NaN, Infinity, -Infinity, 0.1, -1.5, Number.MAX_VALUE, Number.MIN_VALUE, Number.MAX_SAFE_INTEGER + 2, -(2 ** 31), 2 ** 53, 1e-300];
  const xs = range(260).map((i) => special[i % special.length] as number);
  for (const chunksize of [undefined, 1, 20, 260]) {
    const got = await pool.map('identity', xs, chunksize === undefined ? {} : { chunksize });
    ok(Array.isArray(got), 'map gives an array');
    deepEqual(got, xs, `map, chunksize ${String(chunksize)}`);
  }
  const viaImap: unknown[] = [];
  for await (const v of pool.imap('identity', xs, { chunksize: 40 })) viaImap.push(v);
  deepEqual(viaImap, xs, 'imap');
  const unordered: number[] = [];
  for await (const v of pool.imapUnordered('square', range(300))) unordered.push(v);
  deepEqual(unordered.sort((a, b) => a - b), range(300).map((i) => i * i), 'imapUnordered');
  // Async tasks' number results, through starmap (its items are lists).
  deepEqual(await pool.starmap('sleep', xs.slice(0, 40).map((x) => [0, x] as [number, number]), { chunksize: 40 }), xs.slice(0, 40), 'starmap, async');
  // A chunk whose items are mostly numbers, with a few other values among them.
  const mixed: unknown[] = [...xs.slice(0, 30), 'x', 7n, null, undefined, { n: 1 }, ...xs.slice(30, 60)];
  deepEqual(await pool.map('identity', mixed, { chunksize: mixed.length }), mixed, 'mixed items');
  // An item that throws: every other item still ran, and map rejects with that item's error.
  equal((await rejects(pool.map('failOn', range(40), { chunksize: 40 }), RangeError)).message, 'bad 2');
  deepEqual(await pool.map('square', range(50)), range(50).map((i) => i * i), 'the pool goes on');
});

define('onProgress reports done and total after each chunk', ['DESIGN:progress'], async (ctx) => {
  const pool = ctx.pool();
  const reports: [number, number | undefined][] = [];
  await pool.map('square', range(10), { chunksize: 3, onProgress: (d, t) => reports.push([d, t]) });
  equal(reports.length, 4);
  deepEqual(reports.at(-1), [10, 10]);
});
