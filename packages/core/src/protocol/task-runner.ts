/**
 * The worker's task runner: the queue of tasks sent here, run one at a time
 * in the order they came (each called by the {@link TaskCaller}, its result
 * put in the {@link Outbox}), and how long each took. A run of
 * synchronous tasks never touches a promise; the outbox is flushed before an
 * async task is awaited and every few milliseconds, and control messages
 * (abort, recall) are polled for while the run lasts.
 *
 * A task that may be long (its name has not run here yet, or its last run
 * took a millisecond or more) starts only after the outbox is flushed and the
 * tasks sent ahead behind it are handed back: then finished results are never
 * held by a long task or lost when it kills the worker, quick tasks are never
 * stranded behind it, and the parent knows which task was running. Where
 * memory is shared, the running word tells the parent the running task exactly.
 */
import type { WorkerPort } from '../adapter.js';
import { AbortError } from '../errors.js';
import { now } from '../util/now.js';
import { loadSync, syncState, type SyncBridge } from '../sync-bridge.js';
import { TASK_STRIDE, TaskSlot } from './batch.js';
import { ResultStatus, RunningWord, SYNC_ARGS, TaskKind, type ParentMessage } from './messages.js';
import type { Outbox } from './outbox.js';
import { WorkerExit, type TaskCaller } from './task-call.js';

/** Flush results at least this often (ms) while synchronous tasks keep the worker busy. */
const FLUSH_INTERVAL_MS = 4;
/** Look for control messages (abort, recall) at least this often (ms) during such a run. */
const POLL_INTERVAL_MS = 1;
/** A task whose name last ran here faster than this (ms) is quick: results may wait in the outbox while it runs. */
const QUICK_MS = 1;

// The tasks layout as this module's own constants: V8 folds these into the per-task loop (an imported binding costs a load per read).
const { ID: TASK_ID, NAME: TASK_NAME, KIND: TASK_KIND, ARGS: TASK_ARGS } = TaskSlot;
const TASK_STEP = TASK_STRIDE;

/** What the runner needs from the message loop that feeds it (serve.ts). */
export interface RunnerHost {
  /** The worker has ended: stop at once. */
  readonly dead: boolean;
  /** `close` arrived: exit once the queue is empty. */
  readonly closing: boolean;
  /** `tasks` messages received (compared with the parent's count in the running word). */
  readonly received: number;
  /** Handles a message caught while tasks run (a poll, or the port's idle hook). */
  deliver(message: ParentMessage): void;
  /** Ends the worker with `code`. */
  finish(code: number): void;
}

/**
 * Runs the tasks of `tasks` batches on a worker.
 *
 * @example
 * ```ts
 * const runner = new TaskRunner(port, outbox, caller, server);
 * runner.enqueue(msg.batch);
 * ```
 */
export class TaskRunner {
  readonly #port: WorkerPort;
  readonly #outbox: Outbox;
  readonly #caller: TaskCaller;
  readonly #host: RunnerHost;
  #running = false;
  // Pending tasks, flat (protocol/batch.ts), read from #head.
  #queue: unknown[] = [];
  #head = 0;
  #currentId = -1;
  #controller: AbortController | undefined;
  #abortedAhead: Set<number> | null = null;
  /** Names of tasks whose last run here was quick (see QUICK_MS). */
  readonly #quick = new Set<string>();
  /** Shared with the parent where memory is: the running task's id, or minus the last finished one's. */
  #runningWord: Int32Array | null = null;

  constructor(port: WorkerPort, outbox: Outbox, caller: TaskCaller, host: RunnerHost) {
    this.#port = port;
    this.#outbox = outbox;
    this.#caller = caller;
    this.#host = host;
  }

  /** Whether it is running tasks now (a `close` then waits for the queue to empty). */
  get running(): boolean {
    return this.#running;
  }

  /** The running task's id (0 for a Process target), or -1 between tasks. */
  get currentId(): number {
    return this.#currentId;
  }

  /** At init, where memory is shared: the running word (see `RunningWord`). */
  setRunningWord(word: Int32Array): void {
    this.#runningWord = word;
  }

  /** The running task's abort signal (undefined between tasks). */
  signal(): AbortSignal | undefined {
    if (this.#currentId < 0) return undefined;
    return (this.#controller ??= new AbortController()).signal;
  }

  /** Runs a Process target as task 0; a failure other than an exit is thrown with the task finished. */
  async runTarget(name: string, args: readonly unknown[]): Promise<void> {
    this.#currentId = 0;
    try {
      await this.#caller.call(name, args);
    } catch (err) {
      if (!(err instanceof WorkerExit) && !this.#host.dead) this.#currentId = -1;
      throw err;
    }
    this.#currentId = -1;
  }

  /** Queues a `tasks` batch and starts running if it was not. */
  enqueue(batch: unknown[]): void {
    if (this.#queue.length === 0) this.#queue = batch;
    else for (let i = 0; i < batch.length; i++) this.#queue.push(batch[i]);
    if (!this.#running) void this.#drain();
  }

  /** `abort`: the running task's signal aborts; a task still queued here is skipped when its turn comes. */
  abort(id: number): void {
    if (id === this.#currentId) {
      (this.#controller ??= new AbortController()).abort(new AbortError('The task was cancelled by its caller'));
      return;
    }
    // Only remember ids still waiting here; a finished one needs nothing.
    for (let i = this.#head; i < this.#queue.length; i += TASK_STEP) {
      if (this.#queue[i + TASK_ID] === id) {
        (this.#abortedAhead ??= new Set()).add(id);
        return;
      }
    }
  }

  /** `recall`: hands back every task not started (status `RECALLED`) and flushes. */
  recall(): void {
    const q = this.#queue;
    if (this.#head >= q.length) return;
    for (let i = this.#head; i < q.length; i += TASK_STEP) {
      const id = q[i + TASK_ID] as number;
      // An aborted one is reported as skipped, as it would have been.
      const status = this.#abortedAhead !== null && this.#abortedAhead.delete(id) ? ResultStatus.SKIPPED : ResultStatus.RECALLED;
      this.#outbox.add(id, status, undefined);
    }
    this.#head = q.length;
    this.#outbox.flush();
  }

  async #drain(): Promise<void> {
    this.#running = true;
    let lastFlush = now();
    let lastPoll = lastFlush;
    let start = lastFlush;
    const host = this.#host;
    const outbox = this.#outbox;
    const receiveNow = this.#port.receiveNow;
    const caller = this.#caller;
    const quick = this.#quick;
    const word = this.#runningWord;
    for (;;) {
      while (this.#head < this.#queue.length) {
        const q = this.#queue;
        const h = this.#head;
        const id = q[h + TASK_ID] as number;
        const name = q[h + TASK_NAME] as string;
        let kind = q[h + TASK_KIND] as TaskKind;
        const args = q[h + TASK_ARGS] as unknown[];
        if (kind >= SYNC_ARGS) {
          if (!syncState.complete) {
            // The first task with primitives: load every kind, then read the queue again (a recall may have taken this task).
            await loadSync().catch(() => {});
            if (host.dead) return;
            if (syncState.complete) continue;
          }
          kind = reviveTask(kind, args);
        }
        q[h + TASK_ARGS] = undefined;
        this.#head = h + TASK_STEP;
        if (this.#abortedAhead !== null && this.#abortedAhead.delete(id)) {
          outbox.add(id, ResultStatus.SKIPPED, undefined);
          continue;
        }
        const known = quick.has(name);
        if (!known) {
          // It may be long: deliver what is finished and hand back what waits behind it first,
          // including every batch the parent posted before it saw the flag.
          if (word !== null) {
            Atomics.store(word, RunningWord.MAYBE_LONG, 1);
            while (Atomics.load(word, RunningWord.POSTING) === 1);
            if (host.received < Atomics.load(word, RunningWord.POSTED)) await this.#takePosted(word);
            if (host.dead) return;
          }
          if (this.#head < this.#queue.length) this.recall();
          else outbox.flush();
          // Timed from here: the hand-over above is not the task's time.
          start = lastFlush = now();
        }
        if (word !== null) word[RunningWord.RUNNING] = id;
        this.#currentId = id;
        this.#controller = undefined;
        try {
          // Synchronous tasks never touch a promise; only async ones are awaited.
          const pending = kind === TaskKind.APPLY ? caller.runOne(id, name, args) : caller.runChunk(id, name, kind, args);
          if (pending !== undefined) await pending;
        } catch (err) {
          // Only WorkerExit escapes the runners.
          if (err instanceof WorkerExit || host.dead) return;
          throw err;
        }
        this.#currentId = -1;
        if (word !== null) {
          word[RunningWord.RUNNING] = -id;
          if (!known) Atomics.store(word, RunningWord.MAYBE_LONG, 0);
        }
        if (host.dead) return;
        const t = now();
        if (t - start < QUICK_MS) {
          if (!known) quick.add(name);
        } else if (known) quick.delete(name);
        start = t;
        if (receiveNow !== undefined && t - lastPoll > POLL_INTERVAL_MS) {
          lastPoll = t;
          let m: unknown;
          while ((m = receiveNow.call(this.#port)) !== undefined) host.deliver(m as ParentMessage);
        }
        if (t - lastFlush > FLUSH_INTERVAL_MS) {
          outbox.flush();
          lastFlush = t;
        }
      }
      this.#queue = [];
      this.#head = 0;
      outbox.flush();
      if (host.closing) {
        host.finish(0);
        return;
      }
      // Out of work: the port may catch the next messages without an event-loop turn.
      const arrived = this.#port.idle?.();
      if (arrived === undefined || arrived.length === 0) break;
      for (const m of arrived) host.deliver(m as ParentMessage);
      if (host.dead || this.#head >= this.#queue.length) break;
      lastFlush = now();
      start = lastFlush;
    }
    this.#running = false;
    if (host.closing) host.finish(0);
  }

  /** Reads every `tasks` message the parent has posted, synchronously where the port can, else by yielding. */
  async #takePosted(word: Int32Array): Promise<void> {
    const host = this.#host;
    const posted = Atomics.load(word, RunningWord.POSTED);
    const receiveNow = this.#port.receiveNow;
    let m: unknown;
    if (receiveNow !== undefined) {
      while (host.received < posted && !host.dead && (m = receiveNow.call(this.#port)) !== undefined) host.deliver(m as ParentMessage);
    }
    while (host.received < posted && !host.dead) await new Promise((resolve) => setTimeout(resolve, 0));
  }
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
