/**
 * One `pool.broadcast()`: a task per worker, whose values fill an array in the
 * order of the workers; the first failure rejects the whole, as `map` does.
 * The tasks are plain `Task`s with this job as their owner and `broadcastSink`
 * as their sink: no closure per task.
 */
import type { Task, TaskSink } from './task.js';
import type { WorkerHost } from './worker-host.js';

export class BroadcastJob {
  readonly promise: Promise<unknown[]>;
  /** The workers given a part: a part whose worker the pool replaced moves to one not in here. */
  readonly hosts = new Set<WorkerHost>();
  readonly #values: unknown[];
  #remaining: number;
  #settled = false;
  #resolve!: (values: unknown[]) => void;
  #reject!: (error: unknown) => void;

  constructor(workers: number) {
    this.#values = new Array<unknown>(workers);
    this.#remaining = workers;
    this.promise = new Promise<unknown[]>((resolve, reject) => {
      this.#resolve = resolve;
      this.#reject = reject;
    });
    if (workers === 0) this.#resolve(this.#values);
  }

  done(index: number, value: unknown): void {
    this.#values[index] = value;
    if (--this.#remaining === 0 && !this.#settled) {
      this.#settled = true;
      this.#resolve(this.#values);
    }
  }

  failed(error: unknown): void {
    if (this.#settled) return;
    this.#settled = true;
    this.#reject(error);
  }
}

/** Routes each broadcast task's outcome to its job. */
export const broadcastSink: TaskSink = {
  taskDone(task: Task, value: unknown): void {
    (task.owner as BroadcastJob).done(task.index, value);
  },
  taskFailed(task: Task, error: unknown): void {
    (task.owner as BroadcastJob).failed(error);
  },
};
