/**
 * Who is running the current code: the main thread, or a worker. Holds the
 * state behind `currentProcess()`, `parentProcess()`, `taskSignal()`, `exit()`
 * and `isMainProcess()`. A real worker sets its scope once for its whole life;
 * an in-process worker (the self-test adapter) sets it around each synchronous
 * call into user code, since it shares globals with the parent.
 */
import { BootstrapError } from './errors.js';
import type { ProcessIdentity } from './protocol/messages.js';

/**
 * What `currentProcess()` and `parentProcess()` report.
 *
 * @example
 * ```ts
 * const me: ProcessInfo = currentProcess();
 * console.log(`${me.name} (pid ${me.pid})`);   // e.g. PoolWorker-3 (pid 41237)
 * ```
 */
export interface ProcessInfo {
  /** `'MainProcess'`, `'PoolWorker-N'`, or the `Process`'s name. */
  readonly name: string;
  /** Process id (real for OS processes, synthesized for threads and Web Workers). */
  readonly pid: number;
  readonly daemon: boolean;
}

/** @internal what a worker's serve loop exposes to user code. */
export interface WorkerScope {
  readonly identity: ProcessIdentity;
  readonly parent: ProcessIdentity;
  /** The running task's signal (created on demand). */
  taskSignal(): AbortSignal | undefined;
  exit(code: number): never;
  /** Posts a message on the worker's channel to its parent, as is. */
  post(message: unknown): void;
}

let scope: WorkerScope | null = null;

const mainIdentity: ProcessInfo = Object.freeze({
  name: 'MainProcess',
  pid: Number((globalThis as { process?: { pid?: number } }).process?.pid ?? 0),
  daemon: false,
});

/** @internal */
export function setWorkerScope(next: WorkerScope | null): WorkerScope | null {
  const prev = scope;
  scope = next;
  return prev;
}

/** True while this worker imports its task module (set by `serve`); then no pool or process may start. */
let loadingTaskModule = false;

/** @internal `serve` marks the import of the task module, in workers that own their globals. */
export function setLoadingTaskModule(loading: boolean): void {
  loadingTaskModule = loading;
}

/**
 * @internal Throws `BootstrapError` when called while this worker's task module
 * is still loading: a pool or process started there would be started again by
 * each of its own workers, without end (Python's "bootstrapping phase" error).
 */
export function assertNotLoadingTaskModule(what: string): void {
  if (!loadingTaskModule) return;
  throw new BootstrapError(
    `An attempt has been made to start ${what} while a worker's task module was still loading. ` +
      'The module creates it at its top level, so every worker that loads the module would do the same, without end. ' +
      "Create pools and processes only in the main program, behind the guard: if (isMainProcess()) { ... } " +
      '(or inside a task function, which runs after loading).',
  );
}

/**
 * The process (or worker) running this code, as Python's `current_process()`.
 *
 * @example
 * ```ts
 * if (currentProcess().name === 'MainProcess') { /* create the pool here *\/ }
 * ```
 */
export function currentProcess(): ProcessInfo {
  return scope ? scope.identity : mainIdentity;
}

/**
 * The parent of this worker, or null in the main process, as Python's `parent_process()`.
 *
 * @example
 * ```ts
 * export function whoIsMyParent() { return parentProcess()?.name; }
 * ```
 */
export function parentProcess(): ProcessInfo | null {
  return scope ? scope.parent : null;
}

/**
 * True outside workers: the guard that keeps a one-file program's pool-making
 * code from running again when a worker imports the module.
 *
 * @example
 * ```ts
 * if (isMainProcess()) { const pool = new Pool(import.meta.url); ... }
 * ```
 */
export function isMainProcess(): boolean {
  return scope === null;
}

/**
 * Inside a task: the running task's `AbortSignal`. It aborts when the caller's
 * signal aborts or the task's `timeout` passes, so a long task can stop
 * cooperatively. Outside a task it is a signal that never aborts.
 *
 * @example
 * ```ts
 * export async function crawl(urls: string[]) {
 *   const signal = taskSignal();
 *   for (const u of urls) { if (signal.aborted) break; await visit(u); }
 * }
 * ```
 */
export function taskSignal(): AbortSignal {
  return scope?.taskSignal() ?? neverAborted;
}

const neverAborted: AbortSignal = new AbortController().signal;

/**
 * Ends the current worker with an exit code, as Python's `sys.exit(n)` in a
 * child. Results of tasks that already finished are delivered first. In the
 * main process it throws a `TypeError` (use your runtime's own exit there).
 *
 * @example
 * ```ts
 * export function target() { if (failed) exit(3); }
 * ```
 */
export function exit(code = 0): never {
  if (!Number.isInteger(code)) throw new TypeError(`exit: code must be an integer, got ${String(code)}`);
  if (!scope) throw new TypeError('exit() is for workers; in the main process use the runtime\'s own exit');
  return scope.exit(code);
}

/**
 * Implementor API, for fault injection in the conformance suite: posts
 * `message` as is on this worker's channel to its parent, bypassing the
 * protocol. The parent must survive whatever arrives (it reports a malformed
 * message and replaces the worker). Not for application code. Throws a
 * `TypeError` in the main process.
 *
 * @example
 * ```ts
 * export function misbehave() { postRawToParent({ type: 'results' }); }
 * ```
 */
export function postRawToParent(message: unknown): void {
  if (!scope) throw new TypeError('postRawToParent() is for workers');
  scope.post(message);
}
