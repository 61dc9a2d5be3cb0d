/**
 * Pool hygiene (issue #9, defect 13): one `map` with a signal adds one abort
 * listener, not one per chunk; pools terminated while their workers start
 * leave no file descriptors behind; idle thread workers, which spin briefly
 * for the next task (issue #11), burn no CPU while tasks come further apart.
 */
import { readdirSync, readlinkSync } from 'node:fs';
import v8 from 'node:v8';
import vm from 'node:vm';
import { describe, expect, it } from 'vitest';
import { Pool } from '@multiproc/node';

const tasks = new URL('./fixtures/node-tasks.js', import.meta.url);
type Tasks = typeof import('./fixtures/node-tasks.js');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const fds = (): number => readdirSync('/proc/self/fd').length;
/** What the open descriptors are, by kind (`pipe:[N]` → `pipe:[N]` counted together), for a failure message. */
function fdKinds(): Record<string, number> {
  const kinds: Record<string, number> = {};
  for (const fd of readdirSync('/proc/self/fd')) {
    let target = '?';
    try {
      target = readlinkSync(`/proc/self/fd/${fd}`).replace(/\d+/g, 'N');
    } catch {}
    kinds[target] = (kinds[target] ?? 0) + 1;
  }
  return kinds;
}
// Descriptors some handles own are closed when the handle is collected; an idle
// process may not collect for a long time, so the wait below collects itself.
v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc') as () => void;

describe('pool hygiene', () => {
  it('thread workers given tasks further apart than their spin burn (almost) no CPU between them', async () => {
    await using pool = new Pool<Tasks>(tasks, { processes: 2, context: 'thread' });
    await pool.map('roundTrip', [1, 2]); // both workers started
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    // Back-to-back first (the spin wins), then spaced out (the spin must stop).
    for (let i = 0; i < 200; i++) await pool.apply('roundTrip', [i]);
    for (let i = 0; i < 40; i++) {
      await sleep(25);
      expect(await pool.apply('roundTrip', [i])).toBe(i);
    }
    const cpu = process.cpuUsage(cpu0);
    const cpuMs = (cpu.user + cpu.system) / 1000;
    const wallMs = performance.now() - t0;
    // A worker that never stopped spinning would use a whole core for the wall time.
    expect(cpuMs, `CPU ${cpuMs.toFixed(0)} ms over ${wallMs.toFixed(0)} ms`).toBeLessThan(wallMs * 0.5);
  }, 60_000);

  it('a map with a signal over many chunks prints no MaxListenersExceededWarning', async () => {
    const warnings: Error[] = [];
    const onWarning = (w: Error): void => void warnings.push(w);
    process.on('warning', onWarning);
    try {
      await using pool = new Pool<Tasks>(tasks, { processes: 2 });
      const ac = new AbortController();
      const out = await pool.map('quick', Array.from({ length: 200 }, (_, i) => i), { chunksize: 1, signal: ac.signal });
      expect(out.length).toBe(200);
      const it = pool.imap('quick', Array.from({ length: 200 }, (_, i) => i), { chunksize: 1, signal: ac.signal });
      let n = 0;
      for await (const _ of it) n++;
      expect(n).toBe(200);
      // A warning is emitted on the next tick after the listener that exceeds the limit.
      await sleep(0);
    } finally {
      process.off('warning', onWarning);
    }
    expect(warnings.filter((w) => w.name === 'MaxListenersExceededWarning')).toEqual([]);
  });

  it.each(['thread', 'process'] as const)('200 pools terminated while their workers start leak no file descriptors (%s)', async (context) => {
    // One pool first, so lazily opened descriptors (the IPC machinery, the thread pool) are counted in `before`.
    await new Pool<Tasks>(tasks, { processes: 1, context }).terminate();
    const before = fds();
    const kindsBefore = fdKinds();
    const n = context === 'thread' ? 200 : 40;
    const ended: Promise<void>[] = [];
    for (let i = 0; i < n; i++) {
      const pool = new Pool<Tasks>(tasks, { processes: 2, context });
      // Some at once, some while their workers load the task module.
      if (i % 2 === 1) await sleep(i % 10);
      ended.push(pool.terminate());
    }
    await Promise.all(ended);
    let now = fds();
    for (let waited = 0; now > before + 5 && waited < 20_000; waited += 100) {
      await sleep(100);
      gc();
      now = fds();
    }
    expect(now, `open descriptors now ${JSON.stringify(fdKinds())}, before ${JSON.stringify(kindsBefore)}`).toBeLessThanOrEqual(before + 5);
  }, 120_000);
});
