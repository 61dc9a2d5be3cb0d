/**
 * Watching tasks that can be cancelled: the `timeout` clock, the caller's
 * abort signal, and the grace period after which a cancelled task that is
 * still running gets its worker killed and replaced. Cancellation order
 * (DESIGN.md): reject first, then ask the worker to stop the task, then kill
 * after the grace. Only tasks with a timeout, a signal or a cancellation
 * touch this; the plain hot path never does.
 */
import { AbortError, TimeoutError } from '../errors.js';
import { clearLongTimeout, setLongTimeout } from '../util/long-timer.js';
import { backgroundTimer } from '../util/timer.js';
import { SENT, DONE, type Task, type TaskWatch } from './task.js';
import type { WorkerHost } from './worker-host.js';

/**
 * One pool's task watcher. `fail` is the scheduler's: it settles a task as
 * failed (exactly once) and does the pool's bookkeeping, including calling
 * {@link TaskWatcher.release}.
 *
 * @example
 * ```ts
 * const watcher = new TaskWatcher((task, error) => fail(task, error), 1000);
 * watcher.watchSignal(task); // at submit
 * watcher.startTimer(task);  // once it is sent
 * ```
 */
export class TaskWatcher {
  readonly #fail: (task: Task, error: Error) => void;
  readonly #graceMs: number;
  /** Tasks waiting on each caller's signal, and its one listener. */
  readonly #signals = new Map<AbortSignal, { readonly tasks: Set<Task>; readonly onAbort: () => void }>();

  constructor(fail: (task: Task, error: Error) => void, graceMs: number) {
    this.#fail = fail;
    this.#graceMs = graceMs;
  }

  /** One abort listener per signal, however many tasks (a map's chunks) share it. */
  watchSignal(task: Task, signal: AbortSignal): void {
    let watched = this.#signals.get(signal);
    if (watched === undefined) {
      const tasks = new Set<Task>();
      const onAbort = (): void => {
        this.#signals.delete(signal);
        for (const t of tasks) this.cancel(t, new AbortError('The task was aborted', { cause: signal.reason }));
      };
      watched = { tasks, onAbort };
      this.#signals.set(signal, watched);
      signal.addEventListener('abort', onAbort, { once: true });
    }
    watched.tasks.add(task);
  }

  /** The task started on a worker: its `timeout` clock runs from now. */
  startTimer(task: Task): void {
    const watch = (task.watch ??= { timer: undefined, grace: undefined });
    const ms = task.timeout as number;
    watch.timer = setLongTimeout(() => this.cancel(task, new TimeoutError(`Task "${task.name}" did not finish within ${ms} ms`)), ms);
  }

  /** The task is done: its clock stops and its signal forgets it. */
  release(task: Task): void {
    const watch = task.watch;
    if (watch !== undefined) {
      clearLongTimeout(watch.timer);
    }
    if (task.signal !== undefined) this.#unwatchSignal(task, task.signal);
  }

  #unwatchSignal(task: Task, signal: AbortSignal): void {
    const watched = this.#signals.get(signal);
    if (watched === undefined || !watched.tasks.delete(task) || watched.tasks.size !== 0) return;
    this.#signals.delete(signal);
    signal.removeEventListener('abort', watched.onAbort);
  }

  /** Rejects the task now; if a worker has it, asks it to stop and arms the grace kill. */
  cancel(task: Task, error: Error): void {
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
      if (host.position(task) < 0) return;
      // Kill only for the task that is running: exactly known where memory is shared, else the first unreported.
      if (host.runs(task)) host.stop('grace');
      else this.#armGrace(task, host);
    }, this.#graceMs);
  }
}

/** The task's worker reported it or died: no grace kill for it any more. */
export function endGrace(watch: TaskWatch): void {
  if (watch.grace !== undefined) clearTimeout(watch.grace);
}

/** Stops a task's clock when its worker died (it is retried, re-queued or failed). */
export function stopTimer(watch: TaskWatch | undefined): void {
  clearLongTimeout(watch?.timer);
}
