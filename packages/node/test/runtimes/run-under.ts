/**
 * Running a script of this package under Bun or Deno (from npm, devDependencies
 * of this package) as a user would: `bun file` or `deno run -A file`, with the
 * binaries in node_modules/.bin.
 */
import { execFile } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

export type Runtime = 'node' | 'bun' | 'deno';

const require = createRequire(import.meta.url);

/**
 * The binary and the arguments before the script, for each runtime. The native
 * binaries the packages' postinstall put in place, not node_modules/.bin's
 * shims, which run them as children: a signal to a shim would miss the runtime.
 */
export function commandFor(runtime: Runtime): { file: string; args: string[] } {
  if (runtime === 'node') return { file: process.execPath, args: [] };
  const dir = dirname(require.resolve(`${runtime}/package.json`));
  if (runtime === 'bun') return { file: join(dir, 'bin', 'bun.exe'), args: [] };
  return { file: join(dir, 'deno'), args: ['run', '-A'] };
}

export interface RunOutcome {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `script` with `args` under `runtime` and resolves with how it ended (never rejects on a non-zero exit). */
export function runUnder(runtime: Runtime, script: string, args: string[], timeoutMs: number): Promise<RunOutcome> {
  const { file, args: pre } = commandFor(runtime);
  return new Promise((resolve) => {
    execFile(file, [...pre, script, ...args], { timeout: timeoutMs, maxBuffer: 64 * 1024 * 1024, env: { ...process.env, NO_COLOR: '1' } }, (error, stdout, stderr) => {
      const code = error === null ? 0 : typeof (error as { code?: unknown }).code === 'number' ? ((error as { code: number }).code) : null;
      resolve({ code, stdout, stderr });
    });
  });
}

/** The `N passed, N failed, N skipped` line of the plain conformance runner, parsed. */
export function summary(stdout: string): { passed: number; failed: number; skipped: number } | undefined {
  const m = /(\d+) passed, (\d+) failed, (\d+) skipped\s*$/m.exec(stdout);
  return m === null ? undefined : { passed: Number(m[1]), failed: Number(m[2]), skipped: Number(m[3]) };
}
