/**
 * The pool's engine: the task queue, the workers, worker death, close/join/terminate. `Pool`
 * validates and delegates here; nothing in this file checks user input. This is the mechanism:
 * which task goes to which worker, how far ahead and what to recall is the policy in dispatch.ts;
 * timeouts, aborts and the grace kill are in task-watch.ts. A batch for one worker is one message.
 */
import type { RuntimeAdapter, WorkerSource } from '../adapter.js';
import { AbortError, BrokenPoolError, EncodingError, PoolClosedError, ProtocolError, WorkerExitedError } from '../errors.js';
import { decodeError, type EncodedError } from '../protocol/error-codec.js';
import { RESULT_STRIDE, ResultSlot, TASK_STRIDE, writeTask } from '../protocol/batch.js';
import { packNumbers } from '../protocol/packed-numbers.js';
import { makeInit } from '../protocol/init-message.js';
import { ResultStatus, TaskKind, type ChunkOutcome } from '../protocol/messages.js';
import { Deque } from '../util/deque.js';
import { now } from '../util/now.js';
import { backgroundTimer } from '../util/timer.js';
import { anyStarting, pickRecalls, planBatches, readyTargets, recallWanted, RECALL_AFTER_MS, ServiceTime } from './dispatch.js';
import { DONE, QUEUED, SENT, Task, type DecodedChunk, type TaskSink } from './task.js';
import { endGrace, stopTimer, TaskWatcher } from './task-watch.js';
import { sortLostTasks } from './lost-tasks.js';
import { pythonExitCode } from './exit-code.js';
import { DEFAULT_CLOSE_TIMEOUT_MS, type HostExit, type HostOwner } from './host-owner.js';
import { WorkerHost } from './worker-host.js';
import type { BroadcastJob } from './broadcast-job.js';
import { TimeSummary } from './time-summary.js';
import type { PoolStats } from './pool-options.js';
import { sharesMemory } from '../agent/agent.js';
import { syncState, type SyncBridge } from '../sync-bridge.js';
import type { TransferableValue } from '../transfer.js';
import type { PoolState, TaskOptions } from './pool-options.js';
import type { Pid } from '../types.js';

// The results layout as this module's own constants: V8 folds these into the per-result loop (an imported binding costs a load per read).
const { ID: RESULT_ID, STATUS: RESULT_STATUS, VALUE: RESULT_VALUE } = ResultSlot;
const RESULT_STEP = RESULT_STRIDE;

export interface SchedulerOptions {
  readonly adapter: RuntimeAdapter;
  readonly source: WorkerSource;
  readonly processes: number;
  readonly initializer: string | null;
  readonly initargs: readonly unknown[];
  readonly maxTasksPerChild: number | undefined;
  readonly spawnExtra: Readonly<Record<string, unknown>> | undefined;
}

export class Scheduler implements HostOwner {
  readonly #o: SchedulerOptions;
  readonly #queue = new Deque<Task>(64);
  readonly #hosts: WorkerHost[] = [];
  readonly #watcher: TaskWatcher;
  #state: PoolState = 'running';
  #broken: BrokenPoolError | undefined;
  #nextId = 1;
  #workerCount = 0;
  #active = 0;
  /** Pending `ready()` and `join()` calls (see `#retain`). */
  #awaits = 0;
  #openJobs = 0;
  #pumpScheduled = false;
  readonly #service = new ServiceTime();
  #recallTimer: ReturnType<typeof setTimeout> | undefined;
  #joined: Promise<void> | undefined;
  #resolveJoin: (() => void) | undefined;
  /** Broadcast tasks waiting in the workers' `pinned` lists (0: dispatch skips them all). */
  #pinnedCount = 0;
  /** Broadcast tasks of a worker the pool replaced before it ran them: the next worker started takes them. */
  #orphans: Task[] | undefined;
  // pool.stats(): counted per item (a map chunk counts its items), times in ms.
  readonly #startedAt = now();
  #completed = 0;
  #failed = 0;
  /** Busy time of the workers that have exited. */
  #busyMsGone = 0;
  readonly #runTime = new TimeSummary();
  readonly #waitTime = new TimeSummary();
  /** `ready()` calls still waiting, each on the workers that were starting at its call. */
  #readyWaits: ReadyWait[] = [];
  readonly #pump = (): void => this.#dispatch();
  /** Retries of a task whose caller gave none: the adapter's `defaultRetries`. */
  readonly #retries: number;
  readonly #failTask = (task: Task, error: Error): void => this.#fail(task, error);

  constructor(options: SchedulerOptions) {
    this.#o = options;
    this.#retries = options.adapter.defaultRetries ?? 0;
    this.#watcher = new TaskWatcher(this.#failTask, options.adapter.closeTimeout ?? DEFAULT_CLOSE_TIMEOUT_MS);
    this.#ensureWorkers();
  }

  get state(): PoolState {
    return this.#state;
  }

  get broken(): BrokenPoolError | undefined {
    return this.#broken;
  }

  /** Tasks a worker runs before it is replaced (undefined: for its whole life). */
  get maxTasksPerChild(): number | undefined {
    return this.#o.maxTasksPerChild;
  }

  get processes(): number {
    return this.#o.processes;
  }

  /** Pids of the live workers (for tests and introspection). */
  pids(): Pid[] {
    return this.#hosts.filter((h) => h.state !== 'exited').map((h) => h.pid);
  }

  createTask(name: string, kind: TaskKind, args: unknown[], sink: TaskSink, index: number, options: TaskOptions): Task {
    if (syncState.used) return this.#createSyncTask(name, kind, args, sink, index, options);
    return new Task(this.#nextId++, name, kind, args, sink, index, options.timeout, options.signal, options.transfer, options.retries ?? this.#retries);
  }

  /** A task in an agent that has seen synchronization primitives: prepare them for the workers' channel. */
  #createSyncTask(name: string, kind: TaskKind, args: unknown[], sink: TaskSink, index: number, options: TaskOptions): Task {
    const p = (syncState.bridge as SyncBridge).prepareTask(args, kind, sharesMemory(this.#o.adapter));
    const task = new Task(this.#nextId++, name, p.kind as TaskKind, p.args, sink, index, options.timeout, options.signal, options.transfer, options.retries ?? this.#retries);
    task.refused = p.refused;
    return task;
  }

  /** A snapshot of the pool's counters; see `Pool.stats()`. */
  stats(): PoolStats {
    const t = now();
    let workers = 0;
    let idle = 0;
    let busy = 0;
    let busyMs = this.#busyMsGone;
    let queued = 0;
    for (const h of this.#hosts) {
      if (h.state === 'exited') continue;
      workers++;
      if (h.held > 0) busy++;
      else if (h.state === 'ready') idle++;
      busyMs += h.busyMs(t);
      for (const p of h.pinned) if (p.state === QUEUED) queued += itemsOf(p);
    }
    for (let k = 0; k < this.#queue.length; k++) {
      const q = this.#queue.at(k) as Task;
      if (q.state === QUEUED) queued += itemsOf(q);
    }
    const elapsed = t - this.#startedAt;
    const utilization = elapsed > 0 ? Math.min(1, busyMs / (elapsed * this.#o.processes)) : 0;
    return {
      workers,
      idle,
      busy,
      queued,
      completed: this.#completed,
      failed: this.#failed,
      utilization,
      runTime: this.#runTime.snapshot(),
      waitTime: this.#waitTime.snapshot(),
    };
  }

  /**
   * Settles when every worker starting now has run its initializer: at once if none is
   * starting. Rejects with the pool's `BrokenPoolError`, or `PoolClosedError` if the pool
   * is not running, is terminated meanwhile, or a worker it waits on is stopped first.
   */
  ready(): Promise<void> {
    if (this.#broken !== undefined) return Promise.reject(this.#broken);
    if (this.#state !== 'running') return Promise.reject(new PoolClosedError('Pool not running'));
    const starting = new Set<WorkerHost>();
    for (const h of this.#hosts) if (h.state === 'starting') starting.add(h);
    if (starting.size === 0) return Promise.resolve();
    // Awaited, it keeps the program alive as a task does: else Node could end with the await unsettled.
    this.#retain('wait');
    return new Promise<void>((resolve, reject) => this.#readyWaits.push({ starting, resolve, reject }));
  }

  /** A worker became ready (`failed`: it did not) or exited: the `ready()` calls waiting on it move on. */
  #settleReady(host: WorkerHost, failed: Error | undefined): void {
    if (this.#readyWaits.length === 0) return;
    this.#readyWaits = this.#readyWaits.filter((w) => {
      if (!w.starting.delete(host)) return true;
      if (failed !== undefined) w.reject(failed);
      else if (w.starting.size === 0) w.resolve();
      else return true;
      this.#release('wait');
      return false;
    });
  }

  #rejectReady(error: Error): void {
    const waits = this.#readyWaits;
    this.#readyWaits = [];
    for (const w of waits) {
      w.reject(error);
      this.#release('wait');
    }
  }

  /** Queues a task. Its outcome reaches `task.sink`, always, exactly once. */
  submit(task: Task): void {
    if (!this.#admit(task)) return;
    this.#queue.push(task);
    this.#schedule();
  }

  /** Counts `task` in (true), or fails it at once on a broken or terminated pool, or refused arguments. */
  #admit(task: Task): boolean {
    if (this.#broken !== undefined || this.#state === 'terminated' || task.refused !== undefined) {
      task.state = DONE;
      this.#failed += itemsOf(task);
      task.sink.taskFailed(task, this.#broken ?? task.refused ?? new PoolClosedError('Pool not running'));
      return false;
    }
    this.#retain('task');
    if (task.signal !== undefined) this.#watcher.watchSignal(task, task.signal);
    task.submittedAt = now();
    return true;
  }

  /** The workers a broadcast runs on: alive and taking tasks (not closing), in `pids()` order. */
  broadcastTargets(): WorkerHost[] {
    // A worker the pool is replacing (closing) is not a target: its replacement, started now if it is not yet, is.
    this.#ensureWorkers();
    return this.#hosts.filter((h) => h.state === 'starting' || h.state === 'ready');
  }

  /**
   * Queues a broadcast task for `host` only. It is sent when that worker is idle, and
   * nothing queued after it goes to that worker before it; if the worker exits first, it
   * fails with `WorkerExitedError` (it cannot run anywhere else).
   */
  submitPinned(task: Task, host: WorkerHost): void {
    if (!this.#admit(task)) return;
    task.pinnedTo = host;
    host.pinned.push(task);
    this.#pinnedCount++;
    this.#schedule();
  }

  /** Sends each idle ready worker its next broadcast task; drops the ones settled meanwhile (a timeout, an abort). */
  #sendPinned(): void {
    for (const h of this.#hosts) {
      const list = h.pinned;
      while (list.length > 0 && list[0].state === DONE) {
        list.shift();
        this.#pinnedCount--;
      }
      if (list.length === 0 || h.state !== 'ready' || !h.idle) continue;
      const t = list.shift() as Task;
      this.#pinnedCount--;
      this.#send(h, [t]);
    }
  }

  /**
   * Gives a broadcast task of a replaced worker to `host`, or else to the newest live worker,
   * if its broadcast has no part there yet (so no worker runs a broadcast twice).
   */
  #adopt(task: Task, host: WorkerHost | undefined): boolean {
    const job = task.owner as BroadcastJob;
    let to = host;
    if (to === undefined) {
      for (let i = this.#hosts.length - 1; i >= 0 && to === undefined; i--) {
        const h = this.#hosts[i];
        if ((h.state === 'starting' || h.state === 'ready') && !job.hosts.has(h)) to = h;
      }
    }
    if (to === undefined || job.hosts.has(to)) return false;
    job.hosts.add(to);
    task.pinnedTo = to;
    to.pinned.push(task);
    return true;
  }

  /** A worker is gone: its broadcast tasks not sent yet cannot run anywhere else. */
  #failPinned(host: WorkerHost, error: (t: Task) => Error): void {
    const list = host.pinned;
    this.#pinnedCount -= list.length;
    const tasks = list.splice(0);
    for (const t of tasks) this.#fail(t, error(t));
  }

  /** An imap job that may still submit tasks keeps a closed pool's workers. */
  openJob(): void {
    this.#openJobs++;
  }

  closeJob(): void {
    this.#openJobs--;
    this.#schedule();
  }

  /** Whether a worker has started `task` (a future is `running()`, and can no longer be cancelled). */
  isRunning(task: Task): boolean {
    return task.state === SENT && task.host !== null && task.host.runs(task);
  }

  /** Fails `task` now with `error` (a cancelled future); a worker holding it is asked to skip it. */
  cancel(task: Task, error: Error): void {
    this.#watcher.cancel(task, error);
  }

  /** The tasks no worker has started: queued, and sent ahead behind a running one (`shutdown({ cancelFutures })`). */
  waitingTasks(): Task[] {
    const out: Task[] = [];
    for (let k = 0; k < this.#queue.length; k++) {
      const t = this.#queue.at(k) as Task;
      if (t.state === QUEUED) out.push(t);
    }
    for (const h of this.#hosts) {
      for (let k = 0; k < h.held; k++) {
        const t = h.heldAt(k);
        if (!h.runs(t)) out.push(t);
      }
    }
    return out;
  }

  /** Removes a queued task that nobody waits for any more (imap `return()`). */
  drop(task: Task): void {
    if (task.state !== QUEUED) return;
    this.#finishTask(task);
  }

  close(): void {
    if (this.#state !== 'running') return;
    this.#state = 'closed';
    this.#schedule();
  }

  terminate(): Promise<void> {
    if (this.#state !== 'terminated') {
      this.#state = 'terminated';
      this.#failEverything(new PoolClosedError('The pool was terminated before the task finished'));
      this.#rejectReady(new PoolClosedError('The pool was terminated before its workers started'));
      for (const h of this.#hosts) h.stop('terminate');
      this.#checkJoined();
    }
    return this.join();
  }

  join(): Promise<void> {
    if (this.#joined === undefined) {
      this.#joined = new Promise<void>((resolve) => (this.#resolveJoin = resolve));
      // Until it resolves, a worker still running a task whose caller already moved on (an
      // aborted one) keeps the program alive too, so an awaited join() is never left unsettled.
      this.#retain('wait');
      this.#checkJoined();
    }
    return this.#joined;
  }

  // --- dispatch ---

  #schedule(): void {
    if (this.#pumpScheduled) return;
    this.#pumpScheduled = true;
    queueMicrotask(this.#pump);
  }

  #dispatch(): void {
    this.#pumpScheduled = false;
    if (this.#state === 'terminated' || this.#broken !== undefined) return;
    this.#ensureWorkers();
    const hosts = this.#hosts;
    if (this.#pinnedCount > 0) this.#sendPinned();
    let ready = readyTargets(hosts, this.#o.maxTasksPerChild);
    // A worker with a broadcast task waiting takes nothing queued after it.
    if (this.#pinnedCount > 0) ready = ready.filter((h) => h.pinned.length === 0);
    if (this.#queue.length > 0 && ready.length > 0) {
      const depth = anyStarting(hosts) ? 0 : this.#service.aheadDepth();
      const batches = planBatches(this.#queue, ready, depth, this.#o.maxTasksPerChild);
      for (let i = 0; i < ready.length; i++) {
        const b = batches[i];
        if (b !== undefined && b.length > 0) this.#send(ready[i], b);
      }
    }
    if (this.#queue.length === 0 && this.#recallTimer === undefined && recallWanted(ready)) this.#armRecall();
    if (this.#state === 'closed' && !this.#hasWork()) {
      // Starting workers too: one left unclosed would keep join() waiting on nothing.
      for (const h of hosts) if ((h.state === 'ready' || h.state === 'starting') && h.idle) h.close();
    }
  }

  /**
   * A worker is idle, nothing is queued, and another worker holds tasks it was
   * sent ahead: if that one has not reported for a while (its current task is
   * long), ask it to hand the unstarted ones back.
   */
  #armRecall(): void {
    this.#recallTimer = backgroundTimer(() => {
      this.#recallTimer = undefined;
      for (const h of pickRecalls(this.#hosts, now())) h.recall();
      this.#dispatch();
    }, RECALL_AFTER_MS);
  }

  #send(host: WorkerHost, tasks: Task[]): void {
    const flat = new Array<unknown>(tasks.length * TASK_STRIDE);
    const packs = host.packNumbers;
    let transfer: TransferableValue[] | undefined;
    for (let i = 0; i < tasks.length; i++) {
      const t = tasks[i];
      host.assign(t);
      // A map chunk of numbers goes as one Float64Array where the channel carries it; t.args stays a list (a re-send packs again).
      writeTask(flat, i, t.id, t.name, t.kind, t.kind === TaskKind.MAP_CHUNK && packs ? packNumbers(t.args) : t.args);
      if (t.transfer !== undefined) (transfer ??= []).push(...t.transfer);
    }
    let posted: boolean;
    try {
      posted = host.postTasks({ type: 'tasks', batch: flat }, transfer, host.held !== tasks.length);
    } catch (err) {
      host.withdraw(tasks);
      if (tasks.length === 1) {
        this.#fail(tasks[0], new EncodingError(`The arguments of task "${tasks[0].name}" cannot be sent to a worker: ${messageOf(err)}`, { cause: err }));
      } else {
        for (const t of tasks) this.#send(host, [t]);
      }
      return;
    }
    if (!posted) {
      // Sent ahead to a worker that just started a task that may be long: they go back to the queue.
      host.withdraw(tasks);
      host.holdAhead();
      this.#requeue(tasks);
      return;
    }
    for (const t of tasks) {
      if (t.timeout !== undefined) this.#watcher.startTimer(t);
    }
    if (host.held === tasks.length) host.markBusy();
  }

  // --- HostOwner ---

  hostReady(host: WorkerHost, error: Error | undefined): void {
    if (error !== undefined) {
      this.#break(new BrokenPoolError(`Pool workers cannot start: ${error.message}`, { cause: error }));
      return;
    }
    this.#settleReady(host, undefined);
    this.#dispatch();
  }

  hostResults(host: WorkerHost, batch: unknown[]): void {
    const elapsed = host.lap();
    const t = now();
    // What each task of the batch ran, as the parent sees it: the time since the worker went busy or last reported, shared.
    const share = elapsed / (batch.length / RESULT_STEP);
    let recalled: Task[] | undefined;
    for (let i = 0; i < batch.length; i += RESULT_STEP) {
      const task = host.take(batch[i + RESULT_ID] as number);
      if (task === undefined) continue;
      if (task.watch !== undefined) endGrace(task.watch);
      if (task.state === DONE) continue;
      const status = batch[i + RESULT_STATUS] as ResultStatus;
      if (status === ResultStatus.RECALLED) {
        (recalled ??= []).push(task);
        continue;
      }
      if (status === ResultStatus.LOST) {
        this.#lost(task, decodeError(batch[i + RESULT_VALUE] as EncodedError));
        continue;
      }
      this.#finishTask(task);
      this.#waitTime.add(t - task.submittedAt - share);
      const value = batch[i + RESULT_VALUE];
      if (status === ResultStatus.OK) {
        this.#completed++;
        task.sink.taskDone(task, value);
      } else if (status === ResultStatus.CHUNK) {
        const chunk = decodeChunk(value as ChunkOutcome);
        if (chunk.values.length !== task.args.length) {
          // Read short, the missing items would come back as undefined, a wrong result no error explains.
          this.#failed += itemsOf(task);
          task.sink.taskFailed(task, new ProtocolError(`Worker ${String(host.pid)} answered a chunk of ${task.args.length} items with ${chunk.values.length} values`));
          continue;
        }
        const bad = chunk.errors === undefined ? 0 : Object.keys(chunk.errors).length;
        this.#failed += bad;
        this.#completed += chunk.values.length - bad;
        task.sink.taskDone(task, chunk);
      } else {
        this.#failed += itemsOf(task);
        if (status === ResultStatus.ERROR) task.sink.taskFailed(task, decodeError(value as EncodedError));
        else task.sink.taskFailed(task, new AbortError('The task was aborted before it started'));
      }
    }
    const ran = batch.length / RESULT_STEP - (recalled?.length ?? 0);
    if (ran > 0) {
      this.#service.record(elapsed, ran);
      this.#runTime.add(share, ran);
    }
    host.reported(ran, recalled);
    if (recalled !== undefined) this.#requeue(recalled);
    const max = this.#o.maxTasksPerChild;
    if (host.idle) {
      host.markIdle(t);
      host.setRef(false);
      if (max !== undefined && host.assigned >= max && host.pinned.length === 0) host.close();
    }
    this.#dispatch();
  }

  hostExit(host: WorkerHost, exit: HostExit): void {
    const i = this.#hosts.indexOf(host);
    if (i >= 0) this.#hosts.splice(i, 1);
    this.#busyMsGone += host.busyMs(now());
    if (this.#state !== 'terminated' && this.#broken === undefined) {
      if (!exit.wasReady && exit.stopReason === null) {
        const code = pythonExitCode(exit);
        const cause = exit.error ?? new WorkerExitedError(`A pool worker exited with code ${code} while starting`, { exitCode: code, signal: exit.signal, taskName: '', attempts: 0 });
        this.#break(new BrokenPoolError(`Pool workers cannot start: ${messageOf(cause)}`, { cause }));
      } else {
        this.#recover(host, exit);
      }
    }
    if (!exit.wasReady) this.#settleReady(host, this.#broken ?? new PoolClosedError('The pool was closed before its workers started'));
    const code = pythonExitCode(exit);
    const exited = (t: Task): Error =>
      new WorkerExitedError(`The worker exited with code ${code} before it ran broadcast task "${t.name}"`, { exitCode: code, signal: exit.signal, taskName: t.name, attempts: 0 });
    if (host.pinned.length > 0) {
      if (this.#broken !== undefined || this.#state === 'terminated') {
        this.#failPinned(host, () => this.#broken ?? new PoolClosedError('The pool was terminated before the task finished'));
      } else if (exit.stopReason === 'grace') {
        // The pool replaced this worker itself (a cancelled task would not stop): its replacement runs them.
        const unplaced: Task[] = [];
        for (const t of host.pinned.splice(0)) if (!this.#adopt(t, undefined)) unplaced.push(t);
        if (unplaced.length > 0) this.#orphans = unplaced;
      } else {
        this.#failPinned(host, exited);
      }
    }
    this.#dispatch();
    if (this.#orphans !== undefined) {
      // No replacement was started: they cannot run anywhere.
      const left = this.#orphans;
      this.#orphans = undefined;
      this.#pinnedCount -= left.length;
      for (const t of left) this.#fail(t, exited(t));
    }
    this.#checkJoined();
  }

  /** A worker is gone: the task it ran fails (or retries); tasks sent ahead go back to the front. */
  #recover(host: WorkerHost, exit: HostExit): void {
    const back = sortLostTasks(host.takeAll(), exit, this.#failTask);
    for (let k = back.length - 1; k >= 0; k--) {
      if (back[k].pinnedTo !== null) {
        const code = pythonExitCode(exit);
        this.#fail(back[k], new WorkerExitedError(`The worker exited with code ${code} before it ran broadcast task "${back[k].name}"`, { exitCode: code, signal: exit.signal, taskName: back[k].name, attempts: 0 }));
        continue;
      }
      back[k].state = QUEUED;
      back[k].host = null;
      this.#queue.unshift(back[k]);
    }
  }

  /**
   * A remote worker lost the task's run without dying itself (the machine running it
   * vanished): as for a dead worker's running task, it runs again while it has `retries`
   * left, else fails with a `WorkerExitedError` saying how it was lost.
   */
  #lost(task: Task, how: Error): void {
    stopTimer(task.watch);
    const error = new WorkerExitedError(how.message, { exitCode: null, signal: null, taskName: task.name, attempts: task.attempts, cause: task.failures?.at(-1) ?? how });
    if (task.attempts <= task.retries && task.pinnedTo === null && task.transfer === undefined) {
      (task.failures ??= []).push(error);
      task.state = QUEUED;
      task.host = null;
      this.#queue.unshift(task);
    } else {
      this.#fail(task, error);
    }
  }

  // --- bookkeeping ---

  /** Tasks back from a worker go to the front of the queue (a broadcast task: of its worker's list), in their order. */
  #requeue(tasks: readonly Task[]): void {
    for (let k = tasks.length - 1; k >= 0; k--) {
      const t = tasks[k];
      if (t.pinnedTo === null) this.#queue.unshift(t);
      else {
        t.pinnedTo.pinned.unshift(t);
        this.#pinnedCount++;
      }
    }
  }

  #finishTask(task: Task): void {
    task.state = DONE;
    if (task.watch !== undefined || task.signal !== undefined) this.#watcher.release(task);
    this.#release('task');
  }

  #fail(task: Task, error: unknown): void {
    if (task.state === DONE) return;
    this.#finishTask(task);
    this.#failed += itemsOf(task);
    task.sink.taskFailed(task, error);
  }

  #failEverything(error: unknown): void {
    let t: Task | undefined;
    while ((t = this.#queue.shift()) !== undefined) this.#fail(t, error);
    for (const h of this.#hosts) this.#failPinned(h, () => error as Error);
    for (const h of this.#hosts) {
      for (let k = 0; k < h.held; k++) this.#fail(h.heldAt(k), error);
    }
  }

  #break(error: BrokenPoolError): void {
    if (this.#broken !== undefined) return;
    this.#broken = error;
    this.#failEverything(error);
    this.#rejectReady(error);
    for (const h of this.#hosts) h.stop('terminate');
    this.#checkJoined();
  }

  #hasWork(): boolean {
    if (this.#openJobs > 0) return true;
    if (this.#active === 0) return false;
    return true;
  }

  #ensureWorkers(): void {
    if (this.#broken !== undefined || this.#state === 'terminated') return;
    if (this.#state === 'closed' && !this.#hasWork()) return;
    let live = 0;
    for (const h of this.#hosts) if (h.state === 'starting' || h.state === 'ready') live++;
    const max = this.#o.maxTasksPerChild;
    for (const h of this.#hosts) if (h.state === 'ready' && max !== undefined && h.assigned >= max) live--;
    while (live < this.#o.processes) {
      if (!this.#spawn()) return;
      live++;
    }
  }

  #spawn(): boolean {
    const name = `PoolWorker-${++this.#workerCount}`;
    const o = this.#o;
    let host: WorkerHost;
    try {
      host = new WorkerHost(this, o.adapter, { source: o.source, name, ref: this.#active + this.#awaits > 0, extra: o.spawnExtra });
    } catch (err) {
      this.#break(new BrokenPoolError(`Pool workers cannot start: ${messageOf(err)}`, { cause: err }));
      return false;
    }
    this.#hosts.push(host);
    try {
      host.init(makeInit(o.source, { name, pid: host.pid, daemon: true }, { initializer: o.initializer, initargs: o.initargs, target: null, args: [] }));
    } catch (err) {
      this.#break(new BrokenPoolError(`Pool workers cannot start: ${messageOf(err)}`, { cause: err }));
      return false;
    }
    if (this.#orphans !== undefined) {
      const left = this.#orphans.filter((t) => !this.#adopt(t, host));
      this.#orphans = left.length > 0 ? left : undefined;
    }
    return true;
  }

  /**
   * Something awaits the pool (a task, a `ready()` or `join()` call): while anything does, its
   * busy and starting workers keep the program alive. Only tasks count as work to start workers for.
   */
  #retain(what: 'task' | 'wait'): void {
    if (what === 'task') this.#active++;
    else this.#awaits++;
    if (this.#active + this.#awaits === 1) this.#setRef(true);
  }

  #release(what: 'task' | 'wait'): void {
    if (what === 'task') this.#active--;
    else this.#awaits--;
    if (this.#active + this.#awaits === 0) this.#setRef(false);
  }

  #setRef(ref: boolean): void {
    for (const h of this.#hosts) if (!ref || !h.idle || h.state === 'starting') h.setRef(ref);
  }

  #checkJoined(): void {
    if (this.#resolveJoin !== undefined && this.#state !== 'running' && this.#hosts.length === 0) {
      if (this.#state === 'closed' && this.#hasWork() && this.#broken === undefined) return;
      this.#resolveJoin();
      this.#resolveJoin = undefined;
      this.#release('wait');
    }
  }
}

interface ReadyWait {
  readonly starting: Set<WorkerHost>;
  readonly resolve: () => void;
  readonly reject: (error: Error) => void;
}

function decodeChunk(outcome: ChunkOutcome): DecodedChunk {
  if (outcome.errors === undefined) return { values: outcome.values, errors: undefined };
  const errors: Record<number, unknown> = {};
  for (const k of Object.keys(outcome.errors)) errors[Number(k)] = decodeError(outcome.errors[Number(k)]);
  return { values: outcome.values, errors };
}

/** Items in a task, as stats count them: one for a call, the chunk's length for a map chunk. */
function itemsOf(task: Task): number {
  return (task.kind & 7) === TaskKind.APPLY ? 1 : task.args.length;
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
