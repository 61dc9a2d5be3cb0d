/**
 * What a Redis context does when things die, with real parts: a worker host
 * SIGKILLed in the middle of a task, no host at all, and redis-server itself
 * SIGKILLed and restarted, with and without persistence. No result ever
 * stays pending.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { TimeoutError, WorkerExitedError, redisContext, type Pool, type RedisContext } from '../src/index.js';
import { waitFor, lines } from './wait-for.js';
import { startHost, type HostProcess } from './hosts.js';
import { startRedis, type RedisServer } from './redis-server.js';

type Tasks = typeof import('./fixtures/tasks.mjs');
const tasksPath = fileURLToPath(new URL('./fixtures/tasks.mjs', import.meta.url));

let dir: string;
const hosts: HostProcess[] = [];
const contexts: RedisContext[] = [];
const servers: RedisServer[] = [];

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'multiproc-redis-faults-'));
});

afterEach(async () => {
  await Promise.all(contexts.splice(0).map((c) => c.close()));
  await Promise.all(hosts.splice(0).map((h) => h.kill()));
  await Promise.all(servers.splice(0).map((s) => s.stop()));
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

async function server(aof = false): Promise<RedisServer> {
  const s = await startRedis({ aof });
  servers.push(s);
  return s;
}

async function host(url: string): Promise<HostProcess> {
  const h = await startHost(url, { modules: { tasks: tasksPath } });
  hosts.push(h);
  return h;
}

function context(url: string): RedisContext {
  const c = redisContext({ connection: url });
  contexts.push(c);
  return c;
}


/**
 * Waits until the default prefix's queue, read with a connection of its own, has `n` jobs waiting
 * (`'idle'`: none waiting and none running).
 */
async function waitForQueue(url: string, n: number | 'idle'): Promise<void> {
  const redis = new Redis(url);
  try {
    for (let waited = 0; ; waited += 20) {
      const [waiting, active] = await Promise.all([redis.llen('multiproc:tasks:wait'), redis.llen('multiproc:tasks:active')]);
      if (n === 'idle' ? waiting === 0 && active === 0 : waiting >= n) return;
      if (waited > 30_000) throw new Error(`timed out waiting for the queue (${waiting} waiting, ${active} active; wanted ${n})`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  } finally {
    redis.disconnect();
  }
}

/** A started pool whose only host has gone (SIGKILL): its tasks wait in Redis as jobs. */
async function poolWhoseHostLeft(aof: boolean): Promise<{ redis: RedisServer; pool: Pool<Tasks, string> }> {
  const redis = await server(aof);
  const pool = new (context(redis.url).Pool)<Tasks>('tasks', { processes: 4 });
  const gone = await host(redis.url);
  await pool.ready();
  await gone.kill();
  return { redis, pool };
}

describe('Redis faults', () => {
  it('a host SIGKILLed mid-task: the task runs again on the other host (retries default 1)', async () => {
    const redis = await server();
    const a = await host(redis.url);
    const mp = context(redis.url);
    await using pool = new mp.Pool<Tasks>('tasks', { processes: 1 });
    // Only host a is up when the task starts, so it is the one running it.
    const file = join(dir, 'rerun.txt');
    const result = pool.apply('markThenSleep', [file, 1_500]);
    await waitFor(() => lines(file).length === 1, 'the task to start on host a');
    expect(lines(file)).toEqual([String(a.pid)]);
    const b = await host(redis.url);
    await a.kill('SIGKILL');
    expect(await result).toBe(b.pid);
    expect(lines(file)).toEqual([String(a.pid), String(b.pid)]);
  });

  it('with retries: 0, a task whose host is SIGKILLed rejects with WorkerExitedError saying the host was lost', async () => {
    const redis = await server();
    const a = await host(redis.url);
    const mp = context(redis.url);
    await using pool = new mp.Pool<Tasks>('tasks', { processes: 1 });
    const file = join(dir, 'noretry.txt');
    const result = pool.apply('markThenSleep', [file, 60_000], { retries: 0 });
    result.catch(() => {});
    await waitFor(() => lines(file).length === 1, 'the task to start');
    await a.kill('SIGKILL');
    // Stalled jobs are found by a live host's stalled check: with none, the job waits for one.
    await host(redis.url);
    const err = await result.catch((e: unknown) => e);
    expect(err).toBeInstanceOf(WorkerExitedError);
    expect((err as WorkerExitedError).attempts).toBe(1);
    expect((err as Error).message).toMatch(/lock/);
    expect(lines(file)).toEqual([String(a.pid)]);
    // The new host serves the pool's next task.
    expect(await pool.apply('square', [3])).toBe(9);
  });

  it('the client SIGKILLed with jobs in flight: those in Redis still run, none twice, the host serves on, and a new client gets only its own results', async () => {
    const redis = await server();
    const h = await host(redis.url);
    const file = join(dir, 'orphans.txt');
    const client = spawn(process.execPath, [fileURLToPath(new URL('./fixtures/client-killed.mjs', import.meta.url)), redis.url, file], { stdio: ['ignore', 'pipe', 'inherit'] });
    const exited = new Promise<void>((resolve) => client.once('exit', () => resolve()));
    // Killed as soon as a host has started one of its tasks: the others are in flight or queued.
    await waitFor(() => lines(file).length >= 1, 'a task of the client to start on the host');
    client.kill('SIGKILL');
    await exited;
    const mp = context(redis.url);
    await using pool = new mp.Pool<Tasks>('tasks', { processes: 2 });
    const xs = Array.from({ length: 40 }, (_, i) => i);
    // Sent while the dead client's jobs still run on the same host: each result is this client's own.
    expect(await pool.map('square', xs, { chunksize: 1 })).toEqual(xs.map((x) => x * x));
    // The jobs that reached Redis run (nobody waits for them); those still in the dead client never do.
    await waitForQueue(redis.url, 'idle');
    const ran = lines(file);
    expect(ran.length).toBeGreaterThanOrEqual(1);
    expect(ran.length).toBeLessThanOrEqual(6);
    expect(new Set(ran)).toEqual(new Set([String(h.pid)]));
    expect(h.child.exitCode).toBeNull();
    expect(await pool.apply('square', [9])).toBe(81);
  });

  it('no host at all: get({ timeout }) times out, and the task runs once a host appears', async () => {
    const redis = await server();
    const mp = context(redis.url);
    await using pool = new mp.Pool<Tasks>('tasks', { processes: 1 });
    const r = pool.applyAsync('square', [12]);
    await expect(r.get({ timeout: 300 })).rejects.toBeInstanceOf(TimeoutError);
    await host(redis.url);
    expect(await r.get()).toBe(144);
  });

  it('Redis SIGKILLed and restarted with AOF: the queued tasks are not lost', async () => {
    const { redis, pool } = await poolWhoseHostLeft(true);
    await using _pool = pool;
    const results = [1, 2, 3, 4].map((x) => pool.apply('square', [x], { retries: 0 }));
    // The jobs are in Redis (appendfsync always) before it dies.
    await waitForQueue(redis.url, 4);
    await redis.kill();
    await redis.restart();
    await host(redis.url);
    expect(await Promise.all(results)).toEqual([1, 4, 9, 16]);
  });

  it('Redis restarted without persistence: pending results reject with WorkerExitedError (retries 0) or run again (default), never hang', async () => {
    const { redis, pool } = await poolWhoseHostLeft(false);
    await using _pool = pool;
    const lost = pool.apply('square', [5], { retries: 0 });
    lost.catch(() => {});
    const again = pool.apply('square', [6]);
    await waitForQueue(redis.url, 2);
    await redis.kill();
    await redis.restart();
    const err = await lost.catch((e: unknown) => e);
    expect(err).toBeInstanceOf(WorkerExitedError);
    expect((err as Error).message).toMatch(/Redis lost the job/);
    await host(redis.url);
    expect(await again).toBe(36);
  });
});
