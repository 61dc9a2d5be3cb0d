// The Redis bench (issue 14): W1, W2 and W6 through @multiproc/redis with two worker hosts on
// this machine, beside the same workloads on a local @multiproc/node pool of threads in the same
// run, and what batching chunks into jobs buys (W6 with chunksize 1 is one job per item).
// It starts its own redis-server on a free loopback port and two multiproc-worker hosts (child
// processes), checks every result, and prints medians (min–max) over the repetitions.
// Run: node redis.mjs [--quick] [--reps N]
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Pool } from '@multiproc/node';
import { redisContext } from '@multiproc/redis';
import { percentile, summarize } from './lib/stats.mjs';

const quick = process.argv.includes('--quick');
const repsAt = process.argv.indexOf('--reps');
const reps = repsAt > 0 ? Number(process.argv[repsAt + 1]) : quick ? 1 : 3;
const counts = quick ? { w1: 500, w2: 50, w6: 1000 } : { w1: 5000, w2: 500, w6: 10000 };
const tasks = new URL('./fixtures/multiproc-tasks.js', import.meta.url);
const processes = 8;

function started(child, ready) {
  return new Promise((resolve, reject) => {
    let out = '';
    const onData = (chunk) => {
      out += chunk.toString();
      if (!out.includes(ready)) return;
      child.stdout.off('data', onData);
      child.stderr.off('data', onData);
      child.stdout.resume();
      child.stderr.resume();
      resolve(child);
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('exit', (code) => reject(new Error(`${child.spawnfile} exited (${code}):\n${out}`)));
  });
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer().once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

function check(got, want, what) {
  if (JSON.stringify(got) !== JSON.stringify(want)) throw new Error(`${what}: wrong result`);
}

const items = (n) => Array.from({ length: n }, (_, i) => i);

/** One repetition of every workload on `pool`; `name` labels the rows. */
async function workloads(pool) {
  const out = {};
  let t = performance.now();
  const w1 = await Promise.all(items(counts.w1).map((i) => pool.apply('noop', [i])));
  out['W1 tasks/s'] = counts.w1 / ((performance.now() - t) / 1000);
  check(w1, items(counts.w1), 'W1');
  const trips = [];
  for (let i = 0; i < counts.w2; i++) {
    t = performance.now();
    if ((await pool.apply('noop', [i])) !== i) throw new Error('W2: wrong result');
    trips.push((performance.now() - t) * 1000);
  }
  trips.sort((a, b) => a - b);
  out['W2 p50 µs'] = percentile(trips, 0.5);
  out['W2 p99 µs'] = percentile(trips, 0.99);
  const xs = items(counts.w6);
  for (const [label, chunksize] of [['W6 map default chunksize items/s', undefined], ['W6 map chunksize 1 items/s', 1], ['W6 map Python chunksize items/s', Math.ceil(counts.w6 / (4 * processes))]]) {
    t = performance.now();
    const r = await pool.map('noop', xs, chunksize === undefined ? {} : { chunksize });
    out[label] = counts.w6 / ((performance.now() - t) / 1000);
    check(r, xs, label);
  }
  return out;
}

const children = [];
const dir = mkdtempSync(join(tmpdir(), 'multiproc-bench-redis-'));
let mp;
try {
  const port = await freePort();
  const redis = spawn(process.env.REDIS_SERVER_PATH ?? 'redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', '', '--appendonly', 'no'], { stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(await started(redis, 'Ready to accept connections'));
  const url = `redis://127.0.0.1:${port}`;
  const bin = createRequire(import.meta.url).resolve('@multiproc/redis/bin');
  for (let h = 0; h < 2; h++) {
    const host = spawn(process.execPath, [bin, '--redis', url, '--module', `bench=${fileURLToPath(tasks)}`, '--threads', '1'], { stdio: ['ignore', 'pipe', 'pipe'] });
    children.push(await started(host, ' serving '));
  }
  mp = redisContext({ connection: url });
  const rows = { redis: [], local: [] };
  for (let rep = 0; rep < reps; rep++) {
    // Interleaved: the machine's state hits both alike.
    const remote = new mp.Pool('bench', { processes });
    await remote.ready();
    rows.redis.push(await workloads(remote));
    await remote.terminate();
    const local = new Pool(tasks, { processes: 2 });
    await local.ready();
    rows.local.push(await workloads(local));
    await local.terminate();
  }
  const fmt = (s) => (s === null ? '–' : `${s.median.toFixed(s.median < 100 ? 1 : 0)} (${s.min.toFixed(0)}–${s.max.toFixed(0)})`);
  console.log(`Redis bench: ${reps} rep(s), 2 hosts × 1 thread, pool of ${processes} (Redis) / 2 threads (local); counts ${JSON.stringify(counts)}`);
  console.log('| figure | Redis, 2 hosts | local threads | Redis ÷ local |');
  console.log('|---|---|---|---|');
  for (const key of Object.keys(rows.redis[0])) {
    const r = summarize(rows.redis.map((x) => x[key]));
    const l = summarize(rows.local.map((x) => x[key]));
    console.log(`| ${key} | ${fmt(r)} | ${fmt(l)} | ${(r.median / l.median).toFixed(3)}× |`);
  }
} finally {
  await mp?.close();
  for (const child of children.reverse()) child.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
}
