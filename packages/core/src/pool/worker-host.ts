/**
 * The parent's view of one live worker: it spawns the worker through the
 * adapter, performs the init/ready handshake, reads the worker's messages
 * (one sink per worker, never a listener per message), keeps the in-flight
 * list in the order tasks were sent, and closes gracefully with a timed kill.
 * Shared by `Pool` (many hosts) and `Process` (one).
 */
import type { ExitInfo, RuntimeAdapter, SpawnOptions, WorkerHandle, WorkerSink } from '../adapter.js';
import { ProtocolError } from '../errors.js';
import { checkWorkerMessage } from '../protocol/check-message.js';
import { decodeError } from '../protocol/error-codec.js';
import { encodeError } from '../protocol/error-codec.js';
import { ResultStatus, RunningWord, type InitMessage, type WorkerMessage } from '../protocol/messages.js';
import { syncUsed } from '../sync/agent.js';
import { handleSync, hostGone, type BrokerHost } from '../sync/broker.js';
import { lifeForChild, markDead } from '../sync/life.js';
import { ensureKinds } from '../sync/kinds.js';
import { sharesMemory } from '../sync/submit.js';
import { holdsPrimitive } from '../sync/wire.js';
import { Deque } from '../util/deque.js';
import { backgroundTimer } from '../util/timer.js';
import type { Task } from './task.js';
import type { TransferableValue } from '../transfer.js';

/** Default time a closing worker gets before it is killed, and the abort grace. */
export const DEFAULT_CLOSE_TIMEOUT_MS = 1000;

/** What a host reports to whoever owns it. */
export interface HostOwner {
  hostReady(host: WorkerHost, error: Error | undefined): void;
  hostResults(host: WorkerHost, batch: unknown[]): void;
  hostExit(host: WorkerHost, info: HostExit): void;
}

/** How a worker ended, with what core knows beyond the adapter's report. */
export interface HostExit extends ExitInfo {
  /** The code the worker said it would exit with (before closing itself), if any. */
  readonly reportedCode: number | null;
  /** Why core stopped it, or null when it ended by itself. */
  readonly stopReason: StopReason | null;
  /** Whether it had finished the ready handshake. */
  readonly wasReady: boolean;
  /**
   * Where memory is shared, the worker's running word at its death: the id of
   * the task it was running, minus the id of the last one it finished, or 0
   * before any; undefined where the parent cannot know.
   */
  readonly running: number | undefined;
}

export type StopReason = 'close' | 'terminate' | 'kill' | 'grace';

export class WorkerHost implements WorkerSink, BrokerHost {
  readonly inflight = new Deque<Task>();
  state: 'starting' | 'ready' | 'closing' | 'exited' = 'starting';
  /** Tasks sent to this worker in its life (for maxTasksPerChild). */
  assigned = 0;
  /** When this worker last went busy or last reported results (for the service-time estimate). */
  mark = 0;
  /** A recall was sent and its answer has not come back. */
  recalling = false;
  /** It handed tasks back (its running task may be long): nothing is sent ahead to it until it reports a result. */
  aheadHeld = false;
  stopReason: StopReason | null = null;
  #reportedCode: number | null = null;
  /** The uncaught error the worker reported with its exit (child processes catch theirs). */
  #reportedError: Error | undefined;
  #wasReady = false;
  #handle: WorkerHandle | undefined;
  #owner: HostOwner;
  #closeTimer: ReturnType<typeof setTimeout> | undefined;
  #refd: boolean;
  readonly #closeTimeout: number;
  /** Whether this worker shares memory with us (else its primitives are brokered here). */
  readonly sharesMemory: boolean;
  /** Synchronous mutations that failed in the broker, by the task they fail. */
  #syncErrors: Map<number, unknown> | undefined;
  /** Set when the worker sent a message outside the protocol; it is being replaced. */
  #protocolError: ProtocolError | undefined;
  /** The worker's token in the liveness table (sync/life.ts), marked dead when it exits. */
  #life = 0;
  /** Shared with the worker where memory is (see `InitMessage.running`). */
  #runningWord: Int32Array | undefined;
  /** Set while the adapter's terminate/kill runs: an exit it reports from inside waits until it returns. */
  #stopping = false;

  constructor(owner: HostOwner, adapter: RuntimeAdapter, options: SpawnOptions) {
    ensureKinds();
    this.sharesMemory = sharesMemory(adapter);
    this.#owner = owner;
    this.#refd = options.ref;
    this.#closeTimeout = adapter.closeTimeout ?? DEFAULT_CLOSE_TIMEOUT_MS;
    this.#handle = adapter.spawn(options, this);
  }

  get pid(): number {
    return (this.#handle as WorkerHandle).pid;
  }

  /** Sends the init message (needs the pid, which exists only after spawn). */
  init(message: InitMessage): void {
    const revive = syncUsed() && (holdsPrimitive(message.initargs) || holdsPrimitive(message.args));
    const life = this.sharesMemory ? lifeForChild() : null;
    if (life !== null) this.#life = life.token;
    if (this.sharesMemory) this.#runningWord = new Int32Array(new SharedArrayBuffer(RunningWord.COUNT * 4));
    this.post({ ...message, sync: life === null ? { shared: this.sharesMemory, revive } : { shared: true, revive, life }, running: this.#runningWord });
  }

  /** The worker's running word (see {@link HostExit.running}); undefined where memory is not shared. */
  running(): number | undefined {
    return this.#runningWord === undefined ? undefined : Atomics.load(this.#runningWord, RunningWord.RUNNING);
  }

  /** The broker: a synchronous mutation sent during `task` failed; that task fails with `error`. */
  syncFailed(task: number, error: unknown): void {
    if (task < 0 || this.state === 'exited') {
      console.error('multiproc: a synchronous operation in a worker failed after its task ended:', error);
      return;
    }
    (this.#syncErrors ??= new Map()).set(task, error);
  }

  /** Replaces the results of tasks whose synchronous mutations failed by those errors. */
  #applySyncErrors(batch: unknown[]): void {
    const errors = this.#syncErrors as Map<number, unknown>;
    for (let i = 0; i < batch.length; i += 3) {
      const error = errors.get(batch[i] as number);
      if (error === undefined) continue;
      errors.delete(batch[i] as number);
      batch[i + 1] = ResultStatus.ERROR;
      batch[i + 2] = encodeError(error);
    }
    if (errors.size === 0) this.#syncErrors = undefined;
  }

  /**
   * Posts a `tasks` message. Where memory is shared, a batch sent `ahead` is
   * refused (false) once the worker has flagged that it started a task that
   * may be long; the worker, before starting such a task, waits out a post in
   * progress and takes every batch posted so far, handing back what waits
   * behind it. So a task is never sent ahead behind a long one.
   */
  postTasks(message: unknown, transfer: readonly TransferableValue[] | undefined, ahead: boolean): boolean {
    const w = this.#runningWord;
    if (w === undefined) {
      this.post(message, transfer);
      return true;
    }
    Atomics.store(w, RunningWord.POSTING, 1);
    try {
      if (ahead && Atomics.load(w, RunningWord.MAYBE_LONG) === 1) return false;
      this.post(message, transfer);
      Atomics.add(w, RunningWord.POSTED, 1);
      return true;
    } finally {
      Atomics.store(w, RunningWord.POSTING, 0);
    }
  }

  post(message: unknown, transfer?: readonly TransferableValue[]): void {
    (this.#handle as WorkerHandle).postMessage(message, transfer);
  }

  /**
   * Whether this worker keeps the program alive. A closing worker always does, until it has
   * exited: whoever awaits `join()` waits for that exit, and nothing else may be keeping the
   * program alive (a late result must not unref it, or Node ends with that await unsettled).
   */
  setRef(ref: boolean): void {
    if (ref === this.#refd || this.state === 'exited' || (!ref && this.state === 'closing')) return;
    this.#refd = ref;
    if (ref) this.#handle?.ref?.();
    else this.#handle?.unref?.();
  }

  /** Asks the worker to finish what it has and exit; kills it if it has not after the close timeout. */
  close(): void {
    if (this.state === 'exited' || this.state === 'closing') return;
    this.state = 'closing';
    this.stopReason ??= 'close';
    // Whoever awaits join() must see the exit: a closing worker keeps the parent alive.
    this.setRef(true);
    try {
      this.post({ type: 'close' });
    } catch {
      this.#halt(false);
      return;
    }
    this.#closeTimer = backgroundTimer(() => this.#halt(false), this.#closeTimeout);
  }

  /** Stops the worker now. `kill` uses the adapter's harder stop where there is one. */
  stop(reason: StopReason): void {
    if (this.state === 'exited') return;
    if (this.stopReason === null || this.stopReason === 'close') this.stopReason = reason;
    this.state = 'closing';
    this.setRef(true);
    this.#halt(reason === 'kill');
  }

  /**
   * Calls the adapter's terminate (or kill). Its owner may be looping over its
   * hosts when it stops this one, so an exit the adapter reports synchronously
   * from inside is handled after that loop, never in the middle of it. A worker
   * still there a close timeout after terminate is killed (where the adapter
   * has a harder stop): the only escalation, so adapters keep no timers of their own.
   */
  #halt(kill: boolean): void {
    const handle = this.#handle as WorkerHandle;
    this.#stopping = true;
    try {
      if (kill && handle.kill) handle.kill();
      else handle.terminate();
    } finally {
      this.#stopping = false;
    }
    if (kill || !handle.kill || this.state === 'exited') return;
    if (this.#closeTimer !== undefined) clearTimeout(this.#closeTimer);
    this.#closeTimer = backgroundTimer(() => this.#halt(true), this.#closeTimeout);
  }

  // --- WorkerSink: called by the adapter ---

  message(data: unknown): void {
    // Nothing after a malformed message is believed: the worker is on its way out.
    if (this.#protocolError !== undefined) return;
    const problem = checkWorkerMessage(data);
    if (problem !== undefined) {
      this.#malformed(problem, data);
      return;
    }
    const msg = data as WorkerMessage;
    switch (msg.type) {
      case 'results':
        if (this.#syncErrors !== undefined) this.#applySyncErrors(msg.batch);
        this.#owner.hostResults(this, msg.batch);
        return;
      case 'sync':
        handleSync(this, msg);
        return;
      case 'ready':
        if (this.#wasReady) {
          this.#malformed('a ready message after the worker had started', data);
          return;
        }
        if (msg.error) {
          this.#owner.hostReady(this, decodeError(msg.error));
          return;
        }
        this.#wasReady = true;
        if (this.state === 'starting') this.state = 'ready';
        this.#owner.hostReady(this, undefined);
        return;
      case 'exit':
        this.#reportedCode = msg.code;
        if (msg.error !== undefined) this.#reportedError = decodeError(msg.error);
        return;
    }
  }

  /**
   * The worker sent something outside the protocol (its task code posted on
   * the worker's channel): report it and stop the worker, as if it had died by
   * itself, so its owner replaces it and fails only its running task (the
   * `ProtocolError` is the exit's error). Never thrown: it would land in the
   * adapter's message listener and take the parent down.
   */
  #malformed(problem: string, data: unknown): void {
    this.#broken(new ProtocolError(`Worker ${this.#handle?.pid ?? '?'} sent a malformed message (${problem}): ${preview(data)}`));
  }

  /** WorkerSink: a message from the worker could not be read (`messageerror`), so one it sent is lost: it is broken. */
  messageError(error: unknown): void {
    if (this.#protocolError !== undefined) return;
    this.#broken(new ProtocolError(`Worker ${this.#handle?.pid ?? '?'} sent a message that could not be deserialized`, { cause: error }));
  }

  /** Stops a worker whose messages can no longer be trusted; its exit carries `error`. */
  #broken(error: ProtocolError): void {
    this.#protocolError = error;
    console.error(`multiproc: ${error.message}; the worker is stopped and replaced`);
    if (this.state === 'exited') return;
    this.state = 'closing';
    this.setRef(true);
    this.#halt(false);
  }

  exit(info: ExitInfo): void {
    if (this.#stopping) {
      queueMicrotask(() => this.exit(info));
      return;
    }
    if (this.state === 'exited') return;
    this.state = 'exited';
    // Before the owner hears of it: nothing the worker still waited for may be granted to it,
    // and internal locks it died holding may be taken over.
    hostGone(this);
    if (this.#life !== 0) markDead(this.#life);
    if (this.#syncErrors !== undefined && this.#syncErrors.size > 0) {
      for (const e of this.#syncErrors.values()) console.error('multiproc: a synchronous operation in a worker failed:', e);
    }
    if (this.#closeTimer !== undefined) clearTimeout(this.#closeTimer);
    const error = this.#protocolError ?? info.error ?? this.#reportedError;
    this.#owner.hostExit(this, { ...info, error, reportedCode: this.#reportedCode, stopReason: this.stopReason, wasReady: this.#wasReady, running: this.running() });
  }
}

/** A short, safe rendering of what arrived, for the report. */
function preview(data: unknown): string {
  try {
    const text = JSON.stringify(data);
    if (text !== undefined) return text.length > 120 ? `${text.slice(0, 120)}…` : text;
  } catch {
    // a cycle or a BigInt: fall through
  }
  return typeof data;
}

const signalNumbers: Record<string, number> = {
  SIGHUP: 1,
  SIGINT: 2,
  SIGQUIT: 3,
  SIGILL: 4,
  SIGTRAP: 5,
  SIGABRT: 6,
  SIGBUS: 7,
  SIGFPE: 8,
  SIGKILL: 9,
  SIGUSR1: 10,
  SIGSEGV: 11,
  SIGUSR2: 12,
  SIGPIPE: 13,
  SIGALRM: 14,
  SIGTERM: 15,
};

/**
 * Python's exit code for a worker: the code it exited with, or minus the
 * signal that ended it; -15/-9 after `terminate()`/`kill()` even where the
 * runtime reports something else (a terminated worker thread reports 1).
 */
export function pythonExitCode(exit: HostExit): number {
  if (exit.signal) return -(signalNumbers[exit.signal] ?? 15);
  if (exit.stopReason === 'terminate' || exit.stopReason === 'grace') return -15;
  if (exit.stopReason === 'kill') return -9;
  if (exit.reportedCode !== null) return exit.reportedCode;
  return exit.code ?? 1;
}
