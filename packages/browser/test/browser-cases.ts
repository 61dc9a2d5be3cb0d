/**
 * What only the browser adapter does, beyond the shared conformance suite,
 * as runner-neutral cases: vitest registers them in Chromium
 * (browser.browser.test.ts) and the page runner runs them in Firefox and in
 * a page without cross-origin isolation. Capabilities and cpuCount come from
 * the page; `context: 'process'` is refused; the worker-factory source runs
 * `expose`d tasks; and every way a Web Worker can end (self.close(), an
 * uncaught error, an unhandled rejection, a script that fails to load, a
 * close no one reports) settles tasks as a dying worker does on Node.
 */
import { BrokenPoolError, Pool, Process, ProcessPoolExecutor, ThreadPoolExecutor, WorkerExitedError, asCompleted, browserAdapter, cpuCount, getContext } from '@multiproc/browser';

type Tasks = typeof import('./fixtures/browser-tasks.js');

/** One case: a name and a body that throws on failure. */
export interface BrowserCase {
  readonly name: string;
  run(): Promise<void>;
}

function check(condition: unknown, message: string): asserts condition {
  if (!condition) throw new Error(message);
}

function same(actual: unknown, expected: unknown, what: string): void {
  const a = JSON.stringify(actual);
  const e = JSON.stringify(expected);
  check(a === e, `${what}: expected ${e}, got ${a}`);
}

function throwsType(fn: () => unknown, pattern: RegExp, what: string): void {
  try {
    fn();
  } catch (err) {
    check(err instanceof TypeError && pattern.test(err.message), `${what}: expected a TypeError matching ${pattern}, got ${String(err)}`);
    return;
  }
  throw new Error(`${what}: expected a TypeError, nothing was thrown`);
}

async function failure(promise: Promise<unknown>): Promise<unknown> {
  try {
    return { resolved: await promise };
  } catch (err) {
    return err;
  }
}

async function workerExit(promise: Promise<unknown>, exitCode: number, what: string): Promise<WorkerExitedError> {
  const err = await failure(promise);
  check(err instanceof WorkerExitedError, `${what}: expected a WorkerExitedError, got ${String(err)}`);
  same(err.exitCode, exitCode, `${what}: exitCode`);
  return err;
}

/** Creates the cases; fixtures are found relative to `base` (this file, unbundled), in `./fixtures/`. */
export function browserCases(base: string | URL = import.meta.url): BrowserCase[] {
  const tasksUrl = new URL('./fixtures/browser-tasks.js', base);
  const factory = (name: string) => () => new Worker(new URL(`./fixtures/${name}`, base), { type: 'module' });
  const cases: BrowserCase[] = [];
  const define = (name: string, run: () => Promise<void>): void => void cases.push({ name, run });

  define('capabilities and cpuCount come from the page', async () => {
    same(browserAdapter.capabilities, { sharedMemory: crossOriginIsolated, transfer: true, isolatedGlobals: true, processes: false }, 'capabilities');
    same(typeof SharedArrayBuffer === 'function', crossOriginIsolated, 'SharedArrayBuffer exists exactly when the page is isolated');
    same(cpuCount(), navigator.hardwareConcurrency, 'cpuCount()');
    same(browserAdapter.cpuCount(), navigator.hardwareConcurrency, 'adapter.cpuCount()');
  });

  define("context 'process' is refused with a clear TypeError; 'thread' works", async () => {
    throwsType(() => new Pool(tasksUrl, { context: 'process' as never }), /context 'process' needs child processes/, 'Pool');
    throwsType(() => new Process({ module: tasksUrl, target: 'square', context: 'process' as never }), /browsers do not have/, 'Process');
    throwsType(() => getContext('process' as never), /browsers do not have/, 'getContext');
    const { Pool: ThreadPool } = getContext('thread');
    await using pool = new ThreadPool<Tasks>(tasksUrl, { processes: 1, context: 'thread' });
    same(await pool.apply('square', [6]), 36, 'square(6)');
  });

  define('ProcessPoolExecutor is refused with a clear TypeError; ThreadPoolExecutor runs on Web Workers', async () => {
    throwsType(() => new (ProcessPoolExecutor as unknown as typeof ThreadPoolExecutor)(tasksUrl), /ProcessPoolExecutor needs child processes/, 'ProcessPoolExecutor');
    throwsType(() => new ThreadPoolExecutor(tasksUrl, { context: 'process' } as never), /context is not an option of ThreadPoolExecutor/, 'ThreadPoolExecutor context');
    await using ex = new ThreadPoolExecutor<Tasks>(tasksUrl, { maxWorkers: 2 });
    const fs = [2, 3, 4].map((x) => ex.submit('square', [x]));
    const seen: number[] = [];
    for await (const f of asCompleted(fs)) seen.push(await f.result());
    same(seen.sort((a, b) => a - b), [4, 9, 16], 'asCompleted over futures');
  });

  define('a worker factory whose script calls expose() serves its tasks', async () => {
    await using pool = new Pool<{ cube: (x: number) => number; whoAmI: () => string }>(factory('expose.worker.js'), { processes: 2 });
    same(await pool.map('cube', [1, 2, 3, 4]), [1, 8, 27, 64], 'map cube');
    check(/^PoolWorker-\d+$/.test(await pool.apply('whoAmI', [])), 'the worker knows its name');
  });

  define('a factory that returns something else than a Worker breaks the pool with a TypeError cause', async () => {
    await using pool = new Pool(() => ({}), { processes: 1 });
    const err = await failure(pool.apply('x', []));
    check(err instanceof BrokenPoolError, `expected BrokenPoolError, got ${String(err)}`);
    check(err.cause instanceof TypeError, 'the cause is the TypeError');
  });

  define('a worker script that fails to load breaks the pool; nothing hangs', async () => {
    await using pool = new Pool(factory('broken.worker.js'), { processes: 1 });
    const err = await failure(pool.apply('x', []));
    check(err instanceof BrokenPoolError, `expected BrokenPoolError, got ${String(err)}`);
  });

  define('a task that calls self.close() rejects with WorkerExitedError (exit code 0); the pool goes on', async () => {
    await using pool = new Pool<Tasks>(tasksUrl, { processes: 1 });
    const before = pool.pids[0];
    const err = await workerExit(pool.apply('closeSelf', []), 0, 'closeSelf');
    same(err.taskName, 'closeSelf', 'taskName');
    same(await pool.apply('square', [4]), 16, 'square(4) afterwards');
    check(pool.pids[0] !== before, 'the worker was replaced');
  });

  define('a worker closed where the adapter cannot see it is noticed through its lifeline lock', async () => {
    await using pool = new Pool<{ closeUnseen: () => string; square: (x: number) => number }>(factory('unseen-close.worker.js'), { processes: 1 });
    await workerExit(pool.apply('closeUnseen', []), 1, 'closeUnseen');
    same(await pool.apply('square', [5]), 25, 'square(5) afterwards');
  });

  define('an uncaught error ends the worker with exit code 1, as on Node; an unhandled rejection is printed and ends nothing', async () => {
    await using pool = new Pool<Tasks>(tasksUrl, { processes: 1 });
    const thrown = await workerExit(pool.apply('throwLater', [5_000]), 1, 'throwLater');
    check(/uncaught in a timer/.test(String(thrown.cause)), `the cause is the uncaught error, got ${String(thrown.cause)}`);
    const before = pool.pids[0];
    same(await pool.apply('rejectLater', [300]), undefined, 'rejectLater returns despite its stray rejection');
    same(pool.pids[0], before, 'the worker was not replaced');
    same(await pool.apply('square', [3]), 9, 'square(3) afterwards');
  });

  define('a Process whose target calls self.close() exits with code 0', async () => {
    const p = new Process<Tasks>({ module: tasksUrl, target: 'targetClose' });
    p.start();
    await p.join();
    same(p.exitCode, 0, 'exitCode');
  });

  return cases;
}
