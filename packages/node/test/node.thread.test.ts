/**
 * Node-specific behaviour of worker threads beyond the conformance suite:
 * source forms, the worker-factory form, contexts, and process lifetime.
 */
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { promisify } from 'node:util';
import { describe, expect, it, vi } from 'vitest';
import { BrokenPoolError, Event, Pool, Process, ProtocolError, UnknownTaskError, WorkerExitedError, cpuCount, getContext, processAdapter, threadAdapter } from '@multiproc/node';

const tasks = new URL('./fixtures/node-tasks.js', import.meta.url);
type Tasks = typeof import('./fixtures/node-tasks.js');
const run = promisify(execFile);

describe('worker_threads specifics', () => {
  it('accepts an absolute path and a file: URL string as the module source', async () => {
    await using byPath = new Pool<Tasks>(fileURLToPath(tasks), { processes: 1 });
    expect(await byPath.apply('roundTrip', ['path'])).toBe('path');
    await using byString = new Pool<Tasks>(tasks.href, { processes: 1 });
    expect(await byString.apply('roundTrip', ['href'])).toBe('href');
  });

  it('refuses a relative path with a TypeError that shows the import.meta.url form', () => {
    expect(() => new Pool('./fixtures/node-tasks.js')).toThrow(/new URL\('\.\/fixtures\/node-tasks\.js', import\.meta\.url\)/);
  });

  it('runs a worker factory whose script calls expose()', async () => {
    await using pool = new Pool<{ double(x: number): number; whoAmI(): string }>(() => new Worker(new URL('./fixtures/exposed.worker.js', import.meta.url)), { processes: 2 });
    expect(await pool.map('double', [1, 2, 3])).toEqual([2, 4, 6]);
    expect(await pool.apply('whoAmI', [])).toMatch(/^PoolWorker-\d$/);
  });

  it('expose(): a task named toString runs when exposed; other Object.prototype keys reject with UnknownTaskError', async () => {
    await using pool = new Pool<{ double(x: number): number }>(() => new Worker(new URL('./fixtures/proto-keys.worker.js', import.meta.url)), { processes: 1 });
    expect(await pool.apply('toString' as never, [] as never)).toBe('mine');
    for (const name of ['constructor', 'hasOwnProperty', '__proto__', 'valueOf', 'isPrototypeOf']) {
      await expect(pool.apply(name as never, [] as never)).rejects.toBeInstanceOf(UnknownTaskError);
    }
    expect(await pool.apply('double', [21])).toBe(42);
  });

  it("a worker's messageerror fails that worker: its running task rejects with WorkerExitedError (cause ProtocolError), a new worker serves the rest", async () => {
    // A message that cannot be deserialized cannot be provoked on purpose in Node: the real worker's own event is emitted.
    const workers: Worker[] = [];
    const make = (): Worker => {
      const w = new Worker(new URL('./fixtures/exposed.worker.js', import.meta.url));
      workers.push(w);
      return w;
    };
    await using pool = new Pool<{ double(x: number): number; sleep(started: Event, ms: number): void }>(make, { processes: 1 });
    const started = new Event();
    const stuck = pool.apply('sleep', [started, 60_000]);
    expect(await started.wait({ timeout: 20_000 })).toBe(true);
    const lost = new Error('could not deserialize');
    const lines: string[] = [];
    const printed = vi.spyOn(console, 'error').mockImplementation((line: unknown) => void lines.push(String(line)));
    try {
      workers[0]?.emit('messageerror', lost);
      const err = await stuck.catch((e: unknown) => e);
      expect(err).toBeInstanceOf(WorkerExitedError);
      expect((err as WorkerExitedError).cause).toBeInstanceOf(ProtocolError);
      expect(((err as WorkerExitedError).cause as ProtocolError).cause).toBe(lost);
    } finally {
      printed.mockRestore();
    }
    expect(lines.some((l) => l.includes('could not be deserialized'))).toBe(true);
    expect(await pool.apply('double', [21])).toBe(42);
    expect(workers.length).toBe(2);
  });

  it('a factory that returns something else breaks the pool with a clear cause', async () => {
    const pool = new Pool(() => ({}), { processes: 1 });
    const err = await pool.apply('x', []).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BrokenPoolError);
    expect(String((err as Error).message)).toMatch(/worker factory must return a worker_threads Worker/);
    await pool.terminate();
  });

  it('getContext() binds Pool and Process to a context; unknown contexts are refused', async () => {
    const threads = getContext('thread');
    expect(threads.context).toBe('thread');
    await using pool = new threads.Pool<Tasks>(tasks, { processes: 1 });
    expect(await pool.apply('ownPid', [])).toBe(process.pid);
    const procs = getContext('process');
    await using child = new procs.Pool<Tasks>(tasks, { processes: 1 });
    expect(await child.apply('ownPid', [])).not.toBe(process.pid);
    expect(child).toBeInstanceOf(Pool);
    expect(pool).toBeInstanceOf(Pool);
    expect(() => getContext('fork' as never)).toThrow(TypeError);
    expect(() => new Pool(tasks, { context: 'fork' as never })).toThrow(TypeError);
  });

  it('cpuCount() and the adapters agree and are at least 1', () => {
    expect(cpuCount()).toBeGreaterThanOrEqual(1);
    expect(threadAdapter.cpuCount()).toBe(cpuCount());
    expect(processAdapter.capabilities.processes).toBe(true);
    expect(threadAdapter.capabilities.sharedMemory).toBe(true);
  });

  it.each(['thread', 'process'])('an idle pool that was never closed does not keep Node alive (%s)', async (context) => {
    const { stdout } = await run(process.execPath, [fileURLToPath(new URL('./fixtures/idle-pool.js', import.meta.url)), context], { timeout: 20_000 });
    expect(stdout.trim()).toBe('[1,2,3]');
  });

  // Found by the examples (issue 15): Node ended these programs with exit code 13, the await unsettled.
  it.each(['thread', 'process'])('await pool.ready() on a new pool keeps Node alive until the workers are ready (%s)', async (context) => {
    const { stdout } = await run(process.execPath, [fileURLToPath(new URL('./fixtures/awaited-pool.js', import.meta.url)), 'ready', context], { timeout: 20_000 });
    expect(stdout.trim()).toBe('ready 2');
  });

  it.each(['thread', 'process'])('close() and await join() after aborting a running task keep Node alive until its worker has exited (%s)', async (context) => {
    const { stdout } = await run(process.execPath, [fileURLToPath(new URL('./fixtures/awaited-pool.js', import.meta.url)), 'abort-join', context], { timeout: 20_000 });
    expect(stdout.trim().split('\n')).toEqual(['aborted AbortError', 'joined']);
  });

  it('a non-daemon Process keeps Node alive until it ends; its output comes first', async () => {
    const { stdout } = await run(process.execPath, [fileURLToPath(new URL('./fixtures/process-main.js', import.meta.url))], { timeout: 20_000 });
    expect(stdout.trim().split('\n')).toEqual(['from the child', 'joined 0']);
  });

  it.each(['thread', 'process'])('Process.start() with arguments that cannot be sent throws EncodingError, leaves nothing alive, and Node exits (%s)', async (context) => {
    const { stdout } = await run(process.execPath, [fileURLToPath(new URL('./fixtures/uncloneable-process.js', import.meta.url)), context], { timeout: 20_000 });
    const refused = 'EncodingError MP_ENCODING alive=false pid=null';
    expect(stdout.trim().split('\n')).toEqual([...(context === 'process' ? [refused, refused, refused] : [refused, refused]), 'active=0']);
  });

  it('Process.pid is the worker thread id and currentProcess() inside reports it', async () => {
    const p = new Process<Tasks, 'sleep'>({ module: tasks, target: 'sleep', args: [10] });
    p.start();
    expect(typeof p.pid).toBe('number');
    await p.join();
    expect(p.exitCode).toBe(0);
  });
});
