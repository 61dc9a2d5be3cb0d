/**
 * The worker side of the protocol: load the task module, run the initializer,
 * answer `tasks` batches, honour `abort` and `close`, run a `Process` target.
 * An adapter's worker entry is a few lines: build a `WorkerPort`, call `serve`.
 *
 * Tasks run one at a time, in the order they were sent. Results are batched:
 * finished results wait in an outbox that is flushed when the worker runs out
 * of work, before it awaits an async task, and every few milliseconds during a
 * long run of synchronous tasks, so a long batch does not hold results back.
 * A task that may be long (its name has not run here yet, or its last run
 * took a millisecond or more) starts only after the outbox is flushed and the
 * tasks sent ahead behind it are handed back: then finished results are never
 * held by a long task or lost when it kills the worker, quick tasks are never
 * stranded behind it, and the parent knows which task was running. Where
 * memory is shared, a word tells the parent the running task exactly.
 */
import type { WorkerPort } from '../adapter.js';
import { UnknownTaskError, EncodingError, AbortError } from '../errors.js';
import { isTransfer, type TransferableValue } from '../transfer.js';
import { now } from '../util/now.js';
import { setLoadingTaskModule, setWorkerScope, type WorkerScope } from '../worker-scope.js';
import { runAgentExitHooks, setBlockingAllowed } from '../agent/agent.js';
import { adoptLife } from '../agent/life.js';
import { loadSync, syncState, type SyncBridge } from '../sync-bridge.js';
import { checkParentMessage } from './check-message.js';
import { encodeError, type EncodedError } from './error-codec.js';
import {
  PROTOCOL_VERSION,
  ResultStatus,
  RunningWord,
  SYNC_ARGS,
  TaskKind,
  type ChunkOutcome,
  type InitMessage,
  type ParentMessage,
  type ProcessIdentity,
} from './messages.js';

/** Options for {@link serve}. */
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

/** Flush results at least this often (ms) while synchronous tasks keep the worker busy. */
const FLUSH_INTERVAL_MS = 4;
/** Look for control messages (abort, recall) at least this often (ms) during such a run. */
const POLL_INTERVAL_MS = 1;
/** A task whose name last ran here faster than this (ms) is quick: results may wait in the outbox while it runs. */
const QUICK_MS = 1;


/** Thrown through user code by `exit()` when the worker cannot stop the thread itself. */
class WorkerExit {}

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

class Server {
  readonly #port: WorkerPort;
  readonly #options: ServeOptions;
  #tasks: Readonly<Record<string, unknown>> | null = null;
  #scope: WorkerScope | null = null;
  #dead = false;
  #closing = false;
  #running = false;
  // Pending tasks, flat [id, name, kind, args, ...], read from #head.
  #queue: unknown[] = [];
  #head = 0;
  #outbox: unknown[] = [];
  #outTransfer: TransferableValue[] | null = null;
  #currentId = -1;
  #controller: AbortController | undefined;
  #abortedAhead: Set<number> | null = null;
  #pendingBeforeInit: ParentMessage[] | null = [];
  /** Names of tasks whose last run here was quick (see QUICK_MS). */
  readonly #quick = new Set<string>();
  /** Shared with the parent where memory is: the running task's id, or minus the last finished one's. */
  #runningWord: Int32Array | null = null;
  /** `tasks` messages received (compared with the parent's count in the running words). */
  #received = 0;
  /** This worker runs a Process target (an uncaught error is then printed as Python prints a target's). */
  #target = false;

  constructor(port: WorkerPort, options: ServeOptions) {
    this.#port = port;
    this.#options = options;
  }

  listen(): void {
    this.#port.onMessage((data) => this.#onMessage(data as ParentMessage));
    // `process.exit()` in task code: finished results still reach the parent.
    this.#port.onExit?.(() => this.#flush());
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
        this.#enqueue(msg.batch);
        return;
      case 'abort':
        this.#abort(msg.id);
        return;
      case 'recall':
        this.#recall();
        return;
      case 'close':
        this.#closing = true;
        if (this.#pendingBeforeInit) this.#pendingBeforeInit.push(msg);
        else if (!this.#running) this.#finish(0);
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
    if (msg.running instanceof Int32Array) this.#runningWord = msg.running;
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
        this.#tasks = taskTable(this.#options.tasks ?? ((await import(/* @vite-ignore */ msg.module as string)) as Record<string, unknown>));
      } finally {
        if (guard) setLoadingTaskModule(false);
      }
      if (msg.initializer !== null) await this.#call(msg.initializer, msg.initargs);
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
      this.#currentId = 0;
      try {
        await this.#call(msg.target as string, msg.args);
      } catch (err) {
        if (err instanceof WorkerExit || this.#dead) return;
        code = 1;
        failure = err;
      }
      this.#currentId = -1;
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
      taskSignal: () => {
        if (this.#currentId < 0) return undefined;
        return (this.#controller ??= new AbortController()).signal;
      },
      exit: (code: number): never => {
        this.#finish(code);
        // Real workers have stopped inside #finish; an in-process one unwinds.
        throw new WorkerExit();
      },
      // Finished results go first, so the parent knows which task was running when it got this.
      post: (message: unknown) => {
        this.#flush();
        this.#port.postMessage(message);
      },
    };
  }

  #finish(code: number, error?: unknown): void {
    if (this.#dead) return;
    if (this.#options.ownsGlobals !== false) runAgentExitHooks();
    this.#flush();
    this.#dead = true;
    this.#port.postMessage(error === undefined ? { type: 'exit', code } : { type: 'exit', code, error: encodeError(error) });
    this.#port.exit(code);
  }

  #call(name: string, args: readonly unknown[]): unknown {
    return this.#invoke(this.#lookup(name), args, undefined, false);
  }

  #lookup(name: string): (...a: unknown[]) => unknown {
    const fn = this.#tasks?.[name];
    if (typeof fn !== 'function') throw new UnknownTaskError(`No task named "${name}" is exported by the task module`);
    return fn as (...a: unknown[]) => unknown;
  }

  /** Calls `fn(item)` (single) or `fn(...args)`, with this worker's identity in scope where it shares globals. */
  #invoke(fn: (...a: unknown[]) => unknown, args: readonly unknown[] | undefined, item: unknown, single: boolean): unknown {
    if (this.#options.ownsGlobals !== false) return single ? fn(item) : fn(...(args as unknown[]));
    const prev = setWorkerScope(this.#scope);
    try {
      return single ? fn(item) : fn(...(args as unknown[]));
    } finally {
      setWorkerScope(prev);
    }
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
      syncState.line = { shared: msg.sync?.shared ?? true, post: (m) => port.postMessage(m), taskId: () => this.#currentId };
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

  #abort(id: number): void {
    if (id === this.#currentId) {
      (this.#controller ??= new AbortController()).abort(new AbortError('The task was cancelled by its caller'));
      return;
    }
    // Only remember ids still waiting here; a finished one needs nothing.
    for (let i = this.#head; i < this.#queue.length; i += 4) {
      if (this.#queue[i] === id) {
        (this.#abortedAhead ??= new Set()).add(id);
        return;
      }
    }
  }

  #recall(): void {
    const q = this.#queue;
    if (this.#head >= q.length) return;
    for (let i = this.#head; i < q.length; i += 4) {
      const id = q[i] as number;
      // An aborted one is reported as skipped, as it would have been.
      const status = this.#abortedAhead !== null && this.#abortedAhead.delete(id) ? ResultStatus.SKIPPED : ResultStatus.RECALLED;
      this.#outbox.push(id, status, undefined);
    }
    this.#head = q.length;
    this.#flush();
  }

  #enqueue(batch: unknown[]): void {
    if (this.#queue.length === 0) this.#queue = batch;
    else for (let i = 0; i < batch.length; i++) this.#queue.push(batch[i]);
    if (!this.#running) void this.#drain();
  }

  async #drain(): Promise<void> {
    this.#running = true;
    let lastFlush = now();
    let lastPoll = lastFlush;
    let start = lastFlush;
    const receiveNow = this.#port.receiveNow;
    const quick = this.#quick;
    const word = this.#runningWord;
    for (;;) {
      while (this.#head < this.#queue.length) {
        const q = this.#queue;
        const h = this.#head;
        const id = q[h] as number;
        const name = q[h + 1] as string;
        let kind = q[h + 2] as TaskKind;
        const args = q[h + 3] as unknown[];
        if (kind >= SYNC_ARGS) {
          if (!syncState.complete) {
            // The first task with primitives: load every kind, then read the queue again (a recall may have taken this task).
            await loadSync().catch(() => {});
            if (this.#dead) return;
            if (syncState.complete) continue;
          }
          kind = reviveTask(kind, args);
        }
        q[h + 3] = undefined;
        this.#head = h + 4;
        if (this.#abortedAhead !== null && this.#abortedAhead.delete(id)) {
          this.#outbox.push(id, ResultStatus.SKIPPED, undefined);
          continue;
        }
        const known = quick.has(name);
        if (!known) {
          // It may be long: deliver what is finished and hand back what waits behind it first,
          // including every batch the parent posted before it saw the flag.
          if (word !== null) {
            Atomics.store(word, RunningWord.MAYBE_LONG, 1);
            while (Atomics.load(word, RunningWord.POSTING) === 1);
            if (this.#received < Atomics.load(word, RunningWord.POSTED)) await this.#takePosted(word);
            if (this.#dead) return;
          }
          if (this.#head < this.#queue.length) this.#recall();
          else this.#flush();
          // Timed from here: the hand-over above is not the task's time.
          start = lastFlush = now();
        }
        if (word !== null) word[RunningWord.RUNNING] = id;
        this.#currentId = id;
        this.#controller = undefined;
        try {
          // Synchronous tasks never touch a promise; only async ones are awaited.
          const pending = kind === TaskKind.APPLY ? this.#runOne(id, name, args) : this.#runChunk(id, name, kind, args, 0, undefined, undefined);
          if (pending !== undefined) await pending;
        } catch (err) {
          // Only WorkerExit escapes the runners.
          if (err instanceof WorkerExit || this.#dead) return;
          throw err;
        }
        this.#currentId = -1;
        if (word !== null) {
          word[RunningWord.RUNNING] = -id;
          if (!known) Atomics.store(word, RunningWord.MAYBE_LONG, 0);
        }
        if (this.#dead) return;
        const t = now();
        if (t - start < QUICK_MS) {
          if (!known) quick.add(name);
        } else if (known) quick.delete(name);
        start = t;
        if (receiveNow !== undefined && t - lastPoll > POLL_INTERVAL_MS) {
          lastPoll = t;
          let m: unknown;
          while ((m = receiveNow.call(this.#port)) !== undefined) this.#onMessage(m as ParentMessage);
        }
        if (t - lastFlush > FLUSH_INTERVAL_MS) {
          this.#flush();
          lastFlush = t;
        }
      }
      this.#queue = [];
      this.#head = 0;
      this.#flush();
      if (this.#closing) {
        this.#finish(0);
        return;
      }
      // Out of work: the port may catch the next messages without an event-loop turn.
      const arrived = this.#port.idle?.();
      if (arrived === undefined || arrived.length === 0) break;
      for (const m of arrived) this.#onMessage(m as ParentMessage);
      if (this.#dead || this.#head >= this.#queue.length) break;
      lastFlush = now();
      start = lastFlush;
    }
    this.#running = false;
    if (this.#closing) this.#finish(0);
  }

  /** Reads every `tasks` message the parent has posted, synchronously where the port can, else by yielding. */
  async #takePosted(word: Int32Array): Promise<void> {
    const posted = Atomics.load(word, RunningWord.POSTED);
    const receiveNow = this.#port.receiveNow;
    let m: unknown;
    if (receiveNow !== undefined) {
      while (this.#received < posted && !this.#dead && (m = receiveNow.call(this.#port)) !== undefined) this.#onMessage(m as ParentMessage);
    }
    while (this.#received < posted && !this.#dead) await new Promise((resolve) => setTimeout(resolve, 0));
  }

  #runOne(id: number, name: string, args: unknown[]): Promise<void> | undefined {
    let value: unknown;
    try {
      value = this.#call(name, args);
    } catch (err) {
      if (err instanceof WorkerExit || this.#dead) throw err;
      this.#outbox.push(id, ResultStatus.ERROR, encodeError(err));
      return undefined;
    }
    if (isThenable(value)) {
      this.#flush();
      return this.#settleOne(id, value);
    }
    this.#outbox.push(id, ResultStatus.OK, this.#unwrap(value));
    return undefined;
  }

  async #settleOne(id: number, pending: PromiseLike<unknown>): Promise<void> {
    let value: unknown;
    try {
      value = await pending;
    } catch (err) {
      if (err instanceof WorkerExit || this.#dead) throw err;
      this.#outbox.push(id, ResultStatus.ERROR, encodeError(err));
      return;
    }
    this.#outbox.push(id, ResultStatus.OK, this.#unwrap(value));
  }

  /** Runs items from `from` on; synchronous until an item returns a promise, then continues async. */
  #runChunk(
    id: number,
    name: string,
    kind: TaskKind,
    items: unknown[],
    from: number,
    values: unknown[] | undefined,
    errors: Record<number, EncodedError> | undefined,
  ): Promise<void> | undefined {
    const out = values ?? new Array<unknown>(items.length);
    let errs = errors;
    let fn: (...a: unknown[]) => unknown;
    try {
      fn = this.#lookup(name);
    } catch (err) {
      // Every item fails the same way.
      errs ??= {};
      for (let i = from; i < items.length; i++) errs[i] = encodeError(err);
      this.#outbox.push(id, ResultStatus.CHUNK, { values: out, errors: errs });
      return undefined;
    }
    const single = kind === TaskKind.MAP_CHUNK;
    for (let i = from; i < items.length; i++) {
      let value: unknown;
      try {
        value = single ? this.#invoke(fn, undefined, items[i], true) : this.#invoke(fn, items[i] as unknown[], undefined, false);
      } catch (err) {
        if (err instanceof WorkerExit || this.#dead) throw err;
        (errs ??= {})[i] = encodeError(err);
        continue;
      }
      if (isThenable(value)) {
        this.#flush();
        return this.#settleChunkItem(id, name, kind, items, i, value, out, errs);
      }
      out[i] = this.#unwrap(value);
    }
    this.#outbox.push(id, ResultStatus.CHUNK, errs ? { values: out, errors: errs } : { values: out });
    return undefined;
  }

  async #settleChunkItem(
    id: number,
    name: string,
    kind: TaskKind,
    items: unknown[],
    i: number,
    pending: PromiseLike<unknown>,
    values: unknown[],
    errors: Record<number, EncodedError> | undefined,
  ): Promise<void> {
    let errs = errors;
    try {
      values[i] = this.#unwrap(await pending);
    } catch (err) {
      if (err instanceof WorkerExit || this.#dead) throw err;
      (errs ??= {})[i] = encodeError(err);
    }
    await this.#runChunk(id, name, kind, items, i + 1, values, errs);
  }

  #unwrap(value: unknown): unknown {
    if (!isTransfer(value)) return value;
    const list = (this.#outTransfer ??= []);
    for (const t of value.transferList) list.push(t);
    return value.value;
  }

  #flush(): void {
    if (this.#outbox.length === 0 || this.#dead) return;
    const batch = this.#outbox;
    const transfer = this.#outTransfer;
    this.#outbox = [];
    this.#outTransfer = null;
    try {
      this.#port.postMessage({ type: 'results', batch }, transfer ?? undefined);
    } catch {
      this.#postOneByOne(batch);
    }
  }

  /** A batch that cannot be cloned: send each result alone, replacing the ones that fail. */
  #postOneByOne(batch: unknown[]): void {
    for (let i = 0; i < batch.length; i += 3) {
      const id = batch[i] as number;
      const status = batch[i + 1] as ResultStatus;
      let value = batch[i + 2];
      try {
        this.#port.postMessage({ type: 'results', batch: [id, status, value] });
        continue;
      } catch (err) {
        if (status === ResultStatus.CHUNK) {
          value = salvageChunk(value as ChunkOutcome);
          try {
            this.#port.postMessage({ type: 'results', batch: [id, ResultStatus.CHUNK, value] });
            continue;
          } catch {
            // fall through to the plain error
          }
        }
        const failure = new EncodingError(`The task's result could not be sent to the parent: ${describeError(err)}`, { cause: err });
        this.#port.postMessage({ type: 'results', batch: [id, ResultStatus.ERROR, encodeError(failure)] });
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

/** Revives the primitives of a flagged task's arguments in place; returns its plain kind. */
function reviveTask(kind: number, args: unknown[]): TaskKind {
  try {
    (syncState.bridge as SyncBridge).revive(args);
  } catch (err) {
    // Never stop the serve loop: the task runs and fails on the primitive it could not use.
    console.error('multiproc: a primitive in the task arguments could not be revived:', err);
  }
  return (kind - SYNC_ARGS) as TaskKind;
}

/** A promise that rejected after its task finished, with nothing to handle it: reported, never fatal. */
function reportStrayRejection(reason: unknown): void {
  console.error('multiproc: a promise rejected in a worker and nothing handled it (it does not fail any task):', reason);
}

function salvageChunk(outcome: ChunkOutcome): ChunkOutcome {
  const errors: Record<number, EncodedError> = { ...outcome.errors };
  const values = outcome.values.map((v, i) => {
    try {
      structuredClone(v);
      return v;
    } catch (err) {
      errors[i] = encodeError(new EncodingError(`The task's result could not be sent to the parent: ${describeError(err)}`, { cause: err }));
      return undefined;
    }
  });
  return { values, errors };
}

function describeError(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return typeof value === 'object' && value !== null && typeof (value as { then?: unknown }).then === 'function';
}
