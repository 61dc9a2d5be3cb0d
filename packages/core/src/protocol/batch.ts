/**
 * The layout of the two hot-path batches, named once. A `tasks` batch
 * (parent → worker) and a `results` batch (worker → parent) are flat arrays,
 * one clone per message instead of an object per task: a task takes
 * {@link TASK_STRIDE} slots, a result {@link RESULT_STRIDE}, at the offsets of
 * {@link TaskSlot} and {@link ResultSlot}. Every reader and writer of a batch
 * goes through these names, so the layout changes in one place (with
 * `PROTOCOL_VERSION`).
 */
import type { ResultStatus, TaskKind } from './messages.js';

/** One task of a `tasks` batch, as its slots read (documentation: batches stay flat). */
export type TaskEntry = [id: number, name: string, kind: TaskKind, args: unknown[]];

/** One result of a `results` batch, as its slots read (documentation: batches stay flat). */
export type ResultEntry = [id: number, status: ResultStatus, value: unknown];

/**
 * Slots a task takes in a `tasks` batch.
 *
 * @example
 * ```ts
 * const tasks = message.batch.length / TASK_STRIDE;   // a `tasks` message's task count
 * ```
 */
export const TASK_STRIDE = 4;

/**
 * Offsets of a task's fields from the start of its entry (see `TaskEntry`).
 *
 * @example
 * ```ts
 * const name = batch[at + TaskSlot.NAME] as string;
 * const args = batch[at + TaskSlot.ARGS] as unknown[];
 * ```
 */
export const TaskSlot = {
  ID: 0,
  NAME: 1,
  /** A `TaskKind`, plus `SYNC_ARGS` when the arguments hold primitives to revive. */
  KIND: 2,
  ARGS: 3,
} as const;

/**
 * Slots a result takes in a `results` batch.
 *
 * @example
 * ```ts
 * for (let at = 0; at < batch.length; at += RESULT_STRIDE) settle(batch[at + ResultSlot.ID] as number);
 * ```
 */
export const RESULT_STRIDE = 3;

/**
 * Offsets of a result's fields from the start of its entry (see `ResultEntry`).
 *
 * @example
 * ```ts
 * const status = batch[at + ResultSlot.STATUS] as ResultStatus;
 * const value = batch[at + ResultSlot.VALUE];
 * ```
 */
export const ResultSlot = {
  ID: 0,
  /** A `ResultStatus`. */
  STATUS: 1,
  /** What the status says: the value, an `EncodedError`, a `ChunkOutcome`, or undefined. */
  VALUE: 2,
} as const;

/**
 * Writes task `n` (counting from 0) of a `tasks` batch sized for it.
 *
 * @example
 * ```ts
 * const batch = new Array<unknown>(tasks.length * TASK_STRIDE);
 * for (let n = 0; n < tasks.length; n++) writeTask(batch, n, t.id, t.name, t.kind, t.args);
 * ```
 */
export function writeTask(batch: unknown[], n: number, id: number, name: string, kind: number, args: readonly unknown[] | Float64Array): void {
  const at = n * TASK_STRIDE;
  batch[at + TaskSlot.ID] = id;
  batch[at + TaskSlot.NAME] = name;
  batch[at + TaskSlot.KIND] = kind;
  batch[at + TaskSlot.ARGS] = args;
}

/**
 * Appends one result to a `results` batch.
 *
 * @example
 * ```ts
 * pushResult(batch, id, ResultStatus.OK, value);
 * ```
 */
export function pushResult(batch: unknown[], id: number, status: ResultStatus, value: unknown): void {
  // In slot order: ID, STATUS, VALUE.
  batch.push(id, status, value);
}
