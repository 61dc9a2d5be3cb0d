/**
 * Hard worker deaths on a warm pool (issue #9, defect 4): `process.exit` from
 * task code, a thread running out of memory, SIGKILL of a child. Results the
 * worker finished before the death reach their callers, only the task that
 * was running fails, and nothing runs again without `retries` (a marker file
 * counts the runs).
 */
import { mkdtempSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Pool, WorkerExitedError, type NodeContext } from '@multiproc/node';

const tasks = new URL('./fixtures/node-tasks.js', import.meta.url);
type Tasks = typeof import('./fixtures/node-tasks.js');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const dir = mkdtempSync(join(tmpdir(), 'mp-death-'));
let files = 0;

async function until(check: () => boolean, what: string, ms = 20_000): Promise<void> {
  for (let waited = 0; !check(); waited += 20) {
    if (waited > ms) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

const runs = (file: string): number => (existsSync(file) ? readFileSync(file, 'utf8').split('\n').length - 1 : 0);

/**
 * A warm one-worker pool; `quick` has run there, so the mix below goes out in one batch.
 * With `knownQuick`, `markThen` has run there quickly too, so the worker does not flush before it.
 */
async function warmPool(context: NodeContext, extra: Record<string, unknown> = {}, knownQuick = false): Promise<Pool<Tasks>> {
  const pool = new Pool<Tasks>(tasks, { processes: 1, context, ...extra });
  await Promise.all(Array.from({ length: 2000 }, (_, i) => pool.apply('quick', [i])));
  if (knownQuick) await Promise.all(Array.from({ length: 20 }, () => pool.apply('markThen', [join(dir, 'warm'), 'none'])));
  return pool;
}

/** Two quick tasks, the crashing one, 20 more, all submitted in one tick: the first batch holds the three. */
function mix(pool: Pool<Tasks>, file: string, how: string, retries = 0) {
  const before = Array.from({ length: 2 }, (_, i) => pool.apply('quick', [i]));
  const crash = pool.apply('markThen', [file, how], { retries });
  crash.catch(() => {});
  const after = Array.from({ length: 20 }, (_, i) => pool.apply('quick', [100 + i]));
  return { before, crash, after };
}

async function expectOnlyTheCrashFails(m: ReturnType<typeof mix>): Promise<WorkerExitedError> {
  expect(await Promise.all(m.before)).toEqual([0, 1]);
  const err = await m.crash.then(() => undefined, (e: unknown) => e);
  expect(err).toBeInstanceOf(WorkerExitedError);
  expect((err as WorkerExitedError).taskName).toBe('markThen');
  expect(await Promise.all(m.after)).toEqual(Array.from({ length: 20 }, (_, i) => 100 + i));
  return err as WorkerExitedError;
}

describe.each(['thread', 'process'] as const)('worker death on a warm pool (%s)', (context) => {
  it('process.exit in a task behind finished quick tasks: they resolve, only it fails, it ran once', async () => {
    await using pool = await warmPool(context);
    const file = join(dir, `exit-${files++}`);
    const err = await expectOnlyTheCrashFails(mix(pool, file, 'exit'));
    expect(err.exitCode).toBe(7);
    expect(err.attempts).toBe(1);
    expect(runs(file)).toBe(1);
  });

  it('with retries: 1 the task that calls process.exit runs exactly twice', async () => {
    await using pool = await warmPool(context);
    const file = join(dir, `retry-${files++}`);
    const err = await expectOnlyTheCrashFails(mix(pool, file, 'exit', 1));
    expect(err.attempts).toBe(2);
    expect(runs(file)).toBe(2);
  });

  it('process.exit in a task whose name is known quick there: the same (the exit hook sends the results)', async () => {
    await using pool = await warmPool(context, {}, true);
    const file = join(dir, `exit-known-${files++}`);
    await expectOnlyTheCrashFails(mix(pool, file, 'exit'));
    expect(runs(file)).toBe(1);
  });
});

describe('hard deaths', () => {
  it('a child SIGKILLed in a CPU loop behind finished quick tasks: only the loop fails, once', async () => {
    await using pool = await warmPool('process');
    const file = join(dir, `kill-${files++}`);
    const m = mix(pool, file, 'spin');
    await until(() => runs(file) === 1, 'the loop to start');
    process.kill(pool.pids[0], 'SIGKILL');
    const err = await expectOnlyTheCrashFails(m);
    expect(err.signal).toBe('SIGKILL');
    expect(runs(file)).toBe(1);
  });

  it('a thread that runs out of memory behind finished quick tasks: only that task fails, once', async () => {
    await using pool = await warmPool('thread', { resourceLimits: { maxOldGenerationSizeMb: 48, maxYoungGenerationSizeMb: 8 } });
    const file = join(dir, `oom-${files++}`);
    await expectOnlyTheCrashFails(mix(pool, file, 'oom'));
    expect(runs(file)).toBe(1);
  });

  it('out of memory in a task whose name is known quick there: the running word blames it alone; it runs once', async () => {
    await using pool = await warmPool('thread', { resourceLimits: { maxOldGenerationSizeMb: 48, maxYoungGenerationSizeMb: 8 } }, true);
    const file = join(dir, `oom-known-${files++}`);
    const m = mix(pool, file, 'oom');
    // Finished before it: delivered, or (when still in the outbox) failed as finished-but-lost, never re-run.
    for (const s of await Promise.allSettled(m.before)) {
      if (s.status === 'rejected') expect(String(s.reason)).toMatch(/finished, but its worker exited/);
    }
    const err = await m.crash.then(() => undefined, (e: unknown) => e);
    expect(err).toBeInstanceOf(WorkerExitedError);
    expect((err as WorkerExitedError).message).toMatch(/running task "markThen"/);
    expect(await Promise.all(m.after)).toEqual(Array.from({ length: 20 }, (_, i) => 100 + i));
    expect(runs(file)).toBe(1);
  });
});
