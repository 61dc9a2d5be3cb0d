// multiproc's primitives measured the way their raw counterparts are (the measurements of
// bench/sync.js): Queue items/s worker→worker and worker→parent, Lock acquisitions/s
// (uncontended, 2 workers contended, async), Event and Barrier round trips. Each checked.
import { performance } from 'node:perf_hooks';
import { MessageChannel } from 'node:worker_threads';
import { Barrier, Event, Lock, Queue } from '@multiproc/node';
import { check } from '../check.mjs';
import { nextMessage } from '../limits/raw-env.mjs';

const expectSum = (n) => (n * (n - 1)) / 2;
const rate = (count, t0) => count / ((performance.now() - t0) / 1000);
const ask = (w, msg, transfer) => {
  const p = nextMessage(w);
  w.postMessage(msg, transfer);
  return p;
};

/** Raw: a worker posts n items on a MessagePort, pipelined; another worker (or the parent) receives them. */
export async function rawPort(raw, n, toParent) {
  const { port1, port2 } = new MessageChannel();
  const t0 = performance.now();
  let received;
  if (toParent) {
    received = new Promise((resolve) => {
      let got = 0;
      let sum = 0;
      port2.on('message', (x) => {
        sum += x.id;
        if (++got === n) {
          port2.close();
          resolve(sum);
        }
      });
    });
  } else received = ask(raw[1], { kind: 'consume', port: port2, n }, [port2]);
  const [sent, sum] = await Promise.all([ask(raw[0], { kind: 'produce', port: port1, n }, [port1]), received]);
  const r = rate(n, t0);
  check(sent === n && sum === expectSum(n), `raw MessagePort ${toParent ? 'worker→parent' : 'worker→worker'}`);
  return r;
}

/** A Queue between two pool workers (async or blocking twins); items/s. */
export async function queueWorkers(pool, n, sync) {
  const q = new Queue();
  const t0 = performance.now();
  const [sent, sum] = await Promise.all([pool.apply(sync ? 'produceSync' : 'produce', [q, n]), pool.apply(sync ? 'consumeSync' : 'consume', [q, n])]);
  const r = rate(n, t0);
  check(sent === n && sum === expectSum(n) && q.qsize() === 0, 'Queue worker→worker');
  return r;
}

/** A pool worker puts n items, the parent awaits get() n times; items/s. */
export async function queueToParent(pool, n) {
  const q = new Queue();
  const t0 = performance.now();
  const produced = pool.apply('produce', [q, n]);
  let sum = 0;
  for (let i = 0; i < n; i++) sum += (await q.get()).id;
  const sent = await produced;
  const r = rate(n, t0);
  check(sent === n && sum === expectSum(n), 'Queue worker→parent');
  return r;
}

/** Lock acquisitions/s by `workers` pool workers, each m times (blocking or async acquire). */
export async function lockWorkers(pool, m, workers, sync) {
  const lock = new Lock();
  const sab = new SharedArrayBuffer(4);
  const t0 = performance.now();
  await Promise.all(Array.from({ length: workers }, () => pool.apply(sync ? 'lockSync' : 'lockAsync', [lock, sab, m])));
  const r = rate(workers * m, t0);
  check(new Int32Array(sab)[0] === workers * m, 'Lock counter');
  return r;
}

/** `await lock.acquire()` / `release()` m times on the main thread; acquisitions/s. */
export async function lockMain(m) {
  const lock = new Lock();
  let count = 0;
  const t0 = performance.now();
  for (let i = 0; i < m; i++) {
    check(await lock.acquire(), 'Lock acquire on the main thread');
    count++;
    lock.release();
  }
  const r = rate(m, t0);
  check(count === m, 'Lock main-thread count');
  return r;
}

/** µs per round trip of two Events between two pool workers (waitSync twins). */
export async function eventRoundTrip(pool, n) {
  const ping = new Event();
  const pong = new Event();
  const t0 = performance.now();
  const done = await Promise.all([pool.apply('eventPing', [ping, pong, n]), pool.apply('eventPong', [ping, pong, n])]);
  const us = ((performance.now() - t0) * 1000) / n;
  check(done[0] === n && done[1] === n, 'Event round trips');
  return us;
}

/** µs per round of a 2-party Barrier between two pool workers (waitSync). */
export async function barrierRoundTrip(pool, n) {
  const barrier = new Barrier(2);
  const t0 = performance.now();
  const sums = await Promise.all([pool.apply('barrierLoop', [barrier, n]), pool.apply('barrierLoop', [barrier, n])]);
  const us = ((performance.now() - t0) * 1000) / n;
  check(sums[0] + sums[1] === n, `Barrier indices: ${sums[0]} + ${sums[1]}, expected ${n} (one 0 and one 1 per round)`);
  return us;
}
