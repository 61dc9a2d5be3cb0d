/**
 * The Redis primitives of a context, shared by the client and real worker
 * hosts (child processes) on a real redis-server: a Lock guarding a Value
 * across machines, a lock holder SIGKILLed (its lease expires; the next
 * fence is larger), Event, Semaphore, Queue and JoinableQueue, primitives
 * travelling nested in arguments and in queue items, and the synchronous
 * calls that need an answer refused with StateError.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BrokenBarrierError, QueueEmptyError, QueueFullError, type RedisEvent, RedisLock, StateError, redisContext, type RedisContext } from '../src/index.js';
import { lines, waitFor } from './wait-for.js';
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
      await waitFor(() => lines(file).length > 0, 'the holder to write its fence');
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

  it('every primitive travels as exactly one own field (anything else would stop it being rebuilt on arrival)', () => {
    const all = [
      new mp.Lock(),
      new mp.RLock(),
      new mp.Semaphore(2),
      new mp.BoundedSemaphore(2),
      new mp.Event(),
      new mp.Condition(),
      new mp.Barrier(2),
      new mp.Queue(3),
      new mp.SimpleQueue(),
      new mp.JoinableQueue(),
      new mp.Value('float64', 1.5),
    ];
    for (const p of all) expect(Object.keys(p)).toEqual(['__multiprocRedis']);
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
    // As core's Value (SEMANTICS V06): a fraction for an integer type is refused, not truncated.
    await expect(new mp.Value('int32').set(1.5)).rejects.toBeInstanceOf(TypeError);
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

describe('Redis primitives: RLock, Condition, Barrier, BoundedSemaphore', () => {
  it('RLock: the holder takes it again and gives it back as often; a host waits until the client lets go', async () => {
    await using pool = new mp.Pool<Tasks>('tasks', { processes: 1 });
    const rlock = new mp.RLock();
    expect(await rlock.acquire()).toBe(true);
    expect(await rlock.acquire({ timeout: 0 })).toBe(true);
    const fence = rlock.fence;
    const host = pool.apply('rlockTwice', [rlock as never]);
    rlock.release();
    // Still held once: the host cannot have it yet.
    expect(await Promise.race([host.then(() => 'host got it'), new Promise((resolve) => setTimeout(() => resolve('still waiting'), 300))])).toBe('still waiting');
    rlock.release();
    expect(await host).toBeGreaterThan(fence);
    expect(() => rlock.release()).toThrow(StateError);
  });

  it('Condition: a host waits for a predicate; the client changes the state and notifies; wait() times out holding the lock again', async () => {
    await using pool = new mp.Pool<Tasks>('tasks', { processes: 1 });
    const cond = new mp.Condition();
    const value = new mp.Value('int32', 0);
    const waiting = pool.apply('waitForOne', [cond as never, value as never]);
    await cond.acquire();
    await value.set(1);
    cond.notifyAll();
    cond.release();
    expect(await waiting).toBe(true);
    await cond.acquire();
    expect(await cond.wait({ timeout: 50 })).toBe(false);
    cond.release();
    expect(() => cond.notify()).toThrow(StateError);
    await expect(cond.wait()).rejects.toBeInstanceOf(StateError);
    expect(() => new mp.Condition({} as never)).toThrow(TypeError);
  });

  it('Barrier: the client and two host tasks pass together with indexes 0, 1, 2; a timeout breaks it until reset(); abort() breaks it', async () => {
    await using pool = new mp.Pool<Tasks>('tasks', { processes: 2 });
    const barrier = new mp.Barrier(3);
    const parties = [pool.apply('barrierWait', [barrier as never, 20_000]), pool.apply('barrierWait', [barrier as never, 20_000]), barrier.wait({ timeout: 20_000 })];
    expect((await Promise.all(parties)).sort()).toEqual([0, 1, 2]);
    const pair = new mp.Barrier(2);
    await expect(pair.wait({ timeout: 100 })).rejects.toBeInstanceOf(BrokenBarrierError);
    await expect(pair.wait({ timeout: 0 })).rejects.toBeInstanceOf(BrokenBarrierError);
    await pair.reset();
    expect((await Promise.all([pair.wait({ timeout: 20_000 }), pool.apply('barrierWait', [pair as never, 20_000])])).sort()).toEqual([0, 1]);
    pair.abort();
    await expect(pool.apply('barrierWait', [pair as never, 20_000])).rejects.toBeInstanceOf(BrokenBarrierError);
    expect(() => new mp.Barrier(0)).toThrow(RangeError);
  });

  it('BoundedSemaphore: a release past its initial value changes nothing (reported); a Semaphore grows', async () => {
    const errors: unknown[] = [];
    const original = console.error;
    console.error = (e: unknown) => void errors.push(e);
    try {
      const bounded = new mp.BoundedSemaphore(1);
      bounded.release();
      for (let i = 0; i < 1000 && errors.length === 0; i++) await new Promise((resolve) => setTimeout(resolve, 10));
      expect(errors[0]).toBeInstanceOf(RangeError);
      expect(await bounded.acquire({ timeout: 0 })).toBe(true);
      expect(await bounded.acquire({ timeout: 0 })).toBe(false);
    } finally {
      console.error = original;
    }
    const sem = new mp.Semaphore(0);
    sem.release(2);
    expect(await sem.acquire({ timeout: 20_000 })).toBe(true);
    expect(await sem.acquire({ timeout: 20_000 })).toBe(true);
  });
});
