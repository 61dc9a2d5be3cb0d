// A task whose run a worker reports LOST (protocol 5: the worker lives on, the machine that ran
// the task did not, as with a Redis worker host) is retried like a dead worker's running task,
// against a scripted worker that plays its side of the protocol by hand.
import { describe, expect, it } from 'vitest';
import type { RuntimeAdapter, WorkerSink } from '../src/adapter.js';
import { encodeError } from '../src/protocol/error-codec.js';
import { PROTOCOL_VERSION, ResultStatus } from '../src/protocol/messages.js';
import { Pool, ProtocolError, WorkerExitedError } from '../src/index.js';

interface Scripted {
  sink: WorkerSink;
  /** The ids of the tasks it was sent, in order. */
  sent: number[];
}

function scripted(defaultRetries?: number) {
  const workers: Scripted[] = [];
  const adapter: RuntimeAdapter = {
    name: 'scripted',
    capabilities: { sharedMemory: false, transfer: false, isolatedGlobals: true, processes: false },
    cpuCount: () => 1,
    ...(defaultRetries === undefined ? {} : { defaultRetries }),
    spawn(_options, sink) {
      const w: Scripted = { sink, sent: [] };
      workers.push(w);
      queueMicrotask(() => sink.message({ type: 'ready', version: PROTOCOL_VERSION }));
      return {
        pid: 7000 + workers.length,
        postMessage: (m) => {
          const msg = m as { type: string; batch?: unknown[] };
          if (msg.type === 'tasks') for (let i = 0; i < (msg.batch as unknown[]).length; i += 4) w.sent.push((msg.batch as unknown[])[i] as number);
        },
        terminate: () => queueMicrotask(() => sink.exit({ code: null, signal: 'SIGTERM' })),
      };
    },
  };
  return { adapter, workers };
}

async function until(check: () => boolean): Promise<void> {
  for (let i = 0; i < 1000 && !check(); i++) await new Promise((resolve) => setTimeout(resolve, 1));
  expect(check()).toBe(true);
}

const lost = (id: number, how: string) => ({ type: 'results', batch: [id, ResultStatus.LOST, encodeError(new Error(how))] });

describe('a task reported LOST', () => {
  it('runs again while it has retries, then rejects with WorkerExitedError saying how, the earlier loss as its cause', async () => {
    const { adapter, workers } = scripted();
    const pool = new Pool('file:///tasks.js', { adapter, processes: 1 });
    try {
      const result = pool.apply('t' as never, [] as never, { retries: 1 });
      result.catch(() => {});
      await until(() => workers[0]?.sent.length === 1);
      const [id] = workers[0].sent;
      workers[0].sink.message(lost(id, 'the host vanished'));
      await until(() => workers[0].sent.length === 2);
      expect(workers[0].sent[1]).toBe(id);
      workers[0].sink.message(lost(id, 'the host vanished again'));
      const err = (await result.catch((e: unknown) => e)) as WorkerExitedError;
      expect(err).toBeInstanceOf(WorkerExitedError);
      expect(err.message).toBe('the host vanished again');
      expect(err.attempts).toBe(2);
      expect(err.taskName).toBe('t');
      expect(err.cause).toBeInstanceOf(WorkerExitedError);
      expect((err.cause as Error).message).toBe('the host vanished');
      expect(workers).toHaveLength(1);
    } finally {
      await pool.terminate();
    }
  });

  it("takes the adapter's defaultRetries when the caller gives none, and 0 stays 0", async () => {
    const { adapter, workers } = scripted(1);
    const pool = new Pool('file:///tasks.js', { adapter, processes: 1 });
    try {
      const again = pool.apply('t' as never, [] as never);
      await until(() => workers[0]?.sent.length === 1);
      workers[0].sink.message(lost(workers[0].sent[0], 'gone'));
      await until(() => workers[0].sent.length === 2);
      workers[0].sink.message({ type: 'results', batch: [workers[0].sent[1], ResultStatus.OK, 42] });
      expect(await again).toBe(42);
      const none = pool.apply('t' as never, [] as never, { retries: 0 });
      none.catch(() => {});
      await until(() => workers[0].sent.length === 3);
      workers[0].sink.message(lost(workers[0].sent[2], 'gone'));
      await expect(none).rejects.toBeInstanceOf(WorkerExitedError);
      expect(workers[0].sent).toHaveLength(3);
    } finally {
      await pool.terminate();
    }
  });

  it('a LOST result whose value is not an encoded error is a protocol error of that worker, not a crash', async () => {
    const { adapter, workers } = scripted();
    const pool = new Pool('file:///tasks.js', { adapter, processes: 1 });
    try {
      const r = pool.apply('t' as never, [] as never);
      r.catch(() => {});
      await until(() => workers[0]?.sent.length === 1);
      workers[0].sink.message({ type: 'results', batch: [workers[0].sent[0], ResultStatus.LOST, 'not an error'] });
      await expect(r).rejects.toBeInstanceOf(WorkerExitedError);
    } finally {
      await pool.terminate();
    }
  });
});

describe('a chunk answered with another count of values than it had items', () => {
  it('fails that chunk with ProtocolError (never undefined in place of a result): imap throws it at the chunk, map rejects with it, and the pool goes on', async () => {
    const { adapter, workers } = scripted();
    const pool = new Pool('file:///tasks.js', { adapter, processes: 1 });
    try {
      const it = pool.imap('t' as never, [1, 2, 3, 4] as never, { chunksize: 3 });
      const out: unknown[] = [];
      const reading = (async () => {
        for await (const v of it) out.push(v);
      })();
      await until(() => workers[0]?.sent.length === 1);
      workers[0].sink.message({ type: 'results', batch: [workers[0].sent[0], ResultStatus.CHUNK, { values: [10] }] });
      const err = await reading.then(() => undefined, (e: unknown) => e);
      expect(err).toBeInstanceOf(ProtocolError);
      expect((err as Error).message).toMatch(/answered a chunk of 3 items with 1 values/);
      expect(out).toEqual([]);
      // Its other chunk was sent all the same: answered, it settles nothing that was settled.
      await until(() => workers[0].sent.length === 2);
      workers[0].sink.message({ type: 'results', batch: [workers[0].sent[1], ResultStatus.CHUNK, { values: [40] }] });
      // Too many values fail the same way.
      const mapped = pool.map('t' as never, [5, 6] as never, { chunksize: 2 });
      mapped.catch(() => {});
      await until(() => workers[0].sent.length >= 3);
      const id = workers[0].sent.at(-1) as number;
      workers[0].sink.message({ type: 'results', batch: [id, ResultStatus.CHUNK, { values: [50, 60, 70] }] });
      expect(await mapped.catch((e: unknown) => e)).toBeInstanceOf(ProtocolError);
      // The worker still serves.
      const next = pool.apply('t' as never, [] as never);
      await until(() => workers[0].sent.length >= 4 && workers[0].sent.at(-1) !== id);
      workers[0].sink.message({ type: 'results', batch: [workers[0].sent.at(-1), ResultStatus.OK, 'fine'] });
      expect(await next).toBe('fine');
    } finally {
      await pool.terminate();
    }
  });
});
