/**
 * One pool worker of a Redis context, as core's scheduler sees it: a
 * `WorkerHandle` whose protocol messages become BullMQ jobs and whose job
 * ends become protocol messages. It holds no thread: each task it is sent is
 * a job any worker host may take, so tasks sent ahead simply wait in Redis
 * for the next free host. Core keeps everything else (ordering, chunking,
 * timeouts, retries, results to callers).
 */
import {
  decodeError,
  encodeError,
  EncodingError,
  PROTOCOL_VERSION,
  ResultStatus,
  TASK_STRIDE,
  TaskSlot,
  WorkerExitedError,
  type InitMessage,
  type ParentMessage,
  type WorkerHandle,
  type WorkerSink,
  encodeValueText,
} from '@multiproc/core';
import { jobData, JobKind, type JobOutcome } from '../job-data.js';
import type { JobChannel, JobListener, OutgoingJob } from './job-channel.js';

/** The kind bit core sets on tasks whose arguments hold primitives (never sent here: see the adapter's capabilities). */
const SYNC_ARGS = 8;
/** The task id a Process target's job is filed under. */
const TARGET_TASK = -1;
/** The task id of an initializer's job. */
const INIT_TASK = -2;

export class RemoteWorker implements WorkerHandle, JobListener {
  /** `<client tag>:<n>`: a string, as the worker is no process of this machine. */
  readonly pid: string;
  readonly owner: object;
  readonly #sink: WorkerSink;
  readonly #channel: JobChannel;
  readonly #moduleOf: (url: string) => string;
  readonly #revive: (value: unknown) => unknown;
  #module = '';
  #initializer: string | null = null;
  #initargs = '';
  #target: string | null = null;
  /** Task id → its job id, for the tasks sent and not ended. */
  readonly #jobs = new Map<number, string>();
  #batch: unknown[] | null = null;
  #closing = false;
  #exited = false;

  constructor(channel: JobChannel, owner: object, sink: WorkerSink, pid: string, moduleOf: (url: string) => string, revive: (value: unknown) => unknown) {
    this.#channel = channel;
    this.#revive = revive;
    this.owner = owner;
    this.#sink = sink;
    this.pid = pid;
    this.#moduleOf = moduleOf;
  }

  postMessage(message: unknown): void {
    if (this.#exited) return;
    const msg = message as ParentMessage;
    switch (msg.type) {
      case 'init':
        this.#init(msg);
        return;
      case 'tasks':
        this.#tasks(msg.batch);
        return;
      case 'abort':
        this.#abort(msg.id);
        return;
      case 'close':
        this.#closing = true;
        this.#maybeClosed();
        return;
      // A recall needs nothing: tasks sent ahead wait in Redis for any free host, not for this worker.
      default:
        return;
    }
  }

  #init(msg: InitMessage): void {
    if (msg.module === null) {
      this.#fail(new TypeError('A Redis pool runs tasks by module id; a worker factory cannot travel to a worker host'));
      return;
    }
    this.#module = this.#moduleOf(msg.module);
    if (msg.initializer !== null) {
      this.#initializer = msg.initializer;
      try {
        this.#initargs = encodeValueText(msg.initargs);
      } catch (err) {
        this.#fail(err);
        return;
      }
    }
    if (msg.target !== null) {
      this.#target = msg.target;
      this.#sink.message({ type: 'ready', version: PROTOCOL_VERSION });
      this.#send([{ task: TARGET_TASK, kind: JobKind.TARGET, name: msg.target, args: msg.args }], msg.identity.name);
      return;
    }
    // Ready once a host has started its pool for this module and initializer, so a module that
    // cannot load or an initializer that throws breaks the pool as on one machine.
    this.#send([{ task: INIT_TASK, kind: JobKind.INIT, name: this.#initializer ?? '', args: [] }]);
  }

  /** The init message could not be turned into jobs: the worker fails to start. */
  #fail(error: unknown): void {
    queueMicrotask(() => {
      this.#sink.message({ type: 'ready', version: PROTOCOL_VERSION, error: encodeError(error) });
    });
  }

  #tasks(batch: unknown[]): void {
    const jobs: { task: number; kind: number; name: string; args: unknown }[] = [];
    for (let at = 0; at < batch.length; at += TASK_STRIDE) {
      const kind = (batch[at + TaskSlot.KIND] as number) & ~SYNC_ARGS;
      jobs.push({ task: batch[at + TaskSlot.ID] as number, kind, name: batch[at + TaskSlot.NAME] as string, args: batch[at + TaskSlot.ARGS] });
    }
    this.#send(jobs);
  }

  #send(tasks: readonly { task: number; kind: number; name: string; args: unknown }[], processName?: string): void {
    const out: OutgoingJob[] = [];
    for (const t of tasks) {
      try {
        out.push({ task: t.task, data: jobData(this.#module, t.name, t.kind as JobKind, t.args, this.#initializer, this.#initargs, processName) });
      } catch (err) {
        // Only this task fails: its arguments cannot leave the machine.
        const error = err instanceof EncodingError ? err : new EncodingError(`The arguments of task "${t.name}" cannot be sent to a worker host`, { cause: err });
        this.settled(t.task, [ResultStatus.ERROR, encodeError(error)]);
      }
    }
    if (out.length === 0) return;
    const ids = this.#channel.add(this, out);
    for (let k = 0; k < out.length; k++) this.#jobs.set(out[k].task, ids[k]);
  }

  #abort(task: number): void {
    const jobId = this.#jobs.get(task);
    if (jobId === undefined) return;
    void this.#channel.cancel(jobId).then((removed) => {
      if (removed && this.#jobs.delete(task)) this.#result(task, ResultStatus.SKIPPED, undefined);
    });
  }

  // --- JobListener ---

  settled(task: number, outcome: JobOutcome): void {
    this.#jobs.delete(task);
    if (this.#exited) return;
    if (task === INIT_TASK) {
      this.#sink.message(outcome[0] === ResultStatus.ERROR ? { type: 'ready', version: PROTOCOL_VERSION, error: outcome[1] } : { type: 'ready', version: PROTOCOL_VERSION });
      return;
    }
    if (task === TARGET_TASK) {
      this.#targetEnded(outcome);
      return;
    }
    // A value (or a chunk's values) may hold primitives made on a host.
    this.#result(task, outcome[0], outcome[0] === ResultStatus.ERROR ? outcome[1] : this.#revive(outcome[1]));
  }

  lost(task: number, how: string): void {
    this.#jobs.delete(task);
    if (this.#exited) return;
    // Starting a host's pool is idempotent: a lost one is simply asked for again.
    if (task === INIT_TASK) this.#send([{ task: INIT_TASK, kind: JobKind.INIT, name: this.#initializer ?? '', args: [] }]);
    else if (task === TARGET_TASK) this.#targetEnded([ResultStatus.ERROR, encodeError(new WorkerExitedError(how, { exitCode: null, signal: null, taskName: this.#target ?? '', attempts: 1 }))]);
    else this.#result(task, ResultStatus.LOST, encodeError(new Error(how)));
  }

  /**
   * A Process target's job ended with the exit code of its thread on the host (an
   * uncaught error was printed there); a job that could not run at all ends the
   * process with code 1 and that error.
   */
  #targetEnded(outcome: JobOutcome): void {
    if (outcome[0] === ResultStatus.OK && typeof outcome[1] === 'number') {
      this.#sink.message({ type: 'exit', code: outcome[1] });
      this.#end(outcome[1], null);
      return;
    }
    const error = outcome[0] === ResultStatus.ERROR ? outcome[1] : encodeError(new Error('The worker host ended the process without an exit code'));
    console.error(`Process ${this.#target ?? ''} could not run on a worker host:\n${decodeError(error).stack ?? ''}`);
    this.#sink.message({ type: 'exit', code: 1, error });
    this.#end(1, null);
  }

  #result(task: number, status: number, value: unknown): void {
    if (this.#batch === null) {
      this.#batch = [];
      // Results of one turn go as one message, as a worker's outbox does.
      queueMicrotask(() => this.#flush());
    }
    this.#batch.push(task, status, value);
  }

  #flush(): void {
    const batch = this.#batch;
    this.#batch = null;
    if (batch === null || this.#exited) return;
    this.#sink.message({ type: 'results', batch });
    this.#maybeClosed();
  }

  #maybeClosed(): void {
    if (this.#closing && this.#jobs.size === 0 && this.#batch === null) this.#end(0, null);
  }

  #end(code: number | null, signal: string | null): void {
    if (this.#exited) return;
    this.#exited = true;
    queueMicrotask(() => this.#sink.exit({ code, signal }));
  }

  // --- stopping ---

  terminate(): void {
    this.#stop('SIGTERM');
  }

  kill(): void {
    this.#stop('SIGKILL');
  }

  #stop(signal: string): void {
    if (this.#exited) return;
    for (const jobId of this.#jobs.values()) this.#channel.drop(jobId);
    this.#jobs.clear();
    this.#batch = null;
    this.#end(null, signal);
  }
}
