/**
 * `Process`: Python's `multiprocessing.Process`. Runs one exported function of
 * a module in a new worker and reports Python's exit codes: 0 after a normal
 * return, 1 after an uncaught error (printed to stderr after "Process <name>:"),
 * n after `exit(n)`, and minus the signal after `terminate()` (-15) or `kill()` (-9).
 */
import type { RuntimeAdapter } from '../adapter.js';
import { EncodingError, StateError } from '../errors.js';
import { makeInit } from '../protocol/init-message.js';
import type { TaskArgs, TaskName, Pid, UntypedModule } from '../types.js';
import { normalizeSource, type SourceInput } from '../util/source.js';
import { assertCloneable } from '../util/cloneable.js';
import { checkArgs, checkName, checkOptions, checkTimeout, optionKeys, TIMEOUT_OPTION_KEYS } from '../util/validate.js';
import { clearLongTimeout, setLongTimeout } from '../util/long-timer.js';
import { assertNotLoadingTaskModule } from '../worker-scope.js';
import { pythonExitCode } from '../pool/exit-code.js';
import type { HostExit, HostOwner } from '../pool/host-owner.js';
import { WorkerHost } from '../pool/worker-host.js';
import type { WaitOptions } from '../pool/async-result.js';
import { sharesMemory } from '../agent/agent.js';
import { syncState } from '../sync-bridge.js';

/**
 * Options of `new Process(options)`: for a typed module, one member per
 * exported function, told apart by `target`, so `new Process<Tasks>({ target:
 * 'fib', args })` checks `args` against `fib`'s parameters without naming
 * `'fib'` twice.
 *
 * @example
 * ```ts
 * const p = new Process<typeof import('./jobs.js')>({ module: url, target: 'fib', args: [30], name: 'fib-30' });
 * ```
 */
export type ProcessOptions<M extends object = UntypedModule, K extends TaskName<M> = TaskName<M>> = K extends unknown ? ProcessOptionsFor<M, K> : never;

/**
 * {@link ProcessOptions} for the one target `K`.
 *
 * @example
 * ```ts
 * const o: ProcessOptionsFor<typeof import('./jobs.js'), 'fib'> = { module: url, target: 'fib', args: [30] };
 * ```
 */
export interface ProcessOptionsFor<M extends object, K extends TaskName<M>> {
  /** The module that exports `target`: `new URL('./job.js', import.meta.url)`, or `import.meta.url` for a one-file program. */
  module: SourceInput;
  /** Name of the exported function to run. */
  target: K;
  /** Its arguments (a readonly tuple, `as const`, is fine). @default [] */
  args?: Readonly<TaskArgs<M, K>>;
  /** @default `Process-N` */
  name?: string;
  /** A daemon process does not keep the parent alive. @default false */
  daemon?: boolean;
  /** `'thread'` (default) or `'process'`, where the runtime has it. */
  context?: 'thread' | 'process';
  /** For adapter authors and tests: the runtime adapter. Runtime packages fill this in. */
  adapter?: RuntimeAdapter;
  /** Passed to the adapter's spawn untouched. */
  workerOptions?: Readonly<Record<string, unknown>>;
}

let counter = 0;
const PROCESS_OPTION_KEYS = optionKeys<ProcessOptionsFor<UntypedModule, string>>({
  module: true,
  target: true,
  args: true,
  name: true,
  daemon: true,
  context: true,
  adapter: true,
  workerOptions: true,
});

const alive = new Set<Process<object, TaskName<object>, Pid>>();

/**
 * One function running in its own worker.
 *
 * @example
 * ```ts
 * import { Process } from '@multiproc/node';
 * const p = new Process({ module: new URL('./jobs.js', import.meta.url), target: 'work', args: ['hello'] });
 * p.start();
 * await p.join();
 * console.log(p.exitCode); // 0
 * ```
 */
export class Process<M extends object = UntypedModule, K extends TaskName<M> = TaskName<M>, P extends Pid = number> {
  readonly #adapter: RuntimeAdapter;
  readonly #source: ReturnType<typeof normalizeSource>;
  readonly #target: string;
  readonly #args: unknown[];
  readonly #extra: Readonly<Record<string, unknown>> | undefined;
  #name: string;
  #daemon: boolean;
  #host: WorkerHost | undefined;
  #exitCode: number | null = null;
  #closed = false;
  #exited: Promise<void> | undefined;
  #markExited: (() => void) | undefined;

  constructor(options: ProcessOptions<M, K>) {
    const o = checkOptions(options, 'Process options', PROCESS_OPTION_KEYS) as unknown as ProcessOptionsFor<M, K>;
    if (o.adapter === undefined || typeof o.adapter.spawn !== 'function') {
      throw new TypeError('Process needs a runtime adapter: import Process from @multiproc/node or @multiproc/browser (or pass options.adapter)');
    }
    this.#adapter = o.adapter;
    this.#source = normalizeSource(o.module, 'Process module');
    this.#target = checkName(o.target, 'target');
    this.#args = o.args === undefined ? [] : checkArgs(o.args, 'args');
    if (o.name !== undefined && typeof o.name !== 'string') throw new TypeError('name must be a string');
    if (o.daemon !== undefined && typeof o.daemon !== 'boolean') throw new TypeError('daemon must be a boolean');
    this.#name = o.name ?? `Process-${++counter}`;
    this.#daemon = o.daemon ?? false;
    this.#extra = o.workerOptions;
  }

  /** The name `currentProcess().name` reports inside. */
  get name(): string {
    return this.#name;
  }

  set name(value: string) {
    if (typeof value !== 'string') throw new TypeError('name must be a string');
    this.#name = value;
  }

  get daemon(): boolean {
    return this.#daemon;
  }

  set daemon(value: boolean) {
    if (this.#host !== undefined) throw new StateError('process has already started');
    this.#daemon = Boolean(value);
  }

  /** The worker's pid; null before `start()`. */
  get pid(): P | null {
    this.#checkOpen();
    return (this.#host?.pid ?? null) as P | null;
  }

  /** null while running (or before start); 0 ok; 1 uncaught error; n after exit(n); -15/-9 after terminate/kill. */
  get exitCode(): number | null {
    this.#checkOpen();
    return this.#exitCode;
  }

  /**
   * Starts the worker. A second call throws `StateError`.
   *
   * @example
   * ```ts
   * p.start();
   * ```
   */
  start(): void {
    this.#checkOpen();
    if (this.#host !== undefined) throw new StateError('cannot start a process twice');
    assertNotLoadingTaskModule('a Process');
    // Primitives among the args go the way this adapter's channel allows (refused here if they cannot).
    const args = syncState.bridge !== undefined ? syncState.bridge.prepareArgs(this.#args, sharesMemory(this.#adapter)) : this.#args;
    // Checked before spawning: a worker spawned and then refused its init would stay alive (and keep Node running).
    if (args.length > 0) assertCloneable(args, `The arguments of process "${this.#name}"`);
    this.#exited = new Promise<void>((resolve) => (this.#markExited = resolve));
    const owner: HostOwner = { hostReady: noop, hostResults: noop, hostExit: (h, exit) => h === this.#host && this.#onExit(exit) };
    const host = new WorkerHost(owner, this.#adapter, { source: this.#source, name: this.#name, ref: !this.#daemon, extra: this.#extra });
    const init = makeInit(this.#source, { name: this.#name, pid: host.pid, daemon: this.#daemon }, { initializer: null, initargs: [], target: this.#target, args });
    try {
      host.init(init);
    } catch (err) {
      // The adapter's channel refused what structuredClone accepted (e.g. JSON serialization):
      // undo the start so nothing is left running.
      host.stop('kill');
      this.#exited = undefined;
      throw new EncodingError(`The arguments of process "${this.#name}" cannot be sent to a worker: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
    }
    this.#host = host;
    alive.add(this as Process<object, TaskName<object>, Pid>);
  }

  /**
   * Waits for the process to end, or for `timeout` ms; never rejects on a
   * timeout (check `exitCode` after). Throws `StateError` before `start()`.
   *
   * @example
   * ```ts
   * await p.join({ timeout: 1_000 });
   * if (p.isAlive()) p.terminate();
   * ```
   */
  join(options?: WaitOptions): Promise<void> {
    this.#checkOpen();
    const timeout = checkTimeout(checkOptions(options, 'join options', TIMEOUT_OPTION_KEYS).timeout, 'join options.timeout');
    if (this.#exited === undefined) throw new StateError('can only join a started process');
    if (timeout === undefined || this.#exitCode !== null) return this.#exited;
    const exited = this.#exited;
    return new Promise<void>((resolve) => {
      const timer = setLongTimeout(resolve, timeout);
      void exited.then(() => {
        clearLongTimeout(timer);
        resolve();
      });
    });
  }

  /** True between `start()` and the worker's exit. */
  isAlive(): boolean {
    this.#checkOpen();
    return this.#host !== undefined && this.#exitCode === null;
  }

  /**
   * Stops the process now; `exitCode` becomes -15. A no-op after it has exited.
   *
   * @example
   * ```ts
   * p.terminate(); await p.join(); // p.exitCode === -15
   * ```
   */
  terminate(): void {
    this.#stop('terminate');
  }

  /**
   * Stops the process with SIGKILL where that exists; `exitCode` becomes -9.
   *
   * @example
   * ```ts
   * p.kill(); await p.join(); // p.exitCode === -9
   * ```
   */
  kill(): void {
    this.#stop('kill');
  }

  /** Releases the process object; throws `StateError` while it runs. */
  close(): void {
    if (this.#closed) return;
    if (this.#host !== undefined && this.#exitCode === null) {
      throw new StateError('Cannot close a process while it is still running. You should first call join() or terminate().');
    }
    this.#closed = true;
  }

  #stop(reason: 'terminate' | 'kill'): void {
    this.#checkOpen();
    if (this.#host === undefined) throw new StateError(`cannot ${reason} a process that was never started`);
    if (this.#exitCode !== null) return;
    this.#host.stop(reason);
  }

  #checkOpen(): void {
    if (this.#closed) throw new StateError('process object is closed');
  }

  #onExit(exit: HostExit): void {
    this.#exitCode = pythonExitCode(exit);
    // A worker that died before it could report (failed to start, uncaught error)
    // would otherwise leave only an exit code; Python prints the traceback.
    if (exit.error !== undefined && exit.reportedCode === null && exit.stopReason === null) {
      console.error(`Process ${this.#name}:`, exit.error);
    }
    alive.delete(this as Process<object, TaskName<object>, Pid>);
    this.#markExited?.();
  }
}

function noop(): void {}

/**
 * The started processes of this thread that have not exited, as Python's `active_children()`
 * (their pids are strings for a Redis context's processes).
 *
 * @example
 * ```ts
 * for (const p of activeChildren()) p.terminate();
 * ```
 */
export function activeChildren(): Process<object, TaskName<object>, Pid>[] {
  return [...alive];
}
