/**
 * The Redis primitives of a context, shared by the client and real worker
 * hosts (child processes) on a real redis-server: a Lock guarding a Value
 * across machines, a lock holder SIGKILLed (its lease expires; the next
 * fence is larger), Event, Semaphore, Queue and JoinableQueue, primitives
 * travelling nested in arguments and in queue items, and the synchronous
 * calls that need an answer refused with StateError.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QueueEmptyError, QueueFullError, type RedisEvent, RedisLock, StateError, redisContext, type RedisContext } from '../src/index.js';
import { startHost, type HostProcess } from './hosts.js';
import { startRedis, type RedisServer } from './redis-server.js';

type Tasks = typeof import('./fixtures/tasks.mjs');
const tasksPath = fileURLToPath(new URL('./fixtures/tasks.mjs', import.meta.url));
const prefix = 'synctest';

let redis: RedisServer;
let hosts: HostProcess[];
let mp: RedisContext;
let dir: string;

beforeAll(async () => {
  redis = await startRedis();
  hosts = await Promise.all([startHost(redis.url, { prefix, modules: { tasks: tasksPath } }), startHost(redis.url, { prefix, modules: { tasks: tasksPath } })]);
  mp = redisContext({ connection: redis.url, prefix });
  dir = mkdtempSync(join(tmpdir(), 'multiproc-redis-sync-'));
});

afterAll(async () => {
  await mp?.close();
  await Promise.all((hosts ?? []).map((h) => h.kill()));
  await redis?.stop();
  rmSync(dir, { recursive: true, force: true });
});

function lines(file: string): string[] {
  try {
    return readFileSync(file, 'utf8').split('\n').filter(Boolean);
  } catch {
    return [];
  }
}

describe('Redis primitives', () => {
  it('a Lock guards read-modify-writes of a Value from the client and both hosts: no increment is lost', async () => {
    await using pool = new mp.Pool<Tasks>('tasks', { processes: 4 });
    const lock = new mp.Lock();
    const value = new mp.Value('int32', 0);
    const remote = Array.from({ length: 4 }, () => pool.apply('lockedIncrement', [lock as never, value as never, 15]));
    for (let i = 0; i < 15; i++) await lock.withLock(async () => value.set(((await value.get()) as number) + 1));
    expect(await Promise.all(remote)).toEqual([15, 15, 15, 15]);
    expect(await value.get()).toBe(75);
    expect(await value.update((v) => (v as number) + 1)).toBe(76);
  });

  it('a holder SIGKILLed with the lock: its lease expires, the next holder gets it with a larger fence', async () => {
    {
      await using pool = new mp.Pool<Tasks>('tasks', { processes: 1 });
      const lock = new mp.Lock({ lease: 500 });
      const file = join(dir, 'fence.txt');
      const held = pool.apply('holdLock', [lock as never, file], { retries: 0 });
      held.catch(() => {});
      for (let i = 0; i < 2000 && lines(file).length === 0; i++) await new Promise((resolve) => setTimeout(resolve, 10));
      const [first] = lines(file).map(Number);
      expect(first).toBeGreaterThan(0);
      expect(await lock.acquire({ timeout: 0 })).toBe(false);
      // Whichever host took it, SIGKILL both (the holder is gone for sure) and start two new ones.
      await Promise.all(hosts.map((h) => h.kill('SIGKILL')));
      hosts = await Promise.all([startHost(redis.url, { prefix, modules: { tasks: tasksPath } }), startHost(redis.url, { prefix, modules: { tasks: tasksPath } })]);
      expect(await lock.acquire({ timeout: 20_000 })).toBe(true);
      expect(lock.fence).toBeGreaterThan(first);
      lock.release();
    }
  });

  it('Event: a host sets it and the client wakes; wait with a timeout on a clear event says false', async () => {
    await using pool = new mp.Pool<Tasks>('tasks', { processes: 2 });
    const event = new mp.Event();
    expect(await event.wait({ timeout: 50 })).toBe(false);
    expect(await event.wait({ timeout: 0 })).toBe(false);
    const setter = pool.apply('setEventLater', [event as never, 100]);
    expect(await event.wait({ timeout: 20_000 })).toBe(true);
    expect(await setter).toBe('set');
    expect(await pool.apply('waitEvent', [event as never, 0])).toBe(true);
    event.clear();
    expect(await pool.apply('waitEvent', [event as never, 0])).toBe(false);
    expect(() => event.isSet()).toThrow(StateError);
  });

  it('Semaphore: two units, a third acquire times out until one is released', async () => {
    const sem = new mp.Semaphore(2);
    expect(await sem.acquire()).toBe(true);
    expect(await sem.acquire({ timeout: 0 })).toBe(true);
    expect(await sem.acquire({ timeout: 50 })).toBe(false);
    sem.release();
    expect(await sem.acquire({ timeout: 20_000 })).toBe(true);
    expect(() => sem.tryAcquire()).toThrow(StateError);
    expect(() => new mp.Semaphore(-1)).toThrow(RangeError);
  });

  it('Queue: items a host puts arrive in order; full and empty with timeouts; the synchronous calls name their async forms', async () => {
    await using pool = new mp.Pool<Tasks>('tasks', { processes: 1 });
    const q = new mp.Queue<number>();
    expect(await pool.apply('produce', [q as never, 0, 100])).toBe(100);
    const got: number[] = [];
    for (let i = 0; i < 100; i++) got.push(await q.get());
    expect(got).toEqual(Array.from({ length: 100 }, (_, i) => i));
    await expect(q.get({ timeout: 0 })).rejects.toBeInstanceOf(QueueEmptyError);
    const bounded = new mp.Queue<string>(2);
    await bounded.put('a');
    await bounded.put('b');
    await expect(bounded.put('c', { timeout: 0 })).rejects.toBeInstanceOf(QueueFullError);
    await expect(bounded.put('c', { timeout: 50 })).rejects.toBeInstanceOf(QueueFullError);
    expect(await bounded.get()).toBe('a');
    await bounded.put('c', { timeout: 1000 });
    for (const call of [() => q.qsize(), () => q.empty(), () => q.full(), () => q.getNowait(), () => q.putNowait(1)]) expect(call).toThrow(/await queue|your own count/);
    q.close();
    await expect(q.put(1)).rejects.toBeInstanceOf(StateError);
  });

  it('JoinableQueue: join() waits until both hosts marked every item done', async () => {
    await using pool = new mp.Pool<Tasks>('tasks', { processes: 2 });
    const q = new mp.JoinableQueue<number>();
    for (let i = 0; i < 10; i++) await q.put(i);
    const consumers = [pool.apply('consumeDone', [q as never, 5]), pool.apply('consumeDone', [q as never, 5])];
    await q.join();
    const got = (await Promise.all(consumers)).flat().sort((a, b) => (a as number) - (b as number));
    expect(got).toEqual(Array.from({ length: 10 }, (_, i) => i));
  });

  it('primitives travel nested: a Lock inside a Map argument, an Event inside a queue item; one a host returns comes back live', async () => {
    await using pool = new mp.Pool<Tasks>('tasks', { processes: 1 });
    const lock = new mp.Lock();
    const queue = new mp.Queue<{ event: RedisEvent }>();
    const event = new mp.Event();
    await queue.put({ event });
    const fence = await pool.apply('nested', [{ inner: new Map([['lock', lock]]), queue } as never]);
    expect(fence).toBeGreaterThan(0);
    expect(await event.wait({ timeout: 20_000 })).toBe(true);
    const back = (await pool.apply('echo', [lock as never])) as unknown as RedisLock;
    expect(back).toBeInstanceOf(RedisLock);
    expect(await back.acquire({ timeout: 20_000 })).toBe(true);
    expect(back.fence).toBeGreaterThan(fence as number);
    back.release();
  });

  it('bad input and misuse fail at once: release() without a hold, a Lock acquired twice, a lease under 100 ms, a wrong Value type, NaN timeouts', async () => {
    const lock = new mp.Lock();
    expect(() => lock.release()).toThrow(StateError);
    expect(() => lock.tryAcquire()).toThrow(StateError);
    expect(await lock.acquire()).toBe(true);
    await expect(lock.acquire()).rejects.toBeInstanceOf(StateError);
    lock.release();
    expect(() => new mp.Lock({ lease: 10 })).toThrow(RangeError);
    expect(() => new mp.Value('int33' as never)).toThrow(TypeError);
    await expect(new mp.Value('int32').set('x' as never)).rejects.toBeInstanceOf(TypeError);
    await expect(lock.acquire({ timeout: Number.NaN })).rejects.toBeInstanceOf(TypeError);
    expect(() => new mp.Value('int32').value).toThrow(/await v.get/);
    const v = new mp.Value('int8', 0);
    await v.set(200);
    expect(await v.get()).toBe(-56);
    const big = new mp.Value('bigint64', 0n);
    await big.set(2n ** 63n);
    expect(await big.get()).toBe(-(2n ** 63n));
  });
});
