/**
 * The pool's engine: the task queue, the workers, dispatch, worker death,
 * timeouts and aborts, close/join/terminate. `Pool` validates and delegates
 * here; nothing in this file checks user input.
 *
 * Dispatch rules (DESIGN.md, Pool): an idle ready worker always gets the next
 * task first. Only when no worker is idle or starting are tasks sent ahead, up
 * to a share of the queue, so two tasks that wait for each other never share
 * a worker while another is free. A batch of tasks for one worker is one
 * message. Tasks with a `timeout` are never sent ahead, so their clock starts
 * when they start.
 */
import type { RuntimeAdapter, WorkerSource } from '../adapter.js';
import { AbortError, BrokenPoolError, EncodingError, PoolClosedError, TimeoutError, WorkerExitedError } from '../errors.js';
import { decodeError, type EncodedError } from '../protocol/error-codec.js';
import { PROTOCOL_VERSION, ResultStatus, type ChunkOutcome, type TaskKind } from '../protocol/messages.js';
import { Deque } from '../util/deque.js';
import { now } from '../util/now.js';
import { backgroundTimer } from '../util/timer.js';
import { clearLongTimeout, setLongTimeout } from '../util/long-timer.js';
import { currentProcess } from '../worker-scope.js';
import { DONE, QUEUED, SENT, Task, type DecodedChunk, type TaskSink } from './task.js';
import { DEFAULT_CLOSE_TIMEOUT_MS, pythonExitCode, WorkerHost, type HostExit, type HostOwner } from './worker-host.js';
import { sharesMemory } from '../agent/agent.js';
import { syncState, type SyncBridge } from '../sync-bridge.js';
import type { TransferableValue } from '../transfer.js';

/** Most tasks one worker holds at once (running + sent ahead). */
const MAX_AHEAD = 256;
/** Send ahead only about this much work (ms), so a long task strands little behind it. */
const AHEAD_BUDGET_MS = 2;

export interface SchedulerOptions {
  readonly adapter: RuntimeAdapter;
  readonly source: WorkerSource;
  readonly processes: number;
  readonly initializer: string | null;
  readonly initargs: readonly unknown[];
  readonly maxTasksPerChild: number | undefined;
  readonly spawnExtra: Readonly<Record<string, unknown>> | undefined;
}

/** Per-task options after validation. */
export interface TaskOptions {
  readonly timeout: number | undefined;
  readonly signal: AbortSignal | undefined;
  readonly transfer: readonly TransferableValue[] | undefined;
  readonly retries: number;
}

export const NO_TASK_OPTIONS: TaskOptions = { timeout: undefined, signal: undefined, transfer: undefined, retries: 0 };

export type PoolState = 'running' | 'closed' | 'terminated';

export class Scheduler implements HostOwner {
  readonly #o: SchedulerOptions;
  readonly #queue = new Deque<Task>(64);
  readonly #hosts: WorkerHost[] = [];
  readonly #graceMs: number;
  #state: PoolState = 'running';
  #broken: BrokenPoolError | undefined;
  #nextId = 1;
  #workerCount = 0;
  #active = 0;
  #openJobs = 0;
  #pumpScheduled = false;
  /** Smoothed time per task (ms) as seen from here; unknown until results arrive, and then tasks count as slow. */
  #taskMs = Infinity;
  #recallTimer: ReturnType<typeof setTimeout> | undefined;
  /** Tasks waiting on each caller's signal, and its one listener. */
  readonly #signals = new Map<AbortSignal, { readonly tasks: Set<Task>; readonly onAbort: () => void }>();
  #joined: Promise<void> | undefined;
  #resolveJoin: (() => void) | undefined;
  readonly #pump = (): void => this.#dispatch();

  constructor(options: SchedulerOptions) {
    this.#o = options;
    this.#graceMs = options.adapter.closeTimeout ?? DEFAULT_CLOSE_TIMEOUT_MS;
    this.#ensureWorkers();
  }

  get state(): PoolState {
    return this.#state;
  }

  get broken(): BrokenPoolError | undefined {
    return this.#broken;
  }

  get processes(): number {
    return this.#o.processes;
  }

  /** Pids of the live workers (for tests and introspection). */
  pids(): number[] {
    return this.#hosts.filter((h) => h.state !== 'exited').map((h) => h.pid);
  }

  createTask(name: string, kind: TaskKind, args: unknown[], sink: TaskSink, index: number, options: TaskOptions): Task {
    if (syncState.used) return this.#createSyncTask(name, kind, args, sink, index, options);
    return new Task(this.#nextId++, name, kind, args, sink, index, options.timeout, options.signal, options.transfer, options.retries);
  }

  /** A task in an agent that has seen synchronization primitives: prepare them for the workers' channel. */
  #createSyncTask(name: string, kind: TaskKind, args: unknown[], sink: TaskSink, index: number, options: TaskOptions): Task {
    const p = (syncState.bridge as SyncBridge).prepareTask(args, kind, sharesMemory(this.#o.adapter));
    const task = new Task(this.#nextId++, name, p.kind as TaskKind, p.args, sink, index, options.timeout, options.signal, options.transfer, options.retries);
    task.refused = p.refused;
    return task;
  }

  /** Queues a task. Its outcome reaches `task.sink`, always, exactly once. */
  submit(task: Task): void {
    if (this.#broken !== undefined || this.#state === 'terminated' || task.refused !== undefined) {
      task.state = DONE;
      task.sink.taskFailed(task, this.#broken ?? task.refused ?? new PoolClosedError('Pool not running'));
      return;
    }
    if (++this.#active === 1) this.#setRef(true);
    if (task.signal !== undefined) this.#watchSignal(task, task.signal);
    this.#queue.push(task);
    this.#schedule();
  }

  /** One abort listener per signal, however many tasks (a map's chunks) share it. */
  #watchSignal(task: Task, signal: AbortSignal): void {
    let watched = this.#signals.get(signal);
    if (watched === undefined) {
      const tasks = new Set<Task>();
      const onAbort = (): void => {
        this.#signals.delete(signal);
        for (const t of tasks) this.#cancel(t, new AbortError('The task was aborted', { cause: signal.reason }));
      };
      watched = { tasks, onAbort };
      this.#signals.set(signal, watched);
      signal.addEventListener('abort', onAbort, { once: true });
    }
    watched.tasks.add(task);
  }

  #unwatchSignal(task: Task, signal: AbortSignal): void {
    const watched = this.#signals.get(signal);
    if (watched === undefined || !watched.tasks.delete(task) || watched.tasks.size !== 0) return;
    this.#signals.delete(signal);
    signal.removeEventListener('abort', watched.onAbort);
  }

  /** An imap job that may still submit tasks keeps a closed pool's workers. */
  openJob(): void {
    this.#openJobs++;
  }

  closeJob(): void {
    this.#openJobs--;
    this.#schedule();
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
      for (const h of this.#hosts) h.stop('terminate');
      this.#checkJoined();
    }
    return this.join();
  }

  join(): Promise<void> {
    if (this.#joined === undefined) {
      this.#joined = new Promise<void>((resolve) => (this.#resolveJoin = resolve));
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
    const max = this.#o.maxTasksPerChild;
    let starting = 0;
    const ready: WorkerHost[] = [];
    for (const h of hosts) {
      if (h.state === 'starting') starting++;
      else if (h.state === 'ready' && (max === undefined || h.assigned < max)) ready.push(h);
    }
    if (this.#queue.length > 0 && ready.length > 0) {
      const batches: (Task[] | undefined)[] = new Array(ready.length);
      // Idle workers first, one task each.
      for (let i = 0; i < ready.length; i++) {
        if (ready[i].inflight.length !== 0) continue;
        const t = this.#nextLive(false);
        if (t === undefined) break;
        batches[i] = [t];
      }
      // Then ahead of time, only when nobody is idle or starting, and only as much as the
      // measured task time says is a couple of milliseconds of work.
      const depth = Math.min(MAX_AHEAD, Math.floor(AHEAD_BUDGET_MS / this.#taskMs));
      if (this.#queue.length > 0 && starting === 0 && depth > 1) {
        const share = Math.min(depth, Math.ceil(this.#queue.length / ready.length) + 1);
        for (let i = 0; i < ready.length && this.#queue.length > 0; i++) {
          const h = ready[i];
          if (h.aheadHeld && h.inflight.length !== 0) continue;
          const batch = (batches[i] ??= []);
          let room = share - h.inflight.length - batch.length;
          if (max !== undefined) room = Math.min(room, max - h.assigned - batch.length);
          while (room-- > 0) {
            const t = this.#nextLive(true);
            if (t === undefined) break;
            batch.push(t);
          }
        }
      }
      for (let i = 0; i < ready.length; i++) {
        const b = batches[i];
        if (b !== undefined && b.length > 0) this.#send(ready[i], b);
      }
    }
    if (this.#queue.length === 0 && this.#recallTimer === undefined) this.#maybeRecall(ready);
    if (this.#state === 'closed' && !this.#hasWork()) {
      // Starting workers too: one left unclosed would keep join() waiting on nothing.
      for (const h of hosts) if ((h.state === 'ready' || h.state === 'starting') && h.inflight.length === 0) h.close();
    }
  }

  /**
   * A worker is idle, nothing is queued, and another worker holds tasks it was
   * sent ahead: if that one has not reported for a while (its current task is
   * long), ask it to hand the unstarted ones back.
   */
  #maybeRecall(ready: WorkerHost[]): void {
    let idle = false;
    let holding = false;
    for (const h of ready) {
      if (h.inflight.length === 0) idle = true;
      else if (h.inflight.length > 1 && !h.recalling) holding = true;
    }
    if (!idle || !holding) return;
    this.#recallTimer = backgroundTimer(() => {
      this.#recallTimer = undefined;
      const t = now();
      for (const h of this.#hosts) {
        if (h.state !== 'ready' || h.recalling || h.inflight.length < 2 || t - h.mark < AHEAD_BUDGET_MS * 2) continue;
        h.recalling = true;
        try {
          h.post({ type: 'recall' });
        } catch {
          h.recalling = false;
        }
      }
      this.#dispatch();
    }, AHEAD_BUDGET_MS * 2);
  }

  /** Next task still waiting; with `ahead`, stops at a task that must not be sent ahead. */
  #nextLive(ahead: boolean): Task | undefined {
    const q = this.#queue;
    while (q.length > 0) {
      const t = q.peek() as Task;
      if (t.state !== QUEUED) {
        q.shift();
        continue;
      }
      if (ahead && t.timeout !== undefined) return undefined;
      return q.shift();
    }
    return undefined;
  }

  #send(host: WorkerHost, tasks: Task[]): void {
    const flat = new Array<unknown>(tasks.length * 4);
    let transfer: TransferableValue[] | undefined;
    for (let i = 0; i < tasks.length; i++) {
      const t = tasks[i];
      t.state = SENT;
      t.host = host;
      t.attempts++;
      host.inflight.push(t);
      flat[i * 4] = t.id;
      flat[i * 4 + 1] = t.name;
      flat[i * 4 + 2] = t.kind;
      flat[i * 4 + 3] = t.args;
      if (t.transfer !== undefined) (transfer ??= []).push(...t.transfer);
    }
    host.assigned += tasks.length;
    let posted: boolean;
    try {
      posted = host.postTasks({ type: 'tasks', batch: flat }, transfer, host.inflight.length !== tasks.length);
    } catch (err) {
      for (let i = 0; i < tasks.length; i++) host.inflight.pop();
      host.assigned -= tasks.length;
      for (const t of tasks) {
        t.state = QUEUED;
        t.host = null;
        t.attempts--;
      }
      if (tasks.length === 1) {
        this.#fail(tasks[0], new EncodingError(`The arguments of task "${tasks[0].name}" cannot be sent to a worker: ${messageOf(err)}`, { cause: err }));
      } else {
        for (const t of tasks) this.#send(host, [t]);
      }
      return;
    }
    if (!posted) {
      // Sent ahead to a worker that just started a task that may be long: they go back to the queue.
      for (let i = 0; i < tasks.length; i++) host.inflight.pop();
      host.assigned -= tasks.length;
      host.aheadHeld = true;
      for (let k = tasks.length - 1; k >= 0; k--) {
        const t = tasks[k];
        t.state = QUEUED;
        t.host = null;
        t.attempts--;
        this.#queue.unshift(t);
      }
      return;
    }
    for (const t of tasks) {
      if (t.timeout !== undefined) this.#startTimer(t);
    }
    if (host.inflight.length === tasks.length) {
      host.mark = now();
      host.setRef(true);
    }
  }

  #startTimer(task: Task): void {
    const watch = (task.watch ??= { timer: undefined, grace: undefined });
    const ms = task.timeout as number;
    watch.timer = setLongTimeout(() => this.#cancel(task, new TimeoutError(`Task "${task.name}" did not finish within ${ms} ms`)), ms);
  }

  // --- HostOwner ---

  hostReady(host: WorkerHost, error: Error | undefined): void {
    if (error !== undefined) {
      this.#break(new BrokenPoolError(`Pool workers cannot start: ${error.message}`, { cause: error }));
      return;
    }
    this.#dispatch();
  }

  hostResults(host: WorkerHost, batch: unknown[]): void {
    const t = now();
    const elapsed = t - host.mark;
    host.mark = t;
    let recalled: Task[] | undefined;
    for (let i = 0; i < batch.length; i += 3) {
      const task = this.#take(host, batch[i] as number);
      if (task === undefined) continue;
      const watch = task.watch;
      if (watch !== undefined && watch.grace !== undefined) clearTimeout(watch.grace);
      if (task.state === DONE) continue;
      const status = batch[i + 1] as ResultStatus;
      if (status === ResultStatus.RECALLED) {
        (recalled ??= []).push(task);
        continue;
      }
      this.#finishTask(task);
      const value = batch[i + 2];
      if (status === ResultStatus.OK) task.sink.taskDone(task, value);
      else if (status === ResultStatus.CHUNK) task.sink.taskDone(task, decodeChunk(value as ChunkOutcome));
      else if (status === ResultStatus.ERROR) task.sink.taskFailed(task, decodeError(value as EncodedError));
      else task.sink.taskFailed(task, new AbortError('The task was aborted before it started'));
    }
    const ran = batch.length / 3 - (recalled?.length ?? 0);
    if (ran > 0) {
      const perTask = elapsed / ran;
      this.#taskMs = this.#taskMs === Infinity ? perTask : this.#taskMs * 0.7 + perTask * 0.3;
    }
    if (recalled !== undefined) host.aheadHeld = true;
    else if (ran > 0) host.aheadHeld = false;
    if (recalled !== undefined) {
      host.recalling = false;
      host.assigned -= recalled.length;
      for (let k = recalled.length - 1; k >= 0; k--) {
        const t = recalled[k];
        t.state = QUEUED;
        t.host = null;
        t.attempts--;
        this.#queue.unshift(t);
      }
    }
    if (host.inflight.length <= 1) host.recalling = false;
    const max = this.#o.maxTasksPerChild;
    if (host.inflight.length === 0) {
      host.setRef(false);
      if (max !== undefined && host.assigned >= max) host.close();
    }
    this.#dispatch();
  }

  hostExit(host: WorkerHost, exit: HostExit): void {
    const i = this.#hosts.indexOf(host);
    if (i >= 0) this.#hosts.splice(i, 1);
    if (this.#state !== 'terminated' && this.#broken === undefined) {
      if (!exit.wasReady && exit.stopReason === null) {
        const code = pythonExitCode(exit);
        const cause = exit.error ?? new WorkerExitedError(`A pool worker exited with code ${code} while starting`, { exitCode: code, signal: exit.signal, taskName: '', attempts: 0 });
        this.#break(new BrokenPoolError(`Pool workers cannot start: ${messageOf(cause)}`, { cause }));
      } else {
        this.#recover(host, exit);
      }
    }
    this.#dispatch();
    this.#checkJoined();
  }

  /**
   * A worker is gone: the task it ran fails (or retries); tasks sent ahead go back to the front.
   * Which task ran: the worker's running word where memory is shared; elsewhere the first whose
   * result did not arrive (the worker flushes results before any task that may be long).
   */
  #recover(host: WorkerHost, exit: HostExit): void {
    const tasks = host.inflight.drain();
    const back: Task[] = [];
    // tasks[0..finished] ran to the end but their results were lost with the worker; tasks[running] ran.
    let running = 0;
    let finished = -1;
    const word = exit.running;
    if (word !== undefined) {
      running = -1;
      const at = word === 0 ? -1 : tasks.findIndex((t) => t.id === Math.abs(word));
      if (at >= 0 && word > 0) {
        running = at;
        finished = at - 1;
      } else if (at >= 0) {
        finished = at;
      }
    }
    for (let k = 0; k < tasks.length; k++) {
      const t = tasks[k];
      if (t.watch?.grace !== undefined) clearTimeout(t.watch.grace);
      if (t.state === DONE) continue;
      clearLongTimeout(t.watch?.timer);
      // The running one is blamed, unless the pool itself killed the worker for a stuck cancelled task.
      if ((k === running && exit.stopReason !== 'grace') || k <= finished) {
        const code = pythonExitCode(exit);
        const how = exit.signal ? `signal ${exit.signal}` : `code ${code}`;
        const err = new WorkerExitedError(
          k === running ? `The worker running task "${t.name}" exited (${how})` : `Task "${t.name}" finished, but its worker exited (${how}) before sending its result`,
          { exitCode: code, signal: exit.signal, taskName: t.name, attempts: t.attempts, cause: t.failures?.at(-1) ?? exit.error },
        );
        if (t.attempts <= t.retries) {
          (t.failures ??= []).push(err);
          back.push(t);
        } else {
          this.#fail(t, err);
        }
        continue;
      }
      t.attempts--;
      back.push(t);
    }
    for (let k = back.length - 1; k >= 0; k--) {
      back[k].state = QUEUED;
      back[k].host = null;
      this.#queue.unshift(back[k]);
    }
  }

  // --- cancellation ---

  #cancel(task: Task, error: Error): void {
    if (task.state === DONE) return;
    const host = task.host;
    const wasSent = task.state === SENT;
    this.#fail(task, error);
    if (!wasSent || host === null || host.state === 'exited') return;
    try {
      host.post({ type: 'abort', id: task.id });
    } catch {
      // the worker is going away; its exit settles everything
    }
    this.#armGrace(task, host);
  }

  /** A cancelled task that is still running after the grace period gets its worker killed and replaced. */
  #armGrace(task: Task, host: WorkerHost): void {
    const watch = (task.watch ??= { timer: undefined, grace: undefined });
    watch.grace = backgroundTimer(() => {
      watch.grace = undefined;
      if (host.state === 'exited') return;
      const at = indexOf(host, task);
      if (at < 0) return;
      // Kill only for the task that is running: exactly known where memory is shared, else the first unreported.
      const word = host.running();
      if (word === undefined ? at === 0 : word === task.id) host.stop('grace');
      else this.#armGrace(task, host);
    }, this.#graceMs);
  }

  // --- bookkeeping ---

  #take(host: WorkerHost, id: number): Task | undefined {
    const head = host.inflight.peek();
    if (head !== undefined && head.id === id) return host.inflight.shift();
    const at = indexOfId(host, id);
    return at < 0 ? undefined : host.inflight.removeAt(at);
  }

  #finishTask(task: Task): void {
    task.state = DONE;
    const watch = task.watch;
    if (watch !== undefined) {
      clearLongTimeout(watch.timer);
    }
    if (task.signal !== undefined) this.#unwatchSignal(task, task.signal);
    if (--this.#active === 0) this.#setRef(false);
  }

  #fail(task: Task, error: unknown): void {
    if (task.state === DONE) return;
    this.#finishTask(task);
    task.sink.taskFailed(task, error);
  }

  #failEverything(error: unknown): void {
    let t: Task | undefined;
    while ((t = this.#queue.shift()) !== undefined) this.#fail(t, error);
    for (const h of this.#hosts) {
      for (let k = 0; k < h.inflight.length; k++) this.#fail(h.inflight.at(k) as Task, error);
    }
  }

  #break(error: BrokenPoolError): void {
    if (this.#broken !== undefined) return;
    this.#broken = error;
    this.#failEverything(error);
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
      host = new WorkerHost(this, o.adapter, { source: o.source, name, ref: this.#active > 0, extra: o.spawnExtra });
    } catch (err) {
      this.#break(new BrokenPoolError(`Pool workers cannot start: ${messageOf(err)}`, { cause: err }));
      return false;
    }
    this.#hosts.push(host);
    const me = currentProcess();
    try {
      host.init({
        type: 'init',
        version: PROTOCOL_VERSION,
        module: o.source.kind === 'module' ? o.source.url : null,
        identity: { name, pid: host.pid, daemon: true },
        parent: { name: me.name, pid: me.pid, daemon: me.daemon },
        initializer: o.initializer,
        initargs: o.initargs,
        target: null,
        args: [],
      });
    } catch (err) {
      this.#break(new BrokenPoolError(`Pool workers cannot start: ${messageOf(err)}`, { cause: err }));
      return false;
    }
    return true;
  }

  #setRef(ref: boolean): void {
    for (const h of this.#hosts) if (!ref || h.inflight.length > 0 || h.state === 'starting') h.setRef(ref);
  }

  #checkJoined(): void {
    if (this.#resolveJoin !== undefined && this.#state !== 'running' && this.#hosts.length === 0) {
      if (this.#state === 'closed' && this.#hasWork() && this.#broken === undefined) return;
      this.#resolveJoin();
      this.#resolveJoin = undefined;
    }
  }
}

function decodeChunk(outcome: ChunkOutcome): DecodedChunk {
  if (outcome.errors === undefined) return { values: outcome.values, errors: undefined };
  const errors: Record<number, unknown> = {};
  for (const k of Object.keys(outcome.errors)) errors[Number(k)] = decodeError(outcome.errors[Number(k)]);
  return { values: outcome.values, errors };
}

function indexOf(host: WorkerHost, task: Task): number {
  for (let k = 0; k < host.inflight.length; k++) if (host.inflight.at(k) === task) return k;
  return -1;
}

function indexOfId(host: WorkerHost, id: number): number {
  for (let k = 0; k < host.inflight.length; k++) if ((host.inflight.at(k) as Task).id === id) return k;
  return -1;
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
