// multiproc's synchronization benchmark: Queue and Lock between two workers,
// each against the raw runtime mechanism it is built to compete with, in the
// same run (BENCH.md: "Lock: contended acquisitions by 2 workers ≥ 50% of the
// raw futex mutex; Queue: items/s between two workers ≥ the raw pipelined
// MessagePort rate").
//
//   Q-raw    a producer worker posts N items on a MessagePort, pipelined; a consumer worker receives them
//   Q-async  a pool worker awaits queue.put(item) N times; another awaits queue.get() N times
//   Q-sync   the same with the blocking twins putSync/getSync
//   L-raw    two workers each take a raw Atomics futex mutex M times (a plain counter inside)
//   L-sync   two pool workers each lock.acquireSync() / release() M times
//   L-async  the same with await lock.acquire()
//
// Items are small structured objects: { id, name: 'item-<id>', tags: ['a', 'b'], value }.
// Every run is checked (sums of ids, exact lock-protected counters). The order of the
// contenders rotates between repetitions; the table reports medians and ratios to raw.
//
//   node sync.js [--reps N] [--items N] [--locks M]

import { performance } from 'node:perf_hooks';
import { MessageChannel, Worker } from 'node:worker_threads';
import { Lock, Pool, Queue } from '@multiproc/node';

function parseArgs(argv) {
  const opts = { reps: 5, items: 200_000, locks: 500_000 };
  for (let i = 0; i < argv.length; i++) {
    const key = argv[i].replace(/^--/, '');
    if (!(key in opts)) throw new Error(`unknown argument ${argv[i]} (use --reps, --items, --locks)`);
    const v = Number(argv[++i]);
    if (!Number.isInteger(v) || v < 1) throw new Error(`--${key} needs a positive integer`);
    opts[key] = v;
  }
  return opts;
}

const opts = parseArgs(process.argv.slice(2));
const log = (s) => process.stderr.write(s + '\n');
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const expectSum = (n) => (n * (n - 1)) / 2;

function check(ok, what) {
  if (!ok) throw new Error(`wrong result: ${what}`);
}

// ------------------------------------------------------------ contenders

const rawUrl = new URL('./fixtures/raw-worker.js', import.meta.url);
const raw = [new Worker(rawUrl), new Worker(rawUrl)];
const ask = (w, msg, transfer) =>
  new Promise((resolve, reject) => {
    const fail = (err) => {
      w.off('message', done);
      reject(err);
    };
    const done = (value) => {
      w.off('error', fail);
      resolve(value);
    };
    w.once('message', done);
    w.once('error', fail);
    w.postMessage(msg, transfer);
  });

const pool = new Pool(new URL('./fixtures/sync-tasks.js', import.meta.url), { processes: 2 });

async function qRaw(n) {
  const { port1, port2 } = new MessageChannel();
  const t0 = performance.now();
  const [sent, sum] = await Promise.all([
    ask(raw[0], { kind: 'produce', port: port1, n }, [port1]),
    ask(raw[1], { kind: 'consume', port: port2, n }, [port2]),
  ]);
  const ms = performance.now() - t0;
  check(sent === n && sum === expectSum(n), 'raw MessagePort');
  return n / (ms / 1000);
}

async function qPool(n, sync) {
  const q = new Queue();
  const t0 = performance.now();
  const [sent, sum] = await Promise.all([
    pool.apply(sync ? 'produceSync' : 'produce', [q, n]),
    pool.apply(sync ? 'consumeSync' : 'consume', [q, n]),
  ]);
  const ms = performance.now() - t0;
  check(sent === n && sum === expectSum(n) && q.qsize() === 0, 'Queue');
  return n / (ms / 1000);
}

async function lRaw(m) {
  const lockSab = new SharedArrayBuffer(16);
  const sab = new SharedArrayBuffer(4);
  const t0 = performance.now();
  await Promise.all([ask(raw[0], { kind: 'mutex', lockSab, sab, m }), ask(raw[1], { kind: 'mutex', lockSab, sab, m })]);
  const ms = performance.now() - t0;
  check(new Int32Array(sab)[0] === 2 * m, 'raw mutex counter');
  return (2 * m) / (ms / 1000);
}

async function lPool(m, sync) {
  const lock = new Lock();
  const sab = new SharedArrayBuffer(4);
  const t0 = performance.now();
  await Promise.all([0, 1].map(() => pool.apply(sync ? 'lockSync' : 'lockAsync', [lock, sab, m])));
  const ms = performance.now() - t0;
  check(new Int32Array(sab)[0] === 2 * m, 'Lock counter');
  return (2 * m) / (ms / 1000);
}

const queue = {
  'Q-raw': () => qRaw(opts.items),
  'Q-async': () => qPool(opts.items, false),
  'Q-sync': () => qPool(opts.items, true),
};
const locks = {
  'L-raw': () => lRaw(opts.locks),
  'L-sync': () => lPool(opts.locks, true),
  'L-async': () => lPool(Math.ceil(opts.locks / 10), false),
};

// ------------------------------------------------------------ run

async function measure(group) {
  const results = Object.fromEntries(Object.keys(group).map((k) => [k, []]));
  const names = Object.keys(group);
  for (const name of names) await group[name](); // warm-up
  for (let r = 0; r < opts.reps; r++) {
    const order = names.map((_, i) => names[(i + r) % names.length]);
    const line = [];
    for (const name of order) {
      const rate = await group[name]();
      results[name].push(rate);
      line.push(`${name} ${(rate / 1e6).toFixed(2)} M/s`);
    }
    log(`rep ${r + 1}: ${line.join(', ')}`);
  }
  return Object.fromEntries(names.map((n) => [n, median(results[n])]));
}

log(`sync bench: ${opts.reps} reps, ${opts.items} queue items, ${opts.locks} lock acquisitions per worker (async: a tenth)`);
await pool.apply('item', [0]);
const q = await measure(queue);
const l = await measure(locks);
await pool.terminate();
await Promise.all(raw.map((w) => w.terminate()));

const fmt = (x) => `${(x / 1e6).toFixed(2)} M/s`;
const ratio = (a, b) => `${(a / b).toFixed(2)}×`;
console.log('| workload | median | vs raw |');
console.log('| --- | --- | --- |');
console.log(`| Q-raw: MessagePort between two workers, pipelined | ${fmt(q['Q-raw'])} | 1.00× |`);
console.log(`| Q-async: Queue, await put / await get | ${fmt(q['Q-async'])} | ${ratio(q['Q-async'], q['Q-raw'])} |`);
console.log(`| Q-sync: Queue, putSync / getSync | ${fmt(q['Q-sync'])} | ${ratio(q['Q-sync'], q['Q-raw'])} |`);
console.log(`| L-raw: Atomics futex mutex, 2 workers contending | ${fmt(l['L-raw'])} | 1.00× |`);
console.log(`| L-sync: Lock acquireSync / release, 2 workers | ${fmt(l['L-sync'])} | ${ratio(l['L-sync'], l['L-raw'])} |`);
console.log(`| L-async: Lock await acquire / release, 2 workers | ${fmt(l['L-async'])} | ${ratio(l['L-async'], l['L-raw'])} |`);
