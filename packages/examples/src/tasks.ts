/**
 * The task module of examples 04–06: plain exported functions. A pool
 * imports this file in every worker, and `Pool<typeof import('./tasks.js')>`
 * reads its types, so task names, argument tuples and results are checked
 * at compile time. It has no top-level side effects, so it needs no
 * `isMainProcess()` guard.
 */
import { currentProcess, exit, parentProcess, taskSignal } from '@multiproc/node';

/** Per-worker state set by the pool's `initializer` (one copy per worker). */
let greeting = 'hello';

export function square(x: number): number {
  return x * x;
}

export function add(a: number, b: number): number {
  return a + b;
}

export function wordCount(line: string): number {
  return line.split(/\s+/).filter(Boolean).length;
}

/** Throws for a negative number: the error reaches the caller as a `RangeError`. */
export function checkedSqrt(x: number): number {
  if (x < 0) throw new RangeError(`cannot take the square root of ${x}`);
  return Math.sqrt(x);
}

/** Ends the worker running it, as `sys.exit(code)` would in a Python child. */
export function crash(code: number): never {
  return exit(code);
}

/**
 * Waits `ms` milliseconds, or less if the task is cancelled: `taskSignal()`
 * aborts on the caller's `signal` or the task's `timeout`, so the worker
 * stops early and stays in the pool instead of being killed.
 */
export function sleepFor(ms: number): Promise<string> {
  const signal = taskSignal();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => resolve(`slept ${ms} ms`), ms);
    signal.addEventListener(
      'abort',
      () => {
        clearTimeout(timer);
        reject(signal.reason);
      },
      { once: true },
    );
  });
}

/** Stores a greeting in this worker; used as the pool's `initializer`. */
export function setGreeting(value: string): void {
  greeting = value;
}

/** Greets with the worker's own greeting and says which worker ran it. */
export function greet(name: string): { text: string; worker: string; parent: string | undefined } {
  return { text: `${greeting}, ${name}`, worker: currentProcess().name, parent: parentProcess()?.name };
}

/** A `Process` target: prints, then ends with the given exit code (0: returns normally). */
export function job(label: string, code: number): void {
  console.log(`${label}: running in ${currentProcess().name}`);
  if (code !== 0) exit(code);
}

/** A `Process` target that fails: the child prints the traceback to stderr and exits with 1. */
export function failingJob(): void {
  throw new Error('something went wrong in the child');
}
