/**
 * Issue #9 defect 10: a worker killed inside a queue operation must leave the
 * queue usable, and the parent must never spin its main thread waiting on a
 * dead worker's internal lock.
 */
import { describe, expect, it } from 'vitest';
import { Pool, Queue, QueueEmptyError } from '@multiproc/node';

const tasks = new URL('./fixtures/queue-churn.js', import.meta.url);
type Tasks = typeof import('./fixtures/queue-churn.js');

async function until(cond: () => boolean, ms: number): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 1));
  }
}

describe('a worker killed inside a queue operation (node:thread, shared memory)', () => {
  it('leaves the queue usable and the main thread free, kill after kill', { timeout: 120_000 }, async () => {
    const q = new Queue();
    let ticks = 0;
    let last = Date.now();
    let maxGap = 0;
    const timer = setInterval(() => {
      const t = Date.now();
      maxGap = Math.max(maxGap, t - last);
      last = t;
      ticks++;
    }, 5);
    try {
      const started = Date.now();
      let reps = 0;
      for (; reps < 50 && Date.now() - started < 60_000; reps++) {
        const pool = new Pool<Tasks>(tasks, { processes: 1 });
        pool.apply('churn', [q]).catch(() => {});
        await until(() => q.qsize() > 0, 20_000);
        const t0 = Date.now();
        // While the worker dies: awaited calls sleep (the main thread keeps ticking) and complete.
        const dying = pool.terminate();
        await q.put('during');
        expect(typeof q.qsize()).toBe('number');
        await dying;
        // Drain what the worker left, then the queue must work in order.
        for (;;) {
          try {
            q.getNowait();
          } catch (err) {
            expect(err).toBeInstanceOf(QueueEmptyError);
            break;
          }
        }
        expect(q.qsize()).toBe(0);
        await q.put('a');
        q.putNowait('b');
        const ticksBefore = ticks;
        await expect(q.get({ timeout: 0 })).resolves.toBe('a');
        expect(q.getNowait()).toBe('b');
        await expect(q.get({ timeout: 50 })).rejects.toBeInstanceOf(QueueEmptyError);
        expect(ticks).toBeGreaterThanOrEqual(ticksBefore);
        expect(Date.now() - t0).toBeLessThan(5_000);
      }
      expect(reps).toBeGreaterThanOrEqual(10);
      // The main thread was never blocked for long (a frozen parent spins for 10 s).
      expect(maxGap).toBeLessThan(3_000);
    } finally {
      clearInterval(timer);
    }
  });
});
