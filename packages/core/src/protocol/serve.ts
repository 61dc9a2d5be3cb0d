/**
 * The worker side of the protocol, its message loop: load the task module,
 * run the initializer, pass `tasks` batches, `abort` and `recall` to the
 * {@link TaskRunner}, honour `close`, run a `Process` target, and end the
 * worker (exit code, exit hooks, a last flush of the {@link Outbox}). An
 * adapter's worker entry is a few lines: build a `WorkerPort`, call `serve`.
 *
 * Tasks run one at a time, in the order they were sent (task-runner.ts,
 * task-call.ts); their results are batched (outbox.ts).
 */
import type { WorkerPort } from '../adapter.js';
import { setLoadingTaskModule, setWorkerScope, type WorkerScope } from '../worker-scope.js';
import { runAgentExitHooks, setBlockingAllowed } from '../agent/agent.js';
import { adoptLife } from '../agent/life.js';
import { loadSync, syncState, type SyncBridge } from '../sync-bridge.js';
import { checkParentMessage } from './check-message.js';
import { encodeError, type EncodedError } from './error-codec.js';
import { PROTOCOL_VERSION, type InitMessage, type ParentMessage, type ProcessIdentity } from './messages.js';
import { Outbox } from './outbox.js';
import { TaskCaller, WorkerExit } from './task-call.js';
import { TaskRunner, type RunnerHost } from './task-runner.js';

/**
 * Options for {@link serve}.
 *
 * @example
 * ```ts
 * serve(port, { tasks: { square: (x: number) => x * x } });   // what expose() does: no module to import
 * ```
 */
export interface ServeOptions {
  /** The task functions, when the worker script provides them (`expose`), instead of importing the init message's module. */
  readonly tasks?: Readonly<Record<string, unknown>>;
  /**
   * True (the default) when this worker owns its globals, so its identity is
   * set once for the worker's life. The in-process self-test adapter passes
   * false: identity is then set around each synchronous call into user code.
   */
  readonly ownsGlobals?: boolean;
}

/**
 * Runs the worker side of the protocol on `port`.
 *
 * @example
 * ```ts
 * // an adapter's worker entry
 * serve({ postMessage: (m, t) => parentPort.postMessage(m, t), onMessage: (f) => parentPort.on('message', f), exit: (c) => process.exit(c) });
 * ```
 */
export function serve(port: WorkerPort, options: ServeOptions = {}): void {
  new Server(port, options).listen();
}

/** One worker's message loop; the {@link RunnerHost} of its task runner. */
class Server implements RunnerHost {
  readonly #port: WorkerPort;
  readonly #options: ServeOptions;
  readonly #outbox: Outbox;
  readonly #caller: TaskCaller;
  readonly #runner: TaskRunner;
  #scope: WorkerScope | null = null;
  #dead = false;
  #closing = false;
  #pendingBeforeInit: ParentMessage[] | null = [];
  /** `tasks` messages received (compared with the parent's count in the running words). */
  #received = 0;
  /** This worker runs a Process target (an uncaught error is then printed as Python prints a target's). */
  #target = false;

  constructor(port: WorkerPort, options: ServeOptions) {
    this.#port = port;
    this.#options = options;
    this.#outbox = new Outbox(port);
    this.#caller = new TaskCaller(this.#outbox, this, options.ownsGlobals !== false);
    this.#runner = new TaskRunner(port, this.#outbox, this.#caller, this);
  }

  // RunnerHost: what the task runner reads and calls between tasks.

  get dead(): boolean {
    return this.#dead;
  }

  get closing(): boolean {
    return this.#closing;
  }

  get received(): number {
    return this.#received;
  }

  deliver(message: ParentMessage): void {
    this.#onMessage(message);
  }

  finish(code: number): void {
    this.#finish(code);
  }

  listen(): void {
    this.#port.onMessage((data) => this.#onMessage(data as ParentMessage));
    // `process.exit()` in task code: finished results still reach the parent.
    this.#port.onExit?.(() => this.#outbox.flush());
    this.#port.onUncaught?.((error) => this.#uncaught(error));
    this.#port.onStrayRejection?.(reportStrayRejection);
  }

  /** Ends this worker as Node would (printed, code 1), and tells the parent what the error was. */
  #uncaught(error: unknown): void {
    // Already ending: the exit is on its way.
    if (this.#dead) return;
    const shown = error instanceof Error ? (error.stack ?? String(error)) : String(error);
    const name = this.#scope?.identity.name;
    console.error(this.#target && name !== undefined ? `Process ${name}:\n${shown}` : `multiproc: an uncaught error ends this worker:\n${shown}`);
    this.#finish(1, error);
  }

  #onMessage(msg: ParentMessage): void {
    if (this.#dead) return;
    const problem = checkParentMessage(msg);
    if (problem !== undefined) {
      // Not thrown: that would end the worker with an uncaught error and nothing said.
      console.error(`multiproc: a worker received a malformed message (${problem}); it is ignored`);
      return;
    }
    switch (msg.type) {
      case 'tasks':
        this.#received++;
        if (this.#pendingBeforeInit) {
          this.#pendingBeforeInit.push(msg);
          return;
        }
        this.#runner.enqueue(msg.batch);
        return;
      case 'abort':
        this.#runner.abort(msg.id);
        return;
      case 'recall':
        this.#runner.recall();
        return;
      case 'close':
        this.#closing = true;
        if (this.#pendingBeforeInit) this.#pendingBeforeInit.push(msg);
        else if (!this.#runner.running) this.#finish(0);
        return;
      case 'init':
        void this.#init(msg);
        return;
      case 'sync-reply':
        // No bridge: this worker never asked the broker anything.
        syncState.bridge?.receiveReply(msg);
        return;
    }
  }

  async #init(msg: InitMessage): Promise<void> {
    const scope = this.#makeScope(msg.identity, msg.parent);
    this.#scope = scope;
    this.#caller.setScope(scope);
    this.#caller.setPackNumbers(msg.packNumbers === true);
    if (msg.running instanceof Int32Array) this.#runner.setRunningWord(msg.running);
    if (this.#options.ownsGlobals !== false) setWorkerScope(scope);
    let error: EncodedError | undefined;
    try {
      if (msg.version !== PROTOCOL_VERSION) {
        throw new TypeError(`multiproc protocol mismatch: parent speaks ${msg.version}, worker ${PROTOCOL_VERSION}`);
      }
      // While it loads, a pool or process made at its top level is refused (BootstrapError), not recursed into.
      // Only where this worker owns its globals: an in-process worker shares the flag with its parent.
      await this.#openSync(msg);
      const guard = this.#options.ownsGlobals !== false && this.#options.tasks === undefined;
      if (guard) setLoadingTaskModule(true);
      try {
        // The task module is named at run time: a bundler must leave this import() to the runtime.
        // Vite would warn (@vite-ignore); webpack would turn it into a lookup in its own module
        // table, failing with "Cannot find module" (webpackIgnore). esbuild leaves it as written.
        const tasks = this.#options.tasks ?? ((await import(/* webpackIgnore: true */ /* @vite-ignore */ msg.module as string)) as Record<string, unknown>);
        this.#caller.setTasks(taskTable(tasks));
      } finally {
        if (guard) setLoadingTaskModule(false);
      }
      if (msg.initializer !== null) await this.#caller.call(msg.initializer, msg.initargs);
    } catch (err) {
      if (this.#dead) return;
      error = encodeError(err);
    }
    if (this.#dead) return;
    if (msg.target !== null) {
      await this.#runTarget(msg, error);
      return;
    }
    this.#port.postMessage(error ? { type: 'ready', version: PROTOCOL_VERSION, error } : { type: 'ready', version: PROTOCOL_VERSION });
    if (error) return;
    const pending = this.#pendingBeforeInit ?? [];
    this.#pendingBeforeInit = null;
    for (const m of pending) this.#onMessage(m);
  }

  async #runTarget(msg: InitMessage, loadError: EncodedError | undefined): Promise<void> {
    this.#target = true;
    let code = 0;
    let failure: unknown;
    if (loadError) {
      code = 1;
      failure = loadError;
    } else {
      try {
        await this.#runner.runTarget(msg.target as string, msg.args);
      } catch (err) {
        if (err instanceof WorkerExit || this.#dead) return;
        code = 1;
        failure = err;
      }
    }
    if (failure !== undefined) {
      // Python prints "Process <name>:" and the traceback on the child's stderr.
      const shown = failure instanceof Error ? (failure.stack ?? String(failure)) : (failure as EncodedError).stack ?? (failure as EncodedError).message ?? String(failure);
      console.error(`Process ${msg.identity.name}:\n${shown}`);
    }
    this.#finish(code);
  }

  #makeScope(identity: ProcessIdentity, parent: ProcessIdentity): WorkerScope {
    return {
      identity,
      parent,
      taskSignal: () => this.#runner.signal(),
      exit: (code: number): never => {
        this.#finish(code);
        // Real workers have stopped inside #finish; an in-process one unwinds.
        throw new WorkerExit();
      },
      // Finished results go first, so the parent knows which task was running when it got this.
      post: (message: unknown) => {
        this.#outbox.flush();
        this.#port.postMessage(message);
      },
    };
  }

  #finish(code: number, error?: unknown): void {
    if (this.#dead) return;
    if (this.#options.ownsGlobals !== false) runAgentExitHooks();
    this.#outbox.seal();
    this.#dead = true;
    this.#port.postMessage(error === undefined ? { type: 'exit', code } : { type: 'exit', code, error: encodeError(error) });
    this.#port.exit(code);
  }

  /**
   * Synchronization primitives: the line to the parent's broker (opened by
   * the primitives on first use), and the init arguments' primitives, whose
   * kinds are loaded first.
   */
  async #openSync(msg: InitMessage): Promise<void> {
    if (this.#options.ownsGlobals !== false) {
      setBlockingAllowed(true);
      const life = msg.sync?.life;
      if (life !== undefined) adoptLife(life.table, life.token);
      const port = this.#port;
      syncState.line = { shared: msg.sync?.shared ?? true, post: (m) => port.postMessage(m), taskId: () => this.#runner.currentId };
    }
    if (msg.sync?.revive) {
      try {
        const bridge = syncState.complete ? (syncState.bridge as SyncBridge) : await loadSync();
        bridge.revive(msg.initargs);
        bridge.revive(msg.args);
      } catch (err) {
        console.error('multiproc: a primitive in the init arguments could not be revived:', err);
      }
    }
  }
}

/**
 * The tasks as a table without a prototype, so a task name like `toString` or
 * `constructor` finds only what the module exports. A module namespace has
 * none already (and keeps its live bindings); an `expose({...})` object is copied.
 */
function taskTable(tasks: Readonly<Record<string, unknown>>): Readonly<Record<string, unknown>> {
  if (Object.getPrototypeOf(tasks) === null) return tasks;
  const table = Object.create(null) as Record<string, unknown>;
  for (const key of Object.keys(tasks)) table[key] = tasks[key];
  return table;
}

/** A promise that rejected after its task finished, with nothing to handle it: reported, never fatal. */
function reportStrayRejection(reason: unknown): void {
  console.error('multiproc: a promise rejected in a worker and nothing handled it (it does not fail any task):', reason);
}
