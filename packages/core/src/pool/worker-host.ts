/**
 * The parent's view of one live worker: it spawns the worker through the
 * adapter, performs the init/ready handshake, reads the worker's messages
 * (one sink per worker, never a listener per message), keeps the in-flight
 * list in the order tasks were sent, and closes gracefully with a timed kill.
 * Shared by `Pool` (many hosts) and `Process` (one).
 */
import type { ExitInfo, RuntimeAdapter, SpawnOptions, WorkerHandle, WorkerSink } from '../adapter.js';
import { ProtocolError } from '../errors.js';
import { checkWorkerMessage, previewMessage } from '../protocol/check-message.js';
import { decodeError } from '../protocol/error-codec.js';
import { RunningWord, type InitMessage, type WorkerMessage } from '../protocol/messages.js';
import { sharesMemory } from '../agent/agent.js';
import { lifeForChild, markDead } from '../agent/life.js';
import { syncState, type BrokerHost, type SyncBridge } from '../sync-bridge.js';
import { Deque } from '../util/deque.js';
import { now } from '../util/now.js';
import { backgroundTimer } from '../util/timer.js';
import { DEFAULT_CLOSE_TIMEOUT_MS, type HostOwner, type StopReason } from './host-owner.js';
import { SyncHold } from './sync-hold.js';
import { QUEUED, SENT, type Task } from './task.js';
import type { TransferableValue } from '../transfer.js';
import type { Pid } from '../types.js';

export class WorkerHost implements WorkerSink, BrokerHost {
  /** Tasks sent to this worker and not yet reported, in the order they were sent. */
  readonly #inflight = new Deque<Task>();
  /** Broadcast tasks for this worker only, not sent yet: they go when it is idle, before anything else. */
  readonly pinned: Task[] = [];
  state: 'starting' | 'ready' | 'closing' | 'exited' = 'starting';
  // Read through the getters of the same names below.
  #assigned = 0;
  #mark = 0;
  #busySince = -1;
  #busyMs = 0;
  #recalling = false;
  #aheadHeld = false;
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
  /** Made when this worker first uses a primitive this agent has not loaded. */
  #hold: SyncHold | undefined;
  /** Set when the worker sent a message outside the protocol; it is being replaced. */
  #protocolError: ProtocolError | undefined;
  /** The worker's token in the liveness table (agent/life.ts), marked dead when it exits. */
  #life = 0;
  /** Shared with the worker where memory is (see `InitMessage.running`). */
  #runningWord: Int32Array | undefined;
  /** Set while the adapter's terminate/kill runs: an exit it reports from inside waits until it returns. */
  #stopping = false;

  constructor(owner: HostOwner, adapter: RuntimeAdapter, options: SpawnOptions) {
    this.sharesMemory = sharesMemory(adapter);
    this.#owner = owner;
    this.#refd = options.ref;
    this.#closeTimeout = adapter.closeTimeout ?? DEFAULT_CLOSE_TIMEOUT_MS;
    this.#handle = adapter.spawn(options, this);
  }

  get pid(): Pid {
    return (this.#handle as WorkerHandle).pid;
  }

  // --- the tasks it holds (the scheduler's bookkeeping; see dispatch.ts for the policy) ---

  /** Tasks it holds: running, and sent ahead behind the running one. */
  get held(): number {
    return this.#inflight.length;
  }

  /** Holds no task. */
  get idle(): boolean {
    return this.#inflight.length === 0;
  }

  /** Tasks sent to this worker in its life (for maxTasksPerChild). */
  get assigned(): number {
    return this.#assigned;
  }

  /** When it last went busy or last reported results (for the service-time estimate). */
  get mark(): number {
    return this.#mark;
  }

  /** A recall was sent and its answer has not come back. */
  get recalling(): boolean {
    return this.#recalling;
  }

  /** It handed tasks back (its running task may be long): nothing is sent ahead to it until it reports a result. */
  get aheadHeld(): boolean {
    return this.#aheadHeld;
  }

  /** Gives it `task` (before the batch is posted): the task is sent, counted, and held in order. */
  assign(task: Task): void {
    task.state = SENT;
    task.host = this;
    task.attempts++;
    this.#inflight.push(task);
    this.#assigned++;
  }

  /** Undoes {@link assign} for the last batch assigned (its post failed or was refused): the tasks are queued again. */
  withdraw(tasks: readonly Task[]): void {
    for (let i = 0; i < tasks.length; i++) this.#inflight.pop();
    this.#assigned -= tasks.length;
    unsend(tasks);
  }

  /** It refused tasks sent ahead or handed them back: none go ahead to it until it reports a result. */
  holdAhead(): void {
    this.#aheadHeld = true;
  }

  /** Its first task went out: the service-time clock starts, and it keeps the program alive. */
  markBusy(): void {
    this.#mark = now();
    if (this.#busySince < 0) this.#busySince = this.#mark;
    this.setRef(true);
  }

  /** It holds no task any more (`t`: now): its busy time so far is counted. */
  markIdle(t: number): void {
    if (this.#busySince < 0) return;
    this.#busyMs += t - this.#busySince;
    this.#busySince = -1;
  }

  /** Milliseconds it has held tasks, up to `t` (for `stats().utilization`). */
  busyMs(t: number): number {
    return this.#busyMs + (this.#busySince < 0 ? 0 : t - this.#busySince);
  }

  /** Results arrived: the ms since it went busy or last reported, and the clock restarts. */
  lap(): number {
    const t = now();
    const elapsed = t - this.#mark;
    this.#mark = t;
    return elapsed;
  }

  /** Removes and returns the task `id` it held, if it did (results come mostly in order). */
  take(id: number): Task | undefined {
    const inflight = this.#inflight;
    const head = inflight.peek();
    if (head !== undefined && head.id === id) return inflight.shift();
    for (let k = 0; k < inflight.length; k++) if ((inflight.at(k) as Task).id === id) return inflight.removeAt(k);
    return undefined;
  }

  /** The task's place among those it holds (0: running or next), or -1. */
  position(task: Task): number {
    for (let k = 0; k < this.#inflight.length; k++) if (this.#inflight.at(k) === task) return k;
    return -1;
  }

  /**
   * Whether it has started `task`: the one its running word names where memory is
   * shared, else the first it holds unreported (that one may have just finished).
   */
  runs(task: Task): boolean {
    const at = this.position(task);
    if (at < 0) return false;
    const word = this.running();
    return word === undefined ? at === 0 : word === task.id;
  }

  /** The `k`th task it holds. */
  heldAt(k: number): Task {
    return this.#inflight.at(k) as Task;
  }

  /** Removes and returns every task it holds, in the order sent (it died). */
  takeAll(): Task[] {
    return this.#inflight.drain();
  }

  /**
   * A results batch was taken: `ran` tasks finished here, and `back` were
   * handed back unstarted (the answer to a recall), which go back to queued.
   */
  reported(ran: number, back: readonly Task[] | undefined): void {
    if (back !== undefined) {
      this.#aheadHeld = true;
      this.#recalling = false;
      this.#assigned -= back.length;
      unsend(back);
    } else if (ran > 0) {
      this.#aheadHeld = false;
    }
    if (this.#inflight.length <= 1) this.#recalling = false;
  }

  /** Asks the worker to hand back the tasks it has not started. */
  recall(): void {
    this.#recalling = true;
    try {
      this.post({ type: 'recall' });
    } catch {
      this.#recalling = false;
    }
  }

  /** Whether the channel carries a `Float64Array` as itself (the handle's `packNumbers`). */
  get packNumbers(): boolean {
    return this.#handle?.packNumbers === true;
  }

  /** Sends the init message (needs the pid, which exists only after spawn). */
  init(message: InitMessage): void {
    const bridge = syncState.bridge;
    const revive = bridge !== undefined && (bridge.holdsPrimitive(message.initargs) || bridge.holdsPrimitive(message.args));
    const life = this.sharesMemory ? lifeForChild() : null;
    if (life !== null) this.#life = life.token;
    if (this.sharesMemory) this.#runningWord = new Int32Array(new SharedArrayBuffer(RunningWord.COUNT * 4));
    const sync = life === null ? { shared: this.sharesMemory, revive } : { shared: true, revive, life };
    this.post({ ...message, sync, running: this.#runningWord, packNumbers: this.packNumbers });
  }

  /** The worker's running word (see {@link HostExit.running}); undefined where memory is not shared. */
  running(): number | undefined {
    return this.#runningWord === undefined ? undefined : Atomics.load(this.#runningWord, RunningWord.RUNNING);
  }

  /** For the broker: whether the worker has exited. */
  get exited(): boolean {
    return this.state === 'exited';
  }

  /** For {@link SyncHold}: the primitives failed to load, so this worker cannot be served. */
  syncLoadFailed(error: unknown): void {
    this.#protocolError = new ProtocolError(`Worker ${this.#handle?.pid ?? '?'} uses synchronization primitives, which could not be loaded here: ${String(error)}`);
    console.error(`multiproc: ${this.#protocolError.message}`);
    if (this.state !== 'exited') this.stop('terminate');
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
    if (this.#hold?.holding) {
      this.#hold.push(data);
      return;
    }
    const problem = checkWorkerMessage(data);
    if (problem !== undefined) {
      this.#malformed(problem, data);
      return;
    }
    const msg = data as WorkerMessage;
    switch (msg.type) {
      case 'results':
        if (syncState.bridge !== undefined) syncState.bridge.rewriteResults(this, msg.batch);
        this.#owner.hostResults(this, msg.batch);
        return;
      case 'sync':
        if (syncState.complete) (syncState.bridge as SyncBridge).handleSync(this, msg);
        else (this.#hold ??= new SyncHold()).start(data, this);
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
    this.#broken(new ProtocolError(`Worker ${this.#handle?.pid ?? '?'} sent a malformed message (${problem}): ${previewMessage(data)}`));
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
    if (this.#hold?.holding) {
      this.#hold.holdExit(info);
      return;
    }
    this.state = 'exited';
    // Before the owner hears of it: nothing the worker still waited for may be granted to it,
    // and internal locks it died holding may be taken over.
    syncState.bridge?.hostGone(this);
    if (this.#life !== 0) markDead(this.#life);
    if (this.#closeTimer !== undefined) clearTimeout(this.#closeTimer);
    const error = this.#protocolError ?? info.error ?? this.#reportedError;
    this.#owner.hostExit(this, { ...info, error, reportedCode: this.#reportedCode, stopReason: this.stopReason, wasReady: this.#wasReady, running: this.running() });
  }
}

/** Tasks that went back from a worker to the queue: not sent, and the attempt not counted. */
function unsend(tasks: readonly Task[]): void {
  for (const t of tasks) {
    t.state = QUEUED;
    t.host = null;
    t.attempts--;
  }
}
