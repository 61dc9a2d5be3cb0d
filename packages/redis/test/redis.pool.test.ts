/**
 * A Redis context against a real redis-server and real worker hosts (child
 * processes through the multiproc-worker bin): results and errors through
 * core's codec, module ids, initializers, Process, executors, aborts,
 * terminate, and bad input. Faults (dead hosts, dead Redis) are in
 * redis.faults.test.ts.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Queue, QueueEvents } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeValueText, ResultStatus } from '@multiproc/core';
import {
  AbortError,
  BrokenPoolError,
  EncodingError,
  PoolClosedError,
  RemoteError,
  TimeoutError,
  UnknownTaskError,
  WorkerExitedError,
  redisContext,
  type RedisContext,
} from '../src/index.js';
import { waitFor, lines } from './wait-for.js';
import { startHost, type HostProcess } from './hosts.js';
import { startRedis, type RedisServer } from './redis-server.js';

type Tasks = typeof import('./fixtures/tasks.mjs');
const tasksPath = fileURLToPath(new URL('./fixtures/tasks.mjs', import.meta.url));

let redis: RedisServer;
let host: HostProcess;
let mp: RedisContext;
let dir: string;
const prefix = 'pooltest';
/** A module id with what a URL or a key would have to escape. */
const oddId = 'täsks with spaces/%2F?#:toString';

beforeAll(async () => {
  redis = await startRedis();
  host = await startHost(redis.url, { prefix, modules: { tasks: tasksPath, [oddId]: tasksPath, 'tasks:v2': tasksPath } });
  mp = redisContext({ connection: redis.url, prefix });
  dir = mkdtempSync(join(tmpdir(), 'multiproc-redis-test-'));
});

afterAll(async () => {
  await mp?.close();
  await host?.kill();
  await redis?.stop();
  rmSync(dir, { recursive: true, force: true });
});


describe('Pool on Redis', () => {
  it('apply, map, starmap, imap and imapUnordered run on the host, in order where ordered', async () => {
    await using pool = new mp.Pool<Tasks>('tasks', { processes: 3 });
    expect(await pool.apply('square', [7])).toBe(49);
    expect(await pool.apply('hostPid', [])).toBe(host.pid);
    // A pool worker is no process of this machine: its pid is this client's tag and a count.
    expect(pool.pids).toHaveLength(3);
    for (const pid of pool.pids) expect(pid).toMatch(/^[0-9a-f]{8}:\d+$/);
    expect(new Set(pool.pids).size).toBe(3);
    const xs = Array.from({ length: 200 }, (_, i) => i);
    expect(await pool.map('square', xs)).toEqual(xs.map((x) => x * x));
    expect(await pool.map('square', xs, { chunksize: 7 })).toEqual(xs.map((x) => x * x));
    expect(await pool.starmap('add', [[1, 2], [3, 4]])).toEqual([3, 7]);
    const ordered: number[] = [];
    for await (const v of pool.imap('square', xs.slice(0, 50), { chunksize: 4 })) ordered.push(v);
    expect(ordered).toEqual(xs.slice(0, 50).map((x) => x * x));
    const unordered: number[] = [];
    for await (const v of pool.imapUnordered('square', xs.slice(0, 50))) unordered.push(v);
    expect(unordered.sort((a, b) => a - b)).toEqual(xs.slice(0, 50).map((x) => x * x));
  });

  it('arguments and results go through core codec: Date, BigInt, Map, Set, typed arrays, cycles, -0, NaN, Infinity', async () => {
    await using pool = new mp.Pool<Tasks>('tasks', { processes: 1 });
    const cyclic: { self?: unknown; n: number } = { n: 1 };
    cyclic.self = cyclic;
    const value = {
      date: new Date(1234),
      big: 2n ** 70n,
      map: new Map<unknown, unknown>([[1n, 'a'], ['toString', new Set([1, 2])]]),
      bytes: new Uint8Array([1, 2, 3]),
      floats: new Float64Array([0.5, -0]),
      specials: [NaN, Infinity, -Infinity, -0, undefined, null],
      ['__proto__']: 'an own key',
      cyclic,
    };
    const back = (await pool.apply('echo', [value])) as typeof value;
    expect(back.date).toBeInstanceOf(Date);
    expect(back.date.getTime()).toBe(1234);
    expect(back.big).toBe(2n ** 70n);
    expect(back.map.get(1n)).toBe('a');
    expect(back.map.get('toString')).toEqual(new Set([1, 2]));
    expect(back.bytes).toEqual(new Uint8Array([1, 2, 3]));
    expect(Object.is(back.floats[1], -0)).toBe(true);
    expect(back.specials.slice(0, 3)).toEqual([NaN, Infinity, -Infinity]);
    expect(Object.is(back.specials[3], -0)).toBe(true);
    expect(Object.hasOwn(back, '__proto__')).toBe(true);
    expect(back.cyclic.self).toBe(back.cyclic);
  });

  it("a task's error comes back with its class, message, own properties and remote stack", async () => {
    await using pool = new mp.Pool<Tasks>('tasks', { processes: 1 });
    const err = (await pool.apply('fail', ['over quota']).catch((e: unknown) => e)) as RemoteError & { limit: number };
    expect(err).toBeInstanceOf(RemoteError);
    expect(err.remoteName).toBe('QuotaError');
    expect(err.message).toContain('over quota');
    expect(err.limit).toBe(42);
    expect(err.remoteStack).toContain('tasks.mjs');
    const range = await pool.apply('failRange', ['too big']).catch((e: unknown) => e);
    expect(range).toBeInstanceOf(RangeError);
    expect((range as Error).message).toBe('too big');
    const mapped = await pool.map('failRange', ['x']).catch((e: unknown) => e);
    expect(mapped).toBeInstanceOf(RangeError);
  });

  it('an unknown export or an Object.prototype name rejects with UnknownTaskError; an unserved module id breaks its pool with that cause; the host serves on', async () => {
    await using pool = new mp.Pool<Tasks>('tasks', { processes: 1 });
    await expect(pool.apply('nope' as never, [] as never)).rejects.toBeInstanceOf(UnknownTaskError);
    await expect(pool.apply('toString' as never, [] as never)).rejects.toBeInstanceOf(UnknownTaskError);
    await expect(pool.apply('__proto__' as never, [] as never)).rejects.toBeInstanceOf(UnknownTaskError);
    for (const id of ['not-served', 'constructor', '__proto__']) {
      await using other = new mp.Pool<Tasks>(id, { processes: 1 });
      const err = await other.apply('square', [2]).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(BrokenPoolError);
      expect((err as Error).cause).toBeInstanceOf(UnknownTaskError);
      expect(((err as Error).cause as Error).message).toContain(JSON.stringify(id));
    }
    expect(await pool.apply('square', [3])).toBe(9);
  });

  it('the initializer runs with its initargs on the host; one that throws breaks the pool with BrokenPoolError', async () => {
    await using pool = new mp.Pool<Tasks>('tasks', { processes: 2, initializer: 'init', initargs: ['p:'] });
    expect(await pool.map('withPrefix', ['a', 'b'])).toEqual(['p:a', 'p:b']);
    await using broken = new mp.Pool<Tasks>('tasks', { processes: 1, initializer: 'init', initargs: ['boom'] });
    const err = await broken.apply('square', [2]).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BrokenPoolError);
    expect(String((err as Error).message)).toContain('initializer failed');
  });

  it("aborting a running task's signal stops it on the host: AbortError here, the task sees its signal there", async () => {
    await using pool = new mp.Pool<Tasks>('tasks', { processes: 1 });
    const file = join(dir, 'abort.txt');
    const controller = new AbortController();
    const running = pool.apply('untilAborted', [file], { signal: controller.signal });
    await waitFor(() => lines(file).includes('started'), 'the task to start on the host');
    controller.abort();
    await expect(running).rejects.toBeInstanceOf(AbortError);
    await waitFor(() => lines(file).includes('aborted'), "the host's task to see its signal");
    expect(await pool.apply('square', [4])).toBe(16);
  });

  it('a per-task timeout rejects with TimeoutError and the pool goes on', async () => {
    await using pool = new mp.Pool<Tasks>('tasks', { processes: 1 });
    await expect(pool.apply('sleep', [5_000], { timeout: 200 })).rejects.toBeInstanceOf(TimeoutError);
    expect(await pool.apply('square', [5])).toBe(25);
  });

  it('terminate() rejects every unfinished result, queued or running', async () => {
    const pool = new mp.Pool<Tasks>('tasks', { processes: 2 });
    const results = Array.from({ length: 20 }, () => pool.apply('sleep', [2_000]));
    for (const r of results) r.catch(() => {});
    await pool.terminate();
    for (const r of results) await expect(r).rejects.toBeInstanceOf(PoolClosedError);
  });

  it('a Process runs its target as one job: a string pid, exit code 0, 1 after an error, and a string module id', async () => {
    const ok = new mp.Process<Tasks, 'sleep'>({ module: 'tasks', target: 'sleep', args: [10] });
    expect(ok.pid).toBeNull();
    ok.start();
    expect(ok.pid).toMatch(/^[0-9a-f]{8}:\d+$/);
    await ok.join();
    expect(ok.exitCode).toBe(0);
    const bad = new mp.Process<Tasks, 'failRange'>({ module: 'tasks', target: 'failRange', args: ['no'] });
    bad.start();
    await bad.join();
    expect(bad.exitCode).toBe(1);
  });

  it('ThreadPoolExecutor submits futures and maps in order', async () => {
    await using ex = new mp.ThreadPoolExecutor<Tasks>('tasks', { maxWorkers: 2 });
    expect(await ex.submit('square', [6]).result()).toBe(36);
    const out: number[] = [];
    for await (const v of ex.map('square', [1, 2, 3])) out.push(v);
    expect(out).toEqual([1, 4, 9]);
  });

  it('a module id with spaces, slashes, percent signs, ?, #, a colon or non-ASCII letters reaches the host as it was written', async () => {
    await using pool = new mp.Pool<Tasks>(oddId, { processes: 1 });
    expect(await pool.apply('square', [11])).toBe(121);
    await using v2 = new mp.Pool<Tasks>('tasks:v2', { processes: 1 });
    expect(await v2.apply('square', [12])).toBe(144);
    const p = new mp.Process<Tasks, 'sleep'>({ module: oddId, target: 'sleep', args: [1] });
    p.start();
    await p.join();
    expect(p.exitCode).toBe(0);
  });

  it('a task that ends its host thread with exit(n) rejects with WorkerExitedError (exitCode n); the pool goes on', async () => {
    await using pool = new mp.Pool<Tasks>('tasks', { processes: 1 });
    const err = await pool.apply('exitWith', [7]).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(WorkerExitedError);
    expect((err as WorkerExitedError).exitCode).toBe(7);
    expect(await pool.apply('square', [8])).toBe(64);
  });

  it('jobs of the wrong shape put straight into Redis are refused by the host, which serves on', async () => {
    const connection = new Redis(redis.url, { maxRetriesPerRequest: null });
    const queue = new Queue('tasks', { connection, prefix });
    // From the stream's start: read from its end, a job could finish before the first read and never be seen.
    const events = new QueueEvents('tasks', { connection: connection.duplicate(), prefix, lastEventId: '0-0' });
    try {
      await events.waitUntilReady();
      for (const data of [{ hello: 'x' }, { v: 99 }, { v: 1, m: 'tasks', n: 'square', k: 42, a: '', i: null, ia: '' }, { v: 1, m: 'tasks', n: 'square', k: 0, a: 'not the codec', i: null, ia: '' }, null]) {
        const job = await queue.add('bad', data);
        const outcome = decodeValueText((await job.waitUntilFinished(events)) as string) as [number, { name: string }];
        expect(outcome[0]).toBe(ResultStatus.ERROR);
      }
    } finally {
      await events.close();
      await queue.close();
      connection.disconnect();
    }
    await using pool = new mp.Pool<Tasks>('tasks', { processes: 1 });
    expect(await pool.apply('square', [9])).toBe(81);
  });

  it('Infinity and huge timeouts wait for the result', async () => {
    await using pool = new mp.Pool<Tasks>('tasks', { processes: 1 });
    expect(await pool.apply('sleep', [50], { timeout: Infinity })).toBe(50);
    expect(await pool.applyAsync('sleep', [50]).get({ timeout: 2 ** 31 })).toBe(50);
    expect(await pool.applyAsync('sleep', [50]).get({ timeout: 1e10 })).toBe(50);
  });

  it('bad input fails at once with a precise error and leaves the context healthy', async () => {
    expect(() => redisContext({ connection: 5 as never })).toThrow(TypeError);
    expect(() => redisContext({ connection: 'http://x' })).toThrow(/redis:\/\//);
    expect(() => redisContext({ connection: redis.url, prefix: 'a b' })).toThrow(/prefix/);
    expect(() => new mp.Pool((() => {}) as never)).toThrow(/module id/);
    expect(() => new mp.Pool('' as never)).toThrow(/module id/);
    expect(() => new mp.Pool('tasks', { context: 'process' as never })).toThrow(/redis/);
    await using pool = new mp.Pool<Tasks>('tasks', { processes: 1 });
    await expect(pool.apply('echo', [() => 1] as never)).rejects.toBeInstanceOf(EncodingError);
    expect(await pool.apply('square', [2])).toBe(4);
  });
});


describe('the package exports', () => {
  it('every error class of core, as DESIGN says every adapter does, and the process helpers', async () => {
    const core: Record<string, unknown> = await import('@multiproc/core');
    const redis: Record<string, unknown> = await import('../src/index.js');
    const errors = Object.keys(core).filter((k) => typeof core[k] === 'function' && /Error$/.test(k) && (core[k] as { prototype: unknown }).prototype instanceof Error);
    expect(errors.length).toBeGreaterThanOrEqual(18);
    expect(errors.filter((k) => redis[k] !== core[k])).toEqual([]);
    for (const k of ['currentProcess', 'parentProcess', 'activeChildren', 'isMainProcess', 'taskSignal', 'registerError']) expect(redis[k], k).toBe(core[k]);
  });
});
