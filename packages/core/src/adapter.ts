/**
 * The runtime seam: what an adapter gives core. An adapter only starts a
 * worker from a source, carries messages both ways, stops it, reports its
 * exit, declares capabilities and counts CPUs. Everything else (handshake,
 * buffering until ready, graceful close then a timed terminate then kill, what
 * a broken message means, exit → errors, scheduling) lives once in core.
 *
 * Note for implementors: run `runConformance` from `@multiproc/core/conformance`
 * against your adapter; see docs/writing-an-adapter.md.
 */
import type { TransferableValue } from './transfer.js';
import type { Pid } from './types.js';

/**
 * A source a worker is started from: a module URL that the adapter's own
 * worker entry imports, or a factory that makes a worker whose script calls
 * `expose({...})`.
 *
 * @example
 * ```ts
 * const url = options.source.kind === 'module' ? options.source.url : undefined;   // else call options.source.factory()
 * ```
 */
export type WorkerSource =
  | { readonly kind: 'module'; readonly url: string }
  | { readonly kind: 'factory'; readonly factory: () => unknown };

/**
 * What the parent learns when a worker is gone.
 *
 * @example
 * ```ts
 * worker.on('exit', (code) => sink.exit({ code, signal: null }));
 * ```
 */
export interface ExitInfo {
  /** Exit code, or null when ended by a signal. */
  readonly code: number | null;
  /** Signal name (`'SIGKILL'`), for real processes. */
  readonly signal: string | null;
  /** An error the worker reported as it died (uncaught exception, failed load). */
  readonly error?: unknown;
}

/**
 * Receives a worker's events. Core passes one per worker, once, at spawn; the
 * adapter calls it for every message and exactly once for the exit. (One
 * listener per worker, never one per message.)
 *
 * @example
 * ```ts
 * w.on('message', (data) => sink.message(data));
 * w.on('messageerror', (err) => sink.messageError(err));
 * w.on('exit', (code) => sink.exit({ code, signal: null }));
 * ```
 */
export interface WorkerSink {
  message(data: unknown): void;
  /**
   * A message from the worker could not be deserialized (`messageerror`). The
   * adapter only reports it: core decides (it stops the worker, whose exit
   * then fails its running task with this as the cause, and replaces it).
   */
  messageError(error: unknown): void;
  /**
   * The worker is gone. Called exactly once, after every message it sent; may be
   * called from inside `terminate()`/`kill()` (core handles it after they return).
   */
  exit(info: ExitInfo): void;
}

/**
 * Options core passes to {@link RuntimeAdapter.spawn}.
 *
 * @example
 * ```ts
 * spawn(options: SpawnOptions, sink: WorkerSink): WorkerHandle {
 *   const w = new Worker(ENTRY, { name: options.name });   // options.source says what the entry loads
 *   ...
 * }
 * ```
 */
export interface SpawnOptions {
  readonly source: WorkerSource;
  /** For debugging tools: the worker's name (`PoolWorker-3`). */
  readonly name: string;
  /** Whether the worker should keep the parent alive while it runs. */
  readonly ref: boolean;
  /** Adapter-specific options (env, execArgv, resourceLimits...), passed through. */
  readonly extra?: Readonly<Record<string, unknown>>;
}

/**
 * A started worker, as core drives it.
 *
 * @example
 * ```ts
 * const handle: WorkerHandle = {
 *   pid: w.threadId,
 *   postMessage: (m, t) => w.postMessage(m, t as Transferable[]),
 *   terminate: () => void w.terminate(),
 *   ref: () => w.ref(),
 *   unref: () => w.unref(),
 * };
 * ```
 */
export interface WorkerHandle {
  /**
   * Process id for real processes, a stable synthesized number for threads,
   * a string for workers that are not this machine's (declare `stringPids`).
   */
  readonly pid: Pid;
  /** Sends one message. Throws synchronously (DataCloneError) if it cannot be cloned. */
  postMessage(message: unknown, transfer?: readonly TransferableValue[]): void;
  /**
   * Stops the worker now (SIGTERM for processes). The sink's `exit` still fires,
   * possibly from inside this call. No timer of the adapter's own follows: where
   * there is a `kill`, core calls it if the worker is still there a close timeout later.
   */
  terminate(): void;
  /** Stops the worker harder where that differs (SIGKILL); defaults to terminate. */
  kill?(): void;
  /**
   * The channel carries a `Float64Array` as itself (a structured clone, or
   * V8's serializer), so number-only map chunks may travel packed in one
   * (protocol/packed-numbers.ts). Leave it unset where messages are encoded
   * otherwise (JSON, a codec of your own).
   */
  readonly packNumbers?: boolean;
  /** Whether the worker keeps the parent's event loop alive. */
  ref?(): void;
  unref?(): void;
}

/**
 * What a runtime can do; the conformance suite gates cases on these, never on names.
 *
 * @example
 * ```ts
 * const capabilities: AdapterCapabilities = { sharedMemory: true, transfer: true, isolatedGlobals: true, processes: false };
 * const adapter = defineAdapter({ name: 'my-runtime', capabilities, cpuCount: () => 4, spawn });
 * ```
 */
export interface AdapterCapabilities {
  /**
   * SharedArrayBuffer and Atomics work between parent and workers. Core then
   * runs synchronization primitives on shared memory; without it, on the
   * parent's broker (see {@link forceBrokeredSync}).
   */
  readonly sharedMemory: boolean;
  /** ArrayBuffers in a transfer list move without copying. */
  readonly transfer: boolean;
  /** Each worker has its own globals (a module-level variable differs per worker). */
  readonly isolatedGlobals: boolean;
  /** Workers are OS processes with real pids and signals. */
  readonly processes: boolean;
  /**
   * Core's synchronization primitives travel to this adapter's workers (on
   * shared memory, or through the parent's broker). Absent means true. A
   * runtime whose workers are on other machines (Redis) says false: its
   * primitives are its own.
   */
  readonly syncPrimitives?: boolean;
  /**
   * Each pool worker is one thread or process for its whole life: its tasks
   * see the same pid, name and module state, and its death is that thread's or
   * process's. Absent means true. Redis says false: a pool worker there is a
   * slot of jobs, each run by whichever host thread takes it.
   */
  readonly stableWorkers?: boolean;
  /** Workers' pids are strings: they are not this machine's processes or threads (Redis). Absent means false. */
  readonly stringPids?: boolean;
}

/**
 * A runtime adapter. Declare one with {@link defineAdapter} for inference.
 *
 * @example
 * ```ts
 * const adapter = defineAdapter({
 *   name: 'my-runtime',
 *   capabilities: { sharedMemory: true, transfer: true, isolatedGlobals: true, processes: false },
 *   cpuCount: () => 4,
 *   spawn: (options, sink) => startMyWorker(options, sink),
 * });
 * ```
 */
export interface RuntimeAdapter {
  /** A label for messages and test output, e.g. `'node:thread'`. */
  readonly name: string;
  readonly capabilities: AdapterCapabilities;
  cpuCount(): number;
  /** Starts a worker. May throw synchronously if the source cannot be started at all. */
  spawn(options: SpawnOptions, sink: WorkerSink): WorkerHandle;
  /**
   * The abort grace for a stuck task before its worker is killed, the time a
   * closing worker gets before it is terminated, and the time a terminated one
   * gets before it is killed (where the handle has `kill`). Defaults in core.
   */
  readonly closeTimeout?: number;
  /**
   * How many times a task whose run is lost runs again when its caller gave no
   * `retries`. 0 (the default) on one machine; a job layer that redelivers the
   * jobs of a vanished machine (Redis) says 1, so its default is at-least-once.
   */
  readonly defaultRetries?: number;
}

/**
 * Identity function that types an adapter object.
 *
 * @example
 * ```ts
 * export const myAdapter = defineAdapter({ name: 'x', capabilities, cpuCount, spawn });
 * ```
 */
export function defineAdapter<A extends RuntimeAdapter>(adapter: A): A {
  return adapter;
}

/**
 * The same adapter with shared memory declared absent, so core runs every
 * synchronization primitive through the parent's broker, as it must for
 * child processes or pages without cross-origin isolation. For proving the
 * brokered backend on a runtime that has both (a second conformance run), or
 * for measuring it; workers still start and run the same way.
 *
 * @example
 * ```ts
 * runConformance({ name: 'node:thread (brokered)', createAdapter: () => forceBrokeredSync(threadAdapter) }, { describe, it });
 * ```
 */
export function forceBrokeredSync<A extends RuntimeAdapter>(adapter: A): A {
  return { ...adapter, name: `${adapter.name} (brokered)`, capabilities: { ...adapter.capabilities, sharedMemory: false } };
}

/**
 * The worker side of the seam: what an adapter's worker entry gives `serve()`.
 *
 * @example
 * ```ts
 * // a worker entry: core's serve loop on this runtime's channel to the parent
 * serve({ postMessage: (m, t) => parentPort.postMessage(m, t as Transferable[]), onMessage: (l) => parentPort.on('message', l), exit: (code) => process.exit(code) });
 * ```
 */
export interface WorkerPort {
  postMessage(message: unknown, transfer?: readonly TransferableValue[]): void;
  /** Registers the one message listener. */
  onMessage(listener: (data: unknown) => void): void;
  /** Ends this worker with an exit code, after pending output is flushed. */
  exit(code: number): void;
  /**
   * Optional: the next message already waiting, read synchronously (Node's
   * `receiveMessageOnPort`), or undefined. Lets a worker busy with a run of
   * synchronous tasks see aborts and recalls between tasks.
   */
  receiveNow?(): unknown;
  /**
   * Optional: called when the worker runs out of work. It may wait briefly
   * for the next message without returning to the event loop, and returns the
   * messages that arrived (or undefined). Saves an event-loop turn per task
   * for back-to-back round trips.
   */
  idle?(): unknown[] | undefined;
  /**
   * Optional: registers a hook to run synchronously when the worker is about
   * to exit by itself (Node: `process.on('exit')`, which `process.exit()` in
   * task code fires). The hook posts the results finished so far.
   */
  onExit?(hook: () => void): void;
  /**
   * Optional: registers the handler of an uncaught error in this worker
   * (Node: `process.on('uncaughtException')`), where the parent cannot
   * learn it otherwise (a child process). The hook prints it, posts the
   * finished results and an `exit` carrying the error, and exits with code 1.
   */
  onUncaught?(hook: (error: unknown) => void): void;
  /**
   * Optional: registers the handler of a promise rejection nothing handled
   * (Node: `process.on('unhandledRejection')`; browsers: the global
   * `unhandledrejection` event, default prevented). The hook only reports it:
   * a stray rejection ends nothing, so the task that runs next is never blamed.
   */
  onStrayRejection?(hook: (reason: unknown) => void): void;
}
