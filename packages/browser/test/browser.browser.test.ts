/**
 * What only the browser adapter does, beyond the shared conformance suite:
 * capabilities and cpuCount from the page, `context: 'process'` refused, the
 * worker-factory source with `expose`, and every way a Web Worker can end
 * (self.close(), an uncaught error, an unhandled rejection, a script that
 * fails to load, a close no one reports) settling tasks as a dying worker
 * does on Node.
 */
import { describe, expect, it } from 'vitest';
import { BrokenPoolError, Pool, Process, WorkerExitedError, browserAdapter, cpuCount, getContext } from '@multiproc/browser';

type Tasks = typeof import('./fixtures/browser-tasks.js');
const tasksUrl = new URL('./fixtures/browser-tasks.js', import.meta.url);

describe('browser adapter', () => {
  it('reports its capabilities and the CPU count from the page', () => {
    expect(crossOriginIsolated).toBe(true);
    expect(browserAdapter.capabilities).toEqual({ sharedMemory: true, transfer: true, isolatedGlobals: true, processes: false });
    expect(cpuCount()).toBe(navigator.hardwareConcurrency);
    expect(browserAdapter.cpuCount()).toBe(navigator.hardwareConcurrency);
  });

  it("refuses context 'process' with a clear TypeError; 'thread' works", async () => {
    expect(() => new Pool(tasksUrl, { context: 'process' as never })).toThrow(/context 'process' needs child processes/);
    expect(() => new Process({ module: tasksUrl, target: 'square', context: 'process' as never })).toThrow(TypeError);
    expect(() => getContext('process' as never)).toThrow(/browsers do not have/);
    const { Pool: ThreadPool } = getContext('thread');
    await using pool = new ThreadPool<Tasks>(tasksUrl, { processes: 1, context: 'thread' });
    expect(await pool.apply('square', [6])).toBe(36);
  });

  it('runs a worker factory whose script calls expose()', async () => {
    await using pool = new Pool<{ cube: (x: number) => number; whoAmI: () => string }>(
      () => new Worker(new URL('./fixtures/expose.worker.js', import.meta.url), { type: 'module' }),
      { processes: 2 },
    );
    expect(await pool.map('cube', [1, 2, 3, 4])).toEqual([1, 8, 27, 64]);
    expect(await pool.apply('whoAmI', [])).toMatch(/^PoolWorker-\d+$/);
  });

  it('a factory that returns something else than a Worker breaks the pool with a TypeError cause', async () => {
    await using pool = new Pool(() => ({}), { processes: 1 });
    const err = await pool.apply('x', []).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BrokenPoolError);
    expect((err as BrokenPoolError).cause).toBeInstanceOf(TypeError);
  });

  it('a worker script that fails to load breaks the pool; nothing hangs', async () => {
    await using pool = new Pool(() => new Worker(new URL('./fixtures/broken.worker.js', import.meta.url), { type: 'module' }), { processes: 1 });
    await expect(pool.apply('x', [])).rejects.toBeInstanceOf(BrokenPoolError);
  });

  it('a task that calls self.close() rejects with WorkerExitedError (exit code 0); the pool goes on', async () => {
    await using pool = new Pool<Tasks>(tasksUrl, { processes: 1 });
    const before = pool.pids[0];
    const err = await pool.apply('closeSelf', []).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(WorkerExitedError);
    expect((err as WorkerExitedError).exitCode).toBe(0);
    expect((err as WorkerExitedError).taskName).toBe('closeSelf');
    expect(await pool.apply('square', [4])).toBe(16);
    expect(pool.pids[0]).not.toBe(before);
  });

  it('a worker closed where the adapter cannot see it is noticed through its lifeline lock', async () => {
    await using pool = new Pool<{ closeUnseen: () => string; square: (x: number) => number }>(
      () => new Worker(new URL('./fixtures/unseen-close.worker.js', import.meta.url), { type: 'module' }),
      { processes: 1 },
    );
    const err = await pool.apply('closeUnseen', []).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(WorkerExitedError);
    expect((err as WorkerExitedError).exitCode).toBe(1);
    expect(await pool.apply('square', [5])).toBe(25);
  });

  it('an uncaught error or an unhandled rejection ends the worker with exit code 1, as on Node', async () => {
    await using pool = new Pool<Tasks>(tasksUrl, { processes: 1 });
    const thrown = await pool.apply('throwLater', [5_000]).catch((e: unknown) => e);
    expect(thrown).toBeInstanceOf(WorkerExitedError);
    expect((thrown as WorkerExitedError).exitCode).toBe(1);
    expect((thrown as WorkerExitedError).cause).toBeInstanceOf(Error);
    expect(String((thrown as WorkerExitedError).cause)).toMatch(/uncaught in a timer/);
    const rejected = await pool.apply('rejectLater', [5_000]).catch((e: unknown) => e);
    expect(rejected).toBeInstanceOf(WorkerExitedError);
    expect((rejected as WorkerExitedError).exitCode).toBe(1);
    expect(String((rejected as WorkerExitedError).cause)).toMatch(/nobody handles this/);
    expect(await pool.apply('square', [3])).toBe(9);
  });

  it('a Process whose target calls self.close() exits with code 0', async () => {
    const p = new Process<Tasks>({ module: tasksUrl, target: 'targetClose' });
    p.start();
    await p.join();
    expect(p.exitCode).toBe(0);
  });
});
