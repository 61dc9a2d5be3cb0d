/**
 * One unit of work as the scheduler sees it: a single call or a chunk of a
 * map. Plain fields, no closures: the hot path allocates this object and
 * nothing else per task. Where the outcome goes is the task's `sink`.
 */
import type { TaskKind } from '../protocol/messages.js';
import type { LongTimeout } from '../util/long-timer.js';
import type { WorkerHost } from './worker-host.js';
import type { TransferableValue } from '../transfer.js';

/** Receives a task's outcome: an `AsyncResult`, a map job or an imap iterator. */
export interface TaskSink {
  /** APPLY: the value. Chunks: a `DecodedChunk`. */
  taskDone(task: Task, value: unknown): void;
  /** The whole task failed (its error, a dead worker, a timeout, an abort, termination). */
  taskFailed(task: Task, error: unknown): void;
}

/** A chunk's outcome after decoding: values, and the errors of items that threw. */
export interface DecodedChunk {
  /** One per item (a `Float64Array` when they are numbers that travelled packed). */
  readonly values: ArrayLike<unknown>;
  readonly errors: Record<number, unknown> | undefined;
}

export const QUEUED = 0;
export const SENT = 1;
export const DONE = 2;

export class Task {
  state: 0 | 1 | 2 = QUEUED;
  host: WorkerHost | null = null;
  attempts = 0;
  /** Errors of earlier attempts whose worker died (for `retries`). */
  failures: unknown[] | undefined;
  /** Timer bookkeeping; only tasks with a `timeout` or a cancellation have one. */
  watch: TaskWatch | undefined;
  /** For single calls: the AsyncResult (applyAsync) or the promise's resolve function (apply). */
  owner: unknown;
  /** For `apply`: the promise's reject function. */
  rejectOwner: ((error: unknown) => void) | undefined;
  /** Set when the arguments cannot go to a worker (a Value where memory is not shared): fails at submit. */
  refused: unknown;
  /** A broadcast task: it runs on this worker only. */
  pinnedTo: WorkerHost | null = null;
  /** When it was submitted (ms, `now()`), for `stats().waitTime`. */
  submittedAt = 0;

  constructor(
    readonly id: number,
    readonly name: string,
    readonly kind: TaskKind,
    readonly args: unknown[],
    readonly sink: TaskSink,
    /** Position of the first item (chunks) in the job's input. */
    readonly index: number,
    readonly timeout: number | undefined,
    readonly signal: AbortSignal | undefined,
    readonly transfer: readonly TransferableValue[] | undefined,
    readonly retries: number,
  ) {}
}

export interface TaskWatch {
  timer: LongTimeout | undefined;
  grace: ReturnType<typeof setTimeout> | undefined;
}
