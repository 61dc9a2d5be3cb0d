/**
 * A hostile worker host: a BullMQ worker on the context's own queue that is
 * not `multiproc-worker` and answers jobs with whatever it likes (values that
 * are not text, text that is not core's codec, outcomes of the wrong shape,
 * chunks with too few values, a thrown error, nothing at all for a Process).
 * Nothing it sends may crash the client or leave a result pending: each such
 * task rejects with a precise error, and the pool goes on serving.
 */
import { decodeValueText, encodeValueText, ResultStatus } from '@multiproc/core';
import { type Job, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JobKind, type JobData } from '../src/job-data.js';
import { QUEUE_NAME } from '../src/names.js';
import { ProtocolError, WorkerExitedError, redisContext, type RedisContext } from '../src/index.js';
import { startRedis, type RedisServer } from './redis-server.js';

/** What the rogue host answers, chosen by a task's first argument. */
const ANSWERS: Record<string, () => unknown> = {
  ok: () => encodeValueText([ResultStatus.OK, 'fine']),
  number: () => 42,
  object: () => ({ status: 0 }),
  text: () => 'this is not codec text',
  status: () => encodeValueText([99, 'x']),
  short: () => encodeValueText([ResultStatus.OK]),
  'chunk-for-apply': () => encodeValueText([ResultStatus.CHUNK, 5]),
  'proto-key': () => encodeValueText([ResultStatus.OK, JSON.parse('{"__proto__": {"polluted": true}, "a": 1}')]),
};

/** What `promise` rejected with (undefined if it resolved). */
function failure(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => undefined,
    (e: unknown) => e,
  );
}

/** An error and its causes, outermost first. */
function causes(error: unknown): unknown[] {
  const out: unknown[] = [];
  for (let e = error; e !== undefined && out.length < 10; e = (e as Error).cause) out.push(e);
  return out;
}

let redis: RedisServer;
let rogue: Worker;
let mp: RedisContext;
const prefix = 'rogue';

beforeAll(async () => {
  redis = await startRedis();
  const connection = new Redis(redis.url, { maxRetriesPerRequest: null });
  rogue = new Worker(
    QUEUE_NAME,
    async (job: Job<JobData>) => {
      const data = job.data;
      if (data.k === JobKind.INIT) return encodeValueText([ResultStatus.OK, null]);
      if (data.k === JobKind.TARGET) return encodeValueText([ResultStatus.OK, 'not an exit code']);
      if (data.k === JobKind.MAP_CHUNK) {
        const items = decodeValueText(data.a) as unknown[];
        // One value fewer than it was sent, in a chunk of the right shape.
        if (items[0] === 'short-values') return encodeValueText([ResultStatus.CHUNK, { values: items.slice(1) }]);
        // One value fewer than it was sent, and an error record of the wrong shape.
        return encodeValueText([ResultStatus.CHUNK, { values: items.slice(1).map(() => 'v'), errors: 'no' }]);
      }
      const [mode] = decodeValueText(data.a) as [string];
      if (mode === 'throw') throw new Error('the rogue host throws');
      return (ANSWERS[mode] ?? ANSWERS.ok)();
    },
    { connection, prefix, concurrency: 4 },
  );
  await rogue.waitUntilReady();
  mp = redisContext({ connection: redis.url, prefix });
});

afterAll(async () => {
  await mp?.close();
  await rogue?.close();
  await redis?.stop();
});

describe('a hostile worker host', () => {
  it('answers the client cannot read reject that task with ProtocolError; the pool goes on', async () => {
    await using pool = new mp.Pool('tasks', { processes: 2 });
    expect(await pool.apply('any', ['ok'], { retries: 0 })).toBe('fine');
    for (const mode of ['number', 'object', 'text', 'status', 'short']) {
      const error = await failure(pool.apply('any', [mode], { retries: 0 }));
      expect(error, mode).toBeInstanceOf(ProtocolError);
      expect((error as ProtocolError).message, mode).toMatch(/cannot read/);
    }
    expect(await pool.apply('any', ['ok'], { retries: 0 })).toBe('fine');
  });

  it('an outcome of the wrong kind for its task, or a chunk of the wrong shape, stops that worker: the task fails with the ProtocolError as cause', async () => {
    await using pool = new mp.Pool('tasks', { processes: 2 });
    const wrongKind = await failure(pool.apply('any', ['chunk-for-apply'], { retries: 0 }));
    expect(wrongKind).toBeInstanceOf(WorkerExitedError);
    expect((wrongKind as WorkerExitedError).attempts).toBe(1);
    expect((wrongKind as Error).cause).toBeInstanceOf(ProtocolError);
    expect(((wrongKind as Error).cause as Error).message).toMatch(/malformed message \(a chunk result of the wrong shape\)/);
    // A map's chunk (run again once: Redis's default retries) fails the same way, never pending.
    const mapped = await failure(pool.map('any', [1, 2, 3, 4], { chunksize: 4 }));
    expect(mapped).toBeInstanceOf(WorkerExitedError);
    expect((mapped as WorkerExitedError).attempts).toBe(2);
    // The first attempt's ProtocolError is in the chain (core chains earlier attempts' errors).
    expect(causes(mapped).some((e) => e instanceof ProtocolError)).toBe(true);
    expect(await pool.apply('any', ['ok'], { retries: 0 })).toBe('fine');
  });

  it('a chunk answered with fewer values than it had items rejects that map with ProtocolError, never with undefined in place of the missing results', async () => {
    await using pool = new mp.Pool('tasks', { processes: 2 });
    const error = await failure(pool.map('any', ['short-values', 2, 3, 4], { chunksize: 4 }));
    expect(error).toBeInstanceOf(ProtocolError);
    expect((error as ProtocolError).message).toMatch(/answered a chunk of 4 items with 3 values/);
    expect(await pool.apply('any', ['ok'], { retries: 0 })).toBe('fine');
  });

  it('an own __proto__ key in a result stays a key; no prototype is polluted', async () => {
    await using pool = new mp.Pool('tasks', { processes: 1 });
    const value = (await pool.apply('any', ['proto-key'], { retries: 0 })) as Record<string, unknown>;
    expect(Object.getPrototypeOf(value)).toBe(Object.prototype);
    expect(Object.hasOwn(value, '__proto__')).toBe(true);
    expect(value.a).toBe(1);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('a job the host fails is the task\'s WorkerExitedError (retries 0)', async () => {
    await using pool = new mp.Pool('tasks', { processes: 1 });
    const error = await failure(pool.apply('any', ['throw'], { retries: 0 }));
    expect(error).toBeInstanceOf(WorkerExitedError);
    expect((error as Error).message).toMatch(/the rogue host throws/);
    expect(await pool.apply('any', ['ok'], { retries: 0 })).toBe('fine');
  });

  it('a Process whose host answers without an exit code ends with code 1, not pending', async () => {
    const p = new mp.Process({ module: 'tasks', target: 'any', args: [] });
    p.start();
    await p.join();
    expect(p.exitCode).toBe(1);
  });
});
