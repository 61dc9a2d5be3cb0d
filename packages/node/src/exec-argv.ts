/**
 * The Node flags a child process inherits from its parent. `fork()` passes
 * `process.execArgv` on, but some flags choose *what* Node runs (`-e`, `-p`,
 * `--test`, `--watch`, …): inherited, they make every child run the parent's
 * program again instead of our entry, and each child starts its own pool (a
 * fork bomb from `node -e`). Those are dropped, as are `--inspect*` flags
 * (every child would fight for the debugger's port).
 */

/** Flags that choose what runs and take the next argument as their value (unless written `--flag=value`). */
const WITH_VALUE = new Set([
  '-e',
  '--eval',
  '-p',
  '-pe',
  '--print',
  '--input-type',
  '--watch-path',
  '--test-name-pattern',
  '--test-skip-pattern',
  '--test-reporter',
  '--test-reporter-destination',
  '--test-concurrency',
  '--test-timeout',
  '--test-shard',
  '--test-isolation',
  '--test-coverage-include',
  '--test-coverage-exclude',
  '--test-coverage-branches',
  '--test-coverage-functions',
  '--test-coverage-lines',
  '--experimental-test-isolation',
]);

/** Flags that choose what runs and stand alone. */
const ALONE = new Set(['-i', '--interactive', '-c', '--check', '--test', '--watch', '--watch-preserve-output', '--experimental-test-coverage', '--experimental-test-snapshots']);

/**
 * `execArgv` without the flags that select what Node runs, nor `--inspect*`.
 *
 * @example
 * ```ts
 * childExecArgv(['--input-type=module', '-e', 'code', '--max-old-space-size=128']); // ['--max-old-space-size=128']
 * ```
 */
export function childExecArgv(execArgv: readonly string[]): string[] {
  const kept: string[] = [];
  for (let i = 0; i < execArgv.length; i++) {
    const arg = execArgv[i];
    const eq = arg.startsWith('--') ? arg.indexOf('=') : -1;
    const flag = eq > 0 ? arg.slice(0, eq) : arg;
    if (WITH_VALUE.has(flag)) {
      if (eq < 0) i++; // its value is the next argument
      continue;
    }
    // Any other --test-* flag takes no value (the valued ones are listed above).
    if (flag.startsWith('--inspect') || flag.startsWith('--test-') || ALONE.has(flag)) continue;
    kept.push(arg);
  }
  return kept;
}
