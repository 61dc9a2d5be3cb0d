/**
 * Behaviour only child processes have: real pids, signals from outside,
 * no orphans, stdio reaching the parent, and the process options.
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { childExecArgv } from '../src/exec-argv.js';
import { Event, Pool, Process, WorkerExitedError, getContext, processAdapter } from '@multiproc/node';
import { commandFor, type Runtime } from './runtimes/run-under.js';

const tasks = new URL('./fixtures/node-tasks.js', import.meta.url);
type Tasks = typeof import('./fixtures/node-tasks.js');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const hasProc = existsSync('/proc/self/stat');

/** Whether `pid` is a live process. A zombie (dead, not yet reaped by a parent that may not reap) is not. */
function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  if (!hasProc) return true;
  try {
    return !/^\d+ \(.*\) Z /s.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false; // gone between the two checks
  }
}

async function until(check: () => boolean, what: string, ms = 15_000): Promise<void> {
  for (let waited = 0; !check(); waited += 50) {
    if (waited > ms) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

interface Parent {
  pids: number[];
  /** Everything the parent and its children wrote so far (stdout and stderr). */
  output: () => string;
  child: ReturnType<typeof spawn>;
  /** Settles when the parent has exited (listened for from the spawn on, so it is never missed). */
  exited: Promise<void>;
  /** Settles when the parent has exited and its stdio has closed (listened for from the spawn on, so it is never missed). */
  closed: Promise<void>;
}

/** Starts `fixture` (default orphan-parent.js) with `args` on `runtime` and resolves once it printed `PIDS [...]`. */
function runParent(mode: string, fixture = 'orphan-parent.js', extraArgs: string[] = [], runtime: Runtime = 'node'): Promise<Parent> {
  const { file, args } = commandFor(runtime);
  const child = spawn(file, [...args, new URL(`./fixtures/${fixture}`, import.meta.url).pathname, mode, ...extraArgs], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (d) => (output += d));
  child.stderr.on('data', (d) => (output += d));
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  const closed = new Promise<void>((resolve) => child.on('close', () => resolve()));
  return new Promise((resolve, reject) => {
    const t = setInterval(() => {
      const m = /PIDS (\[[^\]]*\])/.exec(output);
      if (m) {
        clearInterval(t);
        resolve({ pids: JSON.parse(m[1]) as number[], output: () => output, child, exited, closed });
      }
    }, 20);
    void closed.then(() => {
      if (!/PIDS/.test(output)) {
        clearInterval(t);
        reject(new Error(`parent exited ${child.exitCode ?? child.signalCode} early: ${output}`));
      }
    });
  });
}

/** SIGKILLs whatever of `pids` is still running (a failed test must not leave processes behind). */
function killLeftovers(pids: number[]): void {
  for (const pid of pids) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
}

/**
 * Runs `node <flags> <program>` in its own process group, with a deadline after which the whole
 * group is SIGKILLed: a regression that makes children run the program again cannot outlive the test.
 */
function runNodeProgram(flags: string[], program: string, env: NodeJS.ProcessEnv, args: string[] = []): Promise<{ code: number | null; output: string }> {
  const child = spawn(process.execPath, [...flags, program, ...args], { stdio: ['ignore', 'pipe', 'pipe'], detached: true, env });
  let output = '';
  child.stdout.on('data', (d) => (output += d));
  child.stderr.on('data', (d) => (output += d));
  return new Promise((resolve) => {
    const deadline = setTimeout(() => {
      try {
        process.kill(-(child.pid as number), 'SIGKILL');
      } catch {
        // already gone
      }
    }, 20_000);
    child.on('close', (code) => {
      clearTimeout(deadline);
      try {
        // Whatever the program left in its group (a regression's nested pools) goes too.
        process.kill(-(child.pid as number), 'SIGKILL');
      } catch {
        // nothing left
      }
      resolve({ code, output });
    });
  });
}

describe("context 'process' (child_process.fork)", () => {
  it('pids are the children\'s real pids', async () => {
    await using pool = new Pool<Tasks>(tasks, { processes: 2, context: 'process' });
    const pid = await pool.apply('ownPid', []);
    expect(pid).not.toBe(process.pid);
    expect(pool.pids).toContain(pid);
  });

  it('a child SIGKILLed from outside while holding tasks: its task rejects with the signal, a replacement starts, the rest succeed', async () => {
    await using pool = new Pool<Tasks>(tasks, { processes: 1, context: 'process' });
    const victim = (await pool.apply('ownPid', [])) as number;
    const started = new Event();
    const running = pool.apply('startedThenSleep', [started, 30_000, 'never']).catch((e: unknown) => e);
    const queued = [1, 2, 3].map((i) => pool.apply('roundTrip', [i]));
    expect(await started.wait({ timeout: 20_000 })).toBe(true);
    process.kill(victim, 'SIGKILL');
    const err = (await running) as WorkerExitedError;
    expect(err).toBeInstanceOf(WorkerExitedError);
    expect(err.signal).toBe('SIGKILL');
    expect(err.exitCode).toBe(-9);
    expect(err.taskName).toBe('startedThenSleep');
    expect(await Promise.all(queued)).toEqual([1, 2, 3]);
    const replacement = await pool.apply('ownPid', []);
    expect(replacement).not.toBe(victim);
  });

  it('Process exit codes from outside signals are minus the signal (SIGTERM -15, SIGINT -2)', async () => {
    const { Process: P } = getContext('process');
    const [aRuns, bRuns] = [new Event(), new Event()];
    const a = new P<Tasks, 'startedThenSleep'>({ module: tasks, target: 'startedThenSleep', args: [aRuns, 30_000] });
    const b = new P<Tasks, 'startedThenSleep'>({ module: tasks, target: 'startedThenSleep', args: [bRuns, 30_000] });
    a.start();
    b.start();
    expect([await aRuns.wait({ timeout: 20_000 }), await bRuns.wait({ timeout: 20_000 })]).toEqual([true, true]);
    process.kill(a.pid as number, 'SIGTERM');
    process.kill(b.pid as number, 'SIGINT');
    await Promise.all([a.join(), b.join()]);
    expect(a.exitCode).toBe(-15);
    expect(b.exitCode).toBe(-2);
  });

  it('terminate() and kill() on a Process report -15 and -9 and the child is gone', async () => {
    const [tRuns, kRuns] = [new Event(), new Event()];
    const t = new Process<Tasks, 'startedThenSleep'>({ module: tasks, target: 'startedThenSleep', args: [tRuns, 30_000], context: 'process' });
    const k = new Process<Tasks, 'startedThenSleep'>({ module: tasks, target: 'startedThenSleep', args: [kRuns, 30_000], context: 'process' });
    t.start();
    k.start();
    expect([await tRuns.wait({ timeout: 20_000 }), await kRuns.wait({ timeout: 20_000 })]).toEqual([true, true]);
    t.terminate();
    k.kill();
    await Promise.all([t.join(), k.join()]);
    expect([t.exitCode, k.exitCode]).toEqual([-15, -9]);
    expect(isRunning(t.pid as number)).toBe(false);
    expect(isRunning(k.pid as number)).toBe(false);
  });

  it('terminate() of a child that ignores SIGTERM escalates to SIGKILL; join() resolves with -9', async () => {
    const handlerSet = new Event();
    const p = new Process<Tasks, 'ignoreSigterm'>({ module: tasks, target: 'ignoreSigterm', args: [30_000, handlerSet], context: 'process' });
    p.start();
    expect(await handlerSet.wait({ timeout: 20_000 })).toBe(true);
    p.terminate();
    await p.join();
    expect(p.exitCode).toBe(-9);
    expect(isRunning(p.pid as number)).toBe(false);
  });

  it('pool.terminate() leaves no child running', async () => {
    const pool = new Pool<Tasks>(tasks, { processes: 2, context: 'process' });
    void pool.apply('sleep', [30_000]).catch(() => {});
    await pool.apply('ownPid', []);
    const pids = pool.pids;
    await pool.terminate();
    for (const pid of pids) expect(isRunning(pid)).toBe(false);
  });

  it('no orphans when the parent exits without closing its pool', async () => {
    const { pids, exited } = await runParent('exit');
    try {
      await exited;
      await until(() => pids.every((p) => !isRunning(p)), 'children to exit');
    } finally {
      killLeftovers(pids);
    }
  });

  it('no orphans when the parent is killed with SIGKILL', async () => {
    const { pids, child } = await runParent('wait');
    try {
      expect(pids.every(isRunning)).toBe(true);
      child.kill('SIGKILL');
      await until(() => pids.every((p) => !isRunning(p)), 'children to exit after their parent was killed');
    } finally {
      killLeftovers(pids);
    }
  });

  it.each(['SIGKILL', 'SIGTERM'] as const)('no orphans when the parent gets %s while its children run synchronous code', async (signal) => {
    const { pids, child, exited } = await runParent('busy', 'busy-parent.js');
    try {
      expect(pids).toHaveLength(3);
      expect(pids.every(isRunning)).toBe(true);
      child.kill(signal);
      await exited;
      await until(() => pids.every((p) => !isRunning(p)), `busy children to exit after their parent got ${signal}`);
    } finally {
      killLeftovers(pids);
    }
  });

  it("children's stdout and stderr reach the parent's", async () => {
    const { output, closed, pids } = await runParent('exit');
    try {
      await closed;
      expect(output()).toContain('child says hi');
      expect(output()).toContain('err:child says hi');
    } finally {
      killLeftovers(pids);
    }
  });

  it.each([
    ['-e', ['--input-type=module', '-e']],
    ['--eval', ['--input-type', 'module', '--eval']],
    ['-p', ['-p']],
    ['--print', ['--print']],
  ])('a pool started from `node %s` runs its tasks; the children do not run the program again', async (_name, flags) => {
    const dist = new URL('../dist/index.js', import.meta.url).href;
    const marker = 'MULTIPROC_TEST_EVAL_CHILD';
    // The guard: a child that runs this program again refuses to start a pool (and says so).
    // One expression, so that -p takes it too.
    const program = `process.env.${marker}
      ? (console.log('RAN AGAIN IN A CHILD'), process.exit(3))
      : ((process.env.${marker} = '1'), import(${JSON.stringify(dist)}).then(async ({ Pool }) => {
          const pool = new Pool(new URL(${JSON.stringify(tasks.href)}), { processes: 2, context: 'process' });
          console.log('RESULTS ' + JSON.stringify(await pool.map('roundTrip', [1, 2, 3])) + ' ' + JSON.stringify(await pool.apply('execArgv', [])));
        }))`;
    const { code, output } = await runNodeProgram(flags, program, { ...process.env, [marker]: '' });
    expect(output).not.toContain('RAN AGAIN');
    expect(output).toContain('RESULTS [1,2,3] []');
    expect(code).toBe(0);
  });

  it('the inherited execArgv loses the flags that choose what Node runs, in both spellings, and keeps the rest', () => {
    const given = ['--input-type', 'module', '-e', 'x()', '--max-old-space-size=128', '-pe', 'y', '--eval=z', '--print', 'w', '-i', '--interactive', '-c', '--check'];
    const more = ['--test', '--test-name-pattern', 'a', '--test-only', '--test-reporter=spec', '--watch', '--watch-path', 'src', '--watch-path=lib', '--inspect-brk=9229', '--enable-source-maps', '--conditions=dev'];
    expect(childExecArgv([...given, ...more])).toEqual(['--max-old-space-size=128', '--enable-source-maps', '--conditions=dev']);
  });

  it.each(['pool:thread', 'pool:process', 'process:thread', 'process:process'])(
    'a task module that starts a %s at its top level breaks the pool with BootstrapError instead of recursing',
    async (mode) => {
      const main = new URL('./fixtures/unguarded-main.js', import.meta.url).pathname;
      const { code, output } = await runNodeProgram([], main, { ...process.env, MULTIPROC_TEST_UNGUARDED: '' }, [mode]);
      expect(output).toContain('ERROR BrokenPoolError BootstrapError MP_BOOTSTRAP true');
      expect(code).toBe(0);
    },
  );

  it('a pool started inside a running task (after its module loaded) works', async () => {
    for (const context of ['thread', 'process'] as const) {
      await using pool = new Pool<Tasks>(tasks, { processes: 1, context });
      expect(await pool.apply('nestedPool', ['deep'])).toBe('deep');
    }
  });

  it('env, execArgv and serialization options reach the children', async () => {
    await using withEnv = new Pool<Tasks>(tasks, { processes: 1, context: 'process', env: { ...process.env, MULTIPROC_TEST: 'yes' }, execArgv: ['--max-old-space-size=128'] });
    expect(await withEnv.apply('envVar', ['MULTIPROC_TEST'])).toBe('yes');
    expect(await withEnv.apply('execArgv', [])).toContain('--max-old-space-size=128');
    const when = new Date(0);
    await using advanced = new Pool<Tasks>(tasks, { processes: 1, context: 'process' });
    expect(await advanced.apply('roundTrip', [when])).toBeInstanceOf(Date);
    await using json = new Pool<Tasks>(tasks, { processes: 1, context: 'process', serialization: 'json' });
    expect(await json.apply('roundTrip', [when])).toBe(when.toISOString());
  });

  it("with serialization 'json', a map of many numbers gives every number back (no chunk travels as a typed array, which JSON would turn into an object)", async () => {
    await using json = new Pool<Tasks>(tasks, { processes: 2, context: 'process', serialization: 'json' });
    const xs = Array.from({ length: 5_000 }, (_, i) => i * 0.5);
    expect(await json.map('roundTrip', xs)).toEqual(xs);
    expect(await json.map('roundTrip', xs, { chunksize: 1_000 })).toEqual(xs);
    await using advanced = new Pool<Tasks>(tasks, { processes: 2, context: 'process' });
    const special = [-0, NaN, Infinity, -Infinity, Number.MAX_VALUE, Number.MIN_VALUE, 0.1];
    const rich = Array.from({ length: 5_000 }, (_, i) => special[i % special.length]);
    expect(await advanced.map('roundTrip', rich)).toEqual(rich);
  });

  it("a worker factory is refused for context 'process' with a clear error", async () => {
    const pool = new Pool(() => null, { processes: 1, context: 'process' });
    await expect(pool.apply('x', [])).rejects.toThrow(/context 'process' needs a module URL/);
    await pool.terminate();
  });

  it('a message to a child that is already gone is dropped, not thrown (a throw means "cannot be cloned" to core)', async () => {
    let exited = (): void => {};
    const gone = new Promise<void>((resolve) => (exited = resolve));
    const handle = processAdapter.spawn({ source: { kind: 'module', url: tasks.href }, name: 'gone', ref: true }, { message: () => {}, messageError: () => {}, exit: () => exited() });
    handle.kill?.();
    await gone;
    expect(() => handle.postMessage({ type: 'tasks', batch: [1, 'ownPid', 0, []] })).not.toThrow();
  });
});

// Bun and Deno run the same child entry and its parent watchdog (docs/runtimes.md).
describe.each(['bun', 'deno'] as const)('no orphans on %s', (runtime) => {
  it('when the parent exits without closing its pool', async () => {
    const { pids, exited } = await runParent('exit', 'orphan-parent.js', [], runtime);
    try {
      await exited;
      await until(() => pids.every((p) => !isRunning(p)), 'children to exit');
    } finally {
      killLeftovers(pids);
    }
  }, 60_000);

  it('when the parent is killed with SIGKILL', async () => {
    const { pids, child } = await runParent('wait', 'orphan-parent.js', [], runtime);
    try {
      expect(pids.every(isRunning)).toBe(true);
      child.kill('SIGKILL');
      await until(() => pids.every((p) => !isRunning(p)), 'children to exit after their parent was killed');
    } finally {
      killLeftovers(pids);
    }
  }, 60_000);

  it('when the parent is killed with SIGKILL while its children run synchronous code', async () => {
    const { pids, child, exited } = await runParent('busy', 'busy-parent.js', [], runtime);
    try {
      expect(pids.every(isRunning)).toBe(true);
      child.kill('SIGKILL');
      await exited;
      await until(() => pids.every((p) => !isRunning(p)), 'busy children to exit after their parent was killed');
    } finally {
      killLeftovers(pids);
    }
  }, 60_000);
});
