/**
 * The executors as Node binds them: ThreadPoolExecutor on worker threads,
 * ProcessPoolExecutor on child processes, and a process executor's future
 * whose child is SIGKILLed from outside or runs out of memory. The
 * behaviour they share with every adapter is in core's conformance suite
 * (area "Futures: executors").
 */
import { rmSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Event, Executor, ProcessPoolExecutor, ThreadPoolExecutor, WorkerExitedError, asCompleted, wait } from '@multiproc/node';

const tasks = new URL('./fixtures/node-tasks.js', import.meta.url);
type Tasks = typeof import('./fixtures/node-tasks.js');

describe('executors on Node', () => {
  it('ThreadPoolExecutor runs on worker threads of this process; ProcessPoolExecutor on child processes', async () => {
    await using threads = new ThreadPoolExecutor<Tasks>(tasks, { maxWorkers: 2 });
    await using procs = new ProcessPoolExecutor<Tasks>(tasks, { maxWorkers: 2 });
    expect(threads).toBeInstanceOf(Executor);
    expect(procs).toBeInstanceOf(Executor);
    expect(await threads.submit('ownPid', [])).toBe(process.pid);
    const childPid = await procs.submit('ownPid', []);
    expect(childPid).not.toBe(process.pid);
    expect(procs.pids).toContain(childPid);
    expect(procs.maxWorkers).toBe(2);
  });

  it("Node's worker options reach the workers; context is not an executor option", async () => {
    await using ex = new ProcessPoolExecutor<Tasks>(tasks, { maxWorkers: 1, env: { ...process.env, MP_EXECUTOR_TEST: 'yes' } });
    expect(await ex.submit('envVar', ['MP_EXECUTOR_TEST'])).toBe('yes');
    expect(() => new ThreadPoolExecutor(tasks, { context: 'process' } as never)).toThrow(/context is not an option of ThreadPoolExecutor/);
    expect(() => new ProcessPoolExecutor(tasks, { maxWorkers: 0 })).toThrow(RangeError);
  });

  it('a ProcessPoolExecutor future whose child is SIGKILLed from outside rejects with the signal; queued futures run on a replacement', async () => {
    await using ex = new ProcessPoolExecutor<Tasks>(tasks, { maxWorkers: 1 });
    const victim = await ex.submit('ownPid', []);
    const started = new Event();
    const running = ex.submit('startedThenSleep', [started, 30_000, 'never']);
    const queued = [1, 2, 3].map((i) => ex.submit('roundTrip', [i]));
    expect(await started.wait({ timeout: 20_000 })).toBe(true);
    expect(running.running()).toBe(true);
    process.kill(victim, 'SIGKILL');
    const err = (await running.exception()) as WorkerExitedError;
    expect(err).toBeInstanceOf(WorkerExitedError);
    expect(err.signal).toBe('SIGKILL');
    expect(running.done() && !running.cancelled()).toBe(true);
    const { done, notDone } = await wait(queued, { timeout: 20_000 });
    expect(notDone.size).toBe(0);
    expect(await Promise.all([...done].map((f) => f.result()))).toEqual([1, 2, 3]);
    expect(await ex.submit('ownPid', [])).not.toBe(victim);
  });

  it('a future whose thread runs out of memory rejects with WorkerExitedError and the executor goes on', async () => {
    await using ex = new ThreadPoolExecutor<Tasks>(tasks, { maxWorkers: 2, resourceLimits: { maxOldGenerationSizeMb: 32 } });
    const file = `/tmp/mp-executor-oom-${process.pid}-${Date.now()}`;
    const oom = ex.submit('markThen', [file, 'oom']);
    oom.addDoneCallback(() => rmSync(file, { force: true }));
    const fine = [ex.submit('quick', [1]), ex.submit('quick', [2])];
    const order: unknown[] = [];
    for await (const f of asCompleted([oom, ...fine], { timeout: 60_000 })) order.push(f);
    expect(order).toHaveLength(3);
    expect(await oom.exception()).toBeInstanceOf(WorkerExitedError);
    expect(await Promise.all(fine)).toEqual([1, 2]);
    expect(await ex.submit('quick', [3])).toBe(3);
  }, 90_000);
});
