/**
 * Timeouts past setTimeout's 2³¹−1 ms limit (issue #9, defect 8): Node clamps
 * such a delay to 1 ms and prints a `TimeoutOverflowWarning`. Every place that
 * takes a user's timeout must wait instead, and print nothing. The conformance
 * suite proves the waiting on every adapter; this proves the silence on Node.
 */
import { describe, expect, it } from 'vitest';
import { Event, Lock, Pool, Process, Queue, Semaphore } from '@multiproc/node';

const tasks = new URL('./fixtures/node-tasks.js', import.meta.url);
type Tasks = typeof import('./fixtures/node-tasks.js');

const LONG_TIMEOUTS = [Infinity, 2 ** 31, 1e10];

describe('timeouts of 2**31 ms and more', () => {
  it('wait and print no TimeoutOverflowWarning, in the pool, the process and the primitives', async () => {
    const warnings: Error[] = [];
    const onWarning = (w: Error): void => {
      warnings.push(w);
    };
    process.on('warning', onWarning);
    try {
      await using pool = new Pool<Tasks>(tasks, { processes: 1 });
      for (const timeout of LONG_TIMEOUTS) {
        expect(await pool.apply('sleep', [50, 'applied'], { timeout })).toBe('applied');
        expect(await pool.applyAsync('sleep', [50, 'got']).get({ timeout })).toBe('got');
        const r = pool.applyAsync('sleep', [50, 'waited']);
        await r.wait({ timeout });
        expect(r.ready()).toBe(true);
        const it = pool.imap('sleep', [50]);
        expect((await it.next({ timeout })).done).toBe(false);
        const p = new Process<Tasks>({ module: tasks, target: 'sleep', args: [50] });
        p.start();
        await p.join({ timeout });
        expect(p.exitCode).toBe(0);

        const lock = new Lock();
        await lock.acquire();
        const acquired = lock.acquire({ timeout });
        const ev = new Event();
        const set = ev.wait({ timeout });
        const sem = new Semaphore(0);
        const released = sem.acquire({ timeout });
        const q = new Queue<number>();
        const got = q.get({ timeout });
        setTimeout(() => {
          lock.release();
          ev.set();
          sem.release();
          q.putNowait(1);
        }, 50);
        expect(await Promise.all([acquired, set, released, got])).toEqual([true, true, true, 1]);
      }
      // Node emits warnings on a later tick: let them arrive before looking.
      await new Promise((resolve) => setImmediate(resolve));
      expect(warnings.map((w) => `${w.name}: ${w.message}`)).toEqual([]);
    } finally {
      process.off('warning', onWarning);
    }
  });
});
