/**
 * imap / imapUnordered: lazy, ordered or by completion, back-pressure, errors
 * at their position, timeouts, termination (SEMANTICS §5 I01–I11).
 */
import { PoolClosedError, TimeoutError } from '../errors.js';
import { deepEqual, equal, ok, rejects } from './assert.js';
import { area } from './define.js';

const { cases, define } = area('imap');
export { cases as imapCases };

/** Timeouts past setTimeout's 2³¹−1 ms limit, which it would fire after 1 ms (issue #9). */
const LONG_TIMEOUTS = [Infinity, 2 ** 31, 1e10];

const range = (n: number) => Array.from({ length: n }, (_, i) => i);

async function drain<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}

define('imap yields in input order; after the end next() keeps returning done; it is its own iterator', ['I01', 'I09'], async (ctx) => {
  const pool = ctx.pool();
  const it = pool.imap('square', range(10));
  equal(it[Symbol.asyncIterator](), it);
  deepEqual(await drain(it), range(10).map((i) => i * i));
  equal((await it.next()).done, true);
  equal((await it.next()).done, true);
});

define('imap and imapUnordered pull async iterables too', ['I01', 'I04', 'DESIGN:iterables'], async (ctx) => {
  const pool = ctx.pool();
  async function* source(n: number) {
    for (let i = 0; i < n; i++) {
      if (i % 7 === 0) await ctx.sleep(1);
      yield i;
    }
  }
  deepEqual(await drain(pool.imap('square', source(30), { chunksize: 4 })), range(30).map((i) => i * i));
  const un = await drain(pool.imapUnordered('square', source(30)));
  deepEqual([...un].sort((a, b) => a - b), range(30).map((i) => i * i));
});

define('imap with chunksize 100 over 1,000 items is ordered and complete', ['I02'], async (ctx) => {
  const pool = ctx.pool();
  deepEqual(await drain(pool.imap('square', range(1000), { chunksize: 100 })), range(1000).map((i) => i * i));
});

define('next({ timeout }) rejects with TimeoutError when the next result is late, and nothing is lost', ['I03'], async (ctx) => {
  const pool = ctx.pool({ processes: 1 });
  const it = pool.imap('sleep', [2_000, 0], { chunksize: 1 });
  await rejects(it.next({ timeout: 20 }), TimeoutError);
  equal((await it.next()).value, undefined);
  equal((await it.next()).done, false);
  equal((await it.next()).done, true);
});

define('imapUnordered yields every result (as a multiset) in completion order; one worker keeps input order', ['I04'], async (ctx) => {
  const pool = ctx.pool();
  const got = await drain(pool.imapUnordered('square', range(50)));
  deepEqual([...got].sort((a, b) => a - b), range(50).map((i) => i * i));
  const big = await drain(pool.imapUnordered('square', range(500), { chunksize: 100 }));
  equal(big.length, 500);
  const single = ctx.pool({ processes: 1 });
  deepEqual(await drain(single.imapUnordered('square', range(10))), range(10).map((i) => i * i));
  const fastFirst = await drain(pool.imapUnordered('sleep', [[200, 'slow'], [0, 'fast']].map((x) => x[0] as number)));
  equal(fastFirst.length, 2);
});

define('an input that throws at position k: imap yields the chunks before it, then throws (chunk granularity)', ['I05', 'I06'], async (ctx) => {
  const pool = ctx.pool();
  const boom = new RangeError('input broke at 7');
  function* bad() {
    for (let i = 0; i < 10; i++) {
      if (i === 7) throw boom;
      yield i;
    }
  }
  for (const [chunksize, expect] of [[1, 7], [2, 6], [4, 4]] as const) {
    const it = pool.imap('square', bad(), { chunksize });
    const got = [];
    let caught: unknown;
    try {
      for (;;) {
        const r = await it.next();
        if (r.done) break;
        got.push(r.value);
      }
    } catch (err) {
      caught = err;
    }
    equal(caught, boom, `chunksize ${chunksize}`);
    equal(got.length, expect, `chunksize ${chunksize}`);
    equal((await it.next()).done, true);
  }
  const un = pool.imapUnordered('square', bad());
  await rejects(drain(un), RangeError);
});

define('a task error is thrown at its position and iteration goes on', ['I07'], async (ctx) => {
  const pool = ctx.pool();
  for (const chunksize of [1, 3]) {
    const it = pool.imap('failOn', range(5), { chunksize });
    const out: unknown[] = [];
    for (;;) {
      try {
        const r = await it.next();
        if (r.done) break;
        out.push(r.value);
      } catch (err) {
        out.push((err as Error).message);
      }
    }
    deepEqual(out, [0, 1, 'bad 2', 3, 4], `chunksize ${chunksize}`);
  }
});

define('imap pulls an infinite source lazily, bounded by buffersize', ['I10', 'DO-BETTER'], async (ctx) => {
  const pool = ctx.pool();
  let pulled = 0;
  function* naturals() {
    for (let i = 0; ; i++) {
      pulled++;
      yield i;
    }
  }
  const it = pool.imap('square', naturals(), { buffersize: 4, chunksize: 1 });
  const first = [];
  for (let i = 0; i < 20; i++) first.push((await it.next()).value);
  deepEqual(first, range(20).map((i) => i * i));
  await ctx.sleep(50);
  ok(pulled <= 20 + 5, `pulled ${pulled} items for 20 consumed`);
  await it.return?.();
  equal((await it.next()).done, true);
  // Without a chunksize, chunks grow with measured task time, up to 1,024 items: still bounded.
  pulled = 0;
  const grown = pool.imap('square', naturals(), { buffersize: 4 });
  for (let i = 0; i < 5000; i++) equal((await grown.next()).value, i * i);
  await ctx.sleep(50);
  ok(pulled <= 5000 + 4 * 1024, `pulled ${pulled} items for 5,000 consumed`);
  await grown.return?.();
});

define('imap without a chunksize starts at one item per chunk, grows for quick tasks, and keeps 1 for an async source', ['I02', 'DESIGN:chunksize'], async (ctx) => {
  const pool = ctx.pool({ processes: 2 });
  // Progress is reported once per chunk (in completion order), so its steps are chunk sizes.
  const chunkSizes = (sizes: number[]) => {
    let last = 0;
    return (done: number) => {
      sizes.push(done - last);
      last = done;
    };
  };
  const sizes: number[] = [];
  const it = pool.imap('square', range(3000), { onProgress: chunkSizes(sizes) });
  let n = 0;
  for await (const v of it) equal(v, n * n, `item ${n++}`);
  equal(n, 3000);
  ok(sizes.includes(1), `it starts with chunks of one item: ${sizes.join(',')}`);
  ok(Math.max(...sizes) > 1 && Math.max(...sizes) <= 1024, `chunks grew, up to 1,024 items: ${sizes.join(',')}`);
  async function* slowly() {
    for (let i = 0; i < 6; i++) {
      await ctx.sleep(1);
      yield i;
    }
  }
  const asyncSizes: number[] = [];
  const fromAsync = pool.imap('square', slowly(), { onProgress: chunkSizes(asyncSizes) });
  const out = [];
  for await (const v of fromAsync) out.push(v);
  deepEqual(out, range(6).map((i) => i * i));
  deepEqual(asyncSizes, [1, 1, 1, 1, 1, 1]);
});

define('breaking out of imap drops the chunks still queued; they never run', ['I10', 'DESIGN:imap'], async (ctx) => {
  const pool = ctx.pool({ processes: 1 });
  const sab = new SharedArrayBuffer(4);
  const it = pool.imap('countRun', range(40).map(() => sab), { buffersize: 20 });
  await it.next();
  await it.return?.();
  equal(await pool.apply('square', [3]), 9, 'the pool is free again');
  const runs = Atomics.load(new Int32Array(sab), 0);
  ok(runs < 10, `only chunks already sent could still run, got ${runs} of the 20 submitted`);
}, { requires: ['sharedMemory'] });

define('terminate() while a consumer waits in next() rejects it instead of hanging', ['I11', 'DO-BETTER'], async (ctx) => {
  const pool = ctx.pool({ processes: 1 });
  const it = pool.imap('sleep', [10_000, 10_000]);
  const waiting = it.next().then(
    () => undefined,
    (err: unknown) => err,
  );
  await ctx.sleep(50);
  await pool.terminate();
  ok((await waiting) instanceof PoolClosedError, 'the waiting next() rejects with PoolClosedError');
});

define('next({ timeout }) with Infinity, 2**31 or 1e10 ms waits for a 300 ms result', ['I03', 'D1'], async (ctx) => {
  const pool = ctx.pool({ processes: 1 });
  const it = pool.imap('sleep', [300, 300, 300], { chunksize: 1 });
  for (const timeout of LONG_TIMEOUTS) equal((await it.next({ timeout })).done, false);
  equal((await it.next()).done, true);
});
