/**
 * The wire protocol between a parent and its workers: every message shape, in
 * one place, as plain types. Adapters carry these messages opaquely; only
 * the pool (parent side) and `serve.ts` with its task runner (worker side) read them.
 * Documented in docs/protocol.md. Bump {@link PROTOCOL_VERSION} on any change.
 *
 * Hot-path messages (`tasks`, `results`) carry flat arrays rather than an
 * object per task: one message holds a batch, and a batch costs one clone.
 * Their layout is named in `batch.ts`.
 */
import type { EncodedError } from './error-codec.js';

/**
 * Version of the message shapes below; checked in the ready handshake.
 *
 * @example
 * ```ts
 * port.postMessage({ type: 'ready', version: PROTOCOL_VERSION });
 * ```
 */
export const PROTOCOL_VERSION = 5;

/**
 * Who a worker is, as `currentProcess()` reports it inside.
 *
 * @example
 * ```ts
 * const me: ProcessIdentity = { name: 'PoolWorker-1', pid: 4242, daemon: true };
 * ```
 */
export interface ProcessIdentity {
  readonly name: string;
  readonly pid: number;
  readonly daemon: boolean;
}

/**
 * Parent → worker, first message: what to load and what to be.
 *
 * @example
 * ```ts
 * port.onMessage((data) => { if ((data as ParentMessage).type === 'init') console.log('loading', (data as InitMessage).module); });
 * ```
 */
export interface InitMessage {
  readonly type: 'init';
  readonly version: number;
  /** URL of the task module; null when the worker entry exposes its tasks itself. */
  readonly module: string | null;
  readonly identity: ProcessIdentity;
  readonly parent: ProcessIdentity;
  /** Pool workers: a task name to run once before the first task. */
  readonly initializer: string | null;
  readonly initargs: readonly unknown[];
  /** A `Process`: the target to run, after which the worker exits. */
  readonly target: string | null;
  readonly args: readonly unknown[];
  /** Synchronization primitives: how this worker reaches its parent's (absent: shared, nothing to revive). */
  readonly sync?: InitSync;
  /** Where memory is shared: the words of `RunningWord`. */
  readonly running?: Int32Array;
  /** The channel carries a `Float64Array`: the worker may send a number-only chunk's values packed in one (protocol/packed-numbers.ts). */
  readonly packNumbers?: boolean;
}

/**
 * Indexes of the `running` array shared by a parent and a worker where memory
 * is shared.
 */
export const RunningWord = {
  /** Set by the worker to a task's id before running it and to minus that id after: at a death, the parent knows which task was running and which had finished. */
  RUNNING: 0,
  /** 1 while the worker runs a task that may be long; the parent then sends nothing ahead to it. */
  MAYBE_LONG: 1,
  /** 1 while the parent posts a `tasks` message (the worker waits it out before a task that may be long). */
  POSTING: 2,
  /** `tasks` messages the parent has posted (the worker takes them all before a task that may be long). */
  POSTED: 3,
  COUNT: 4,
} as const;

/** The `sync` field of {@link InitMessage}. */
export interface InitSync {
  /** Whether the worker shares memory with its parent; if not, its primitives are proxies to the parent's broker. */
  readonly shared: boolean;
  /** `initargs`/`args` hold primitives to revive. */
  readonly revive: boolean;
  /** With shared memory: the liveness table and this worker's token in it (agent/life.ts). */
  readonly life?: { readonly table: SharedArrayBuffer; readonly token: number };
}

/**
 * Kinds of task in a `tasks` batch: `APPLY` calls `fn(...args)`; `MAP_CHUNK`
 * calls `fn(item)` for each item of the chunk, `STAR_CHUNK` calls
 * `fn(...tuple)` for each argument tuple; chunks report every item's outcome.
 *
 * @example
 * ```ts
 * if (kind === TaskKind.MAP_CHUNK) for (const item of args) values.push(fn(item));
 * ```
 */
export const TaskKind = { APPLY: 0, MAP_CHUNK: 1, STAR_CHUNK: 2 } as const;
export type TaskKind = (typeof TaskKind)[keyof typeof TaskKind];

/** Added to a task's kind when its arguments hold synchronization primitives to revive (tasks without are untouched). */
export const SYNC_ARGS = 8;

/** Parent → worker: tasks to run in order, flat `[id, name, kind, args, ...]`. */
export interface TasksMessage {
  readonly type: 'tasks';
  readonly batch: unknown[];
}

/** Parent → worker: stop task `id` (its `taskSignal()` aborts; if not started, skip it). */
export interface AbortMessage {
  readonly type: 'abort';
  readonly id: number;
}

/**
 * Parent → worker: hand back every task not started yet (status `RECALLED`),
 * because another worker is idle. Sent only for tasks that were sent ahead.
 */
export interface RecallMessage {
  readonly type: 'recall';
}

/** Parent → worker: finish what was sent, then exit with code 0. */
export interface CloseMessage {
  readonly type: 'close';
}

/**
 * Every message the parent sends a worker, told apart by `type` (see docs/protocol.md).
 *
 * @example
 * ```ts
 * function onParent(m: ParentMessage) { if (m.type === 'close') flushAndExit(); }
 * ```
 */
export type ParentMessage = InitMessage | TasksMessage | AbortMessage | RecallMessage | CloseMessage | SyncReplyMessage;

/** Parent → worker: the broker's answer to a `sync` request (`value`, or `error`). */
export interface SyncReplyMessage {
  readonly type: 'sync-reply';
  readonly req: number;
  readonly value?: unknown;
  readonly error?: EncodedError;
}

/**
 * Outcome of one task in a `results` batch.
 *
 * @example
 * ```ts
 * pushResult(batch, id, ResultStatus.OK, value);
 * ```
 */
export const ResultStatus = {
  /** value: the result. */
  OK: 0,
  /** value: EncodedError. */
  ERROR: 1,
  /** value: ChunkOutcome. */
  CHUNK: 2,
  /** The task was aborted before it started; value: undefined. */
  SKIPPED: 3,
  /** Handed back unstarted after a `recall`; the parent queues it again. value: undefined. */
  RECALLED: 4,
  /**
   * The task's run was lost without this worker dying: a remote worker (Redis) saw the
   * machine running it vanish. The parent retries it while it has `retries` left, else
   * fails it with a `WorkerExitedError` built from value (an EncodedError saying how).
   */
  LOST: 5,
} as const;
export type ResultStatus = (typeof ResultStatus)[keyof typeof ResultStatus];

/**
 * Outcome of a chunk: every item's value, and the errors of those that threw.
 *
 * @example
 * ```ts
 * const outcome: ChunkOutcome = { values: [1, undefined, 9], errors: { 1: encodeError(new Error('item 2 failed')) } };
 * pushResult(batch, id, ResultStatus.CHUNK, outcome);
 * ```
 */
export interface ChunkOutcome {
  /** One per item; a `Float64Array` when every value is a number and the init allowed it (protocol/packed-numbers.ts). */
  readonly values: readonly unknown[] | Float64Array;
  /** index within the chunk → error; absent when every item succeeded. */
  readonly errors?: Record<number, EncodedError>;
}

/** Worker → parent: the worker loaded (or failed to). */
export interface ReadyMessage {
  readonly type: 'ready';
  readonly version: number;
  readonly error?: EncodedError;
}

/** Worker → parent: finished tasks, flat `[id, status, value, ...]`, in the order they ran. */
export interface ResultsMessage {
  readonly type: 'results';
  readonly batch: unknown[];
}

/**
 * Worker → parent: a Process target ended (or `exit(code)` was called, or an
 * uncaught error ended the worker); the worker exits next.
 */
export interface ExitMessage {
  readonly type: 'exit';
  readonly code: number;
  /** The uncaught error that ends the worker (where the adapter lets the worker catch it); the exit's `cause`. */
  readonly error?: EncodedError;
}

/**
 * Worker → parent: an operation on a synchronization primitive, for the
 * parent's broker. `req` 0 is a synchronous mutation (no reply; posted before
 * the running task's result, so it takes effect first); otherwise the broker
 * answers with a `sync-reply` of the same `req`. `owner` is the calling
 * agent (an RLock's owner); `task` the id of the task running when it was
 * sent (-1 when none), which a failed mutation fails instead.
 * Ops `new`, `publish` and `resolve` create a primitive in the parent,
 * announce one written into a shared queue, and ask for one by id.
 */
export interface SyncMessage {
  readonly type: 'sync';
  readonly req: number;
  readonly prim: string;
  readonly op: string;
  readonly args: unknown[];
  readonly owner: number;
  readonly task: number;
}

/**
 * Every message a worker sends its parent, told apart by `type` (see docs/protocol.md).
 *
 * @example
 * ```ts
 * function onWorker(m: WorkerMessage) { if (m.type === 'ready' && m.error !== undefined) fail(decodeError(m.error)); }
 * ```
 */
export type WorkerMessage = ReadyMessage | ResultsMessage | ExitMessage | SyncMessage;
