// A worker the pool is stopping keeps the program alive until it has exited:
// join() waits for that exit, and a program whose last await is
// `pool.terminate()` would otherwise end with that promise unsettled (Node's
// exit code 13). A result that arrives while the worker stops must not unref it.
import { describe, expect, it } from 'vitest';
import { Pool, type RuntimeAdapter, type WorkerSink } from '@multiproc/core';
import { memoryAdapter } from './memory-adapter.js';

const tasks = new URL('../dist/conformance/fixtures/tasks.js', import.meta.url);

/** The memory adapter, with each worker's ref state recorded and its exit held until released. */
function watchedAdapter() {
  const inner = memoryAdapter();
  const workers: { refd: boolean; results: number; terminated: boolean; release: () => void }[] = [];
  const adapter: RuntimeAdapter = {
    ...inner,
    spawn(options, sink) {
      const w = { refd: options.ref, results: 0, terminated: false, release: () => {} };
      workers.push(w);
      let exitInfo: Parameters<WorkerSink['exit']>[0] | undefined;
      const proxy: WorkerSink = {
        message(data) {
          if ((data as { type?: unknown }).type === 'results') w.results++;
          sink.message(data);
        },
        exit(info) {
          exitInfo = info;
          if (!w.terminated) sink.exit(info);
        },
      };
      const handle = inner.spawn(options, proxy);
      w.release = () => sink.exit(exitInfo ?? { code: 1, signal: null });
      return {
        ...handle,
        // The worker goes on running (its results still arrive) until the test lets it exit.
        terminate: () => {
          w.terminated = true;
        },
        ref: () => {
          w.refd = true;
        },
        unref: () => {
          w.refd = false;
        },
      };
    },
  };
  return { adapter, workers };
}

async function until(check: () => boolean, what: string): Promise<void> {
  for (const deadline = Date.now() + 20_000; !check(); ) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('keeping the program alive', () => {
  it('a worker being terminated stays ref\'d until it exits, even when a result arrives meanwhile', async () => {
    const { adapter, workers } = watchedAdapter();
    const pool = new Pool(tasks, { adapter, processes: 1 });
    expect(await pool.apply('square', [3])).toBe(9);
    const late = pool.apply('sleep', [300, 'late']).catch((e: unknown) => e);
    await until(() => workers[0].refd, 'the busy worker to be ref\'d');
    let joined = false;
    const terminated = pool.terminate().then(() => (joined = true));
    expect((await late as Error).name).toBe('PoolClosedError');
    const before = workers[0].results;
    await until(() => workers[0].results > before, 'the running task\'s result to arrive after terminate()');
    expect(joined).toBe(false);
    expect(workers[0].refd).toBe(true);
    workers[0].release();
    await terminated;
    expect(joined).toBe(true);
  });
});
