/**
 * One `map`/`starmap` call: the input split into chunks, one task per chunk,
 * results written back by position, settled once every item is accounted
 * for (no fail-fast, SEMANTICS L14); the first error by input position wins.
 *
 * With a `chunksize`, every chunk is that size and all are submitted at once,
 * as Python does. Without one, chunks are sized by measured task time
 * (chunk-sizer.ts) and submitted as earlier ones finish, a couple per worker
 * ahead, so an uneven map rebalances; the job stays open meanwhile, so a
 * closed pool keeps its workers until the last chunk is in.
 */
import { AbortError, PoolClosedError } from '../errors.js';
import type { TaskKind } from '../protocol/messages.js';
import { now } from '../util/now.js';
import type { AsyncResult } from './async-result.js';
import { ChunkSizer } from './chunk-sizer.js';
import type { TaskOptions } from './pool-options.js';
import type { Scheduler } from './scheduler.js';
import type { DecodedChunk, Task, TaskSink } from './task.js';

/**
 * Called after each finished chunk with the items done so far and the total.
 *
 * @example
 * ```ts
 * const onProgress: ProgressCallback = (done, total) => console.log(`${done}/${total ?? '?'}`);
 * await pool.map('resize', images, { onProgress });
 * ```
 */
export type ProgressCallback = (done: number, total: number | undefined) => void;

export class MapJob implements TaskSink {
  readonly #s: Scheduler;
  readonly #name: string;
  readonly #kind: TaskKind;
  readonly #items: unknown[];
  readonly #options: TaskOptions;
  readonly #results: unknown[];
  readonly #result: AsyncResult<unknown[]>;
  readonly #onProgress: ProgressCallback | undefined;
  /** Set when chunks are sized as they go; undefined when all were submitted at once. */
  readonly #sizer: ChunkSizer | undefined;
  /** The pool's items per ms per worker by task name: where a map of a task starts next time. */
  #speeds: Map<string, number> | undefined;
  /** The first item not yet submitted. */
  #next = 0;
  #inFlight = 0;
  #pumping = false;
  #jobClosed = false;
  /** Items finished or failed. */
  #done = 0;
  #errorAt = Infinity;
  #error: unknown;

  /** Starts the map: submits its chunks (all, or the first ones). */
  constructor(
    scheduler: Scheduler,
    name: string,
    kind: TaskKind,
    items: unknown[],
    chunksize: number | undefined,
    options: TaskOptions,
    result: AsyncResult<unknown[]>,
    onProgress: ProgressCallback | undefined,
    speeds: Map<string, number>,
  ) {
    this.#s = scheduler;
    this.#name = name;
    this.#kind = kind;
    this.#items = items;
    this.#options = options;
    this.#results = new Array<unknown>(items.length);
    this.#result = result;
    this.#onProgress = onProgress;
    const n = items.length;
    if (n === 0) {
      result._settle(true, this.#results);
      return;
    }
    const sizer = chunksize === undefined ? new ChunkSizer(n, scheduler.processes, now(), speeds.get(name)) : undefined;
    // Where workers are replaced after maxTasksPerChild tasks, a chunk's measured time includes a
    // worker's start, which sizing by time reads as slow items: there, Python's chunks (its upper bound).
    const fixed = chunksize ?? (sizer !== undefined && (sizer.upper === 1 || scheduler.maxTasksPerChild !== undefined) ? sizer.upper : undefined);
    if (fixed !== undefined) {
      // Sizes known up front: every chunk goes now, as Python does.
      const size = fixed;
      for (let i = 0; i < n; i += size) scheduler.submit(scheduler.createTask(name, kind, items.slice(i, i + size), this, i, options));
      this.#next = n;
      return;
    }
    this.#sizer = sizer;
    this.#speeds = speeds;
    scheduler.openJob();
    this.#pump();
  }

  taskDone(task: Task, value: unknown): void {
    const { values, errors } = value as DecodedChunk;
    const out = this.#results;
    const base = task.index;
    // Counted by what was sent, not by what came back: a worker that answers
    // with a short list must not leave the map unsettled.
    const size = task.args.length;
    for (let i = 0; i < values.length && i < size; i++) out[base + i] = values[i];
    if (errors !== undefined) {
      for (const k of Object.keys(errors)) {
        const at = Number(k);
        if (at >= 0 && at < size) this.#noteError(base + at, errors[at]);
      }
    }
    this.#chunkFinished(size, task.submittedAt);
  }

  taskFailed(task: Task, error: unknown): void {
    this.#noteError(task.index, error);
    this.#chunkFinished(task.args.length, task.submittedAt);
  }

  /** Submits chunks while fewer than the sizer's window are unfinished. */
  #pump(): void {
    const sizer = this.#sizer;
    if (sizer === undefined || this.#pumping) return;
    this.#pumping = true;
    try {
      const n = this.#items.length;
      while (this.#next < n && this.#inFlight < sizer.inFlight) {
        const start = this.#next;
        const cut = this.#cannotRun();
        if (cut !== undefined) {
          // The rest can never run: account for it at once, as one failure at its first position.
          this.#next = n;
          this.#noteError(start, cut);
          this.#done += n - start;
          break;
        }
        const size = sizer.next(n - start);
        this.#next = start + size;
        this.#inFlight++;
        this.#s.submit(this.#s.createTask(this.#name, this.#kind, this.#items.slice(start, start + size), this, start, this.#options));
      }
    } finally {
      this.#pumping = false;
    }
    if (this.#next === this.#items.length) {
      this.#finishSubmitting();
      if (this.#done === this.#items.length) this.#settle();
    }
  }

  /** Why the chunks not yet submitted can never run, if so. */
  #cannotRun(): Error | undefined {
    const signal = this.#options.signal;
    if (signal?.aborted === true) return new AbortError('The task was aborted', { cause: signal.reason });
    const s = this.#s;
    if (s.broken !== undefined) return s.broken;
    if (s.state === 'terminated') return new PoolClosedError('The pool was terminated before the task finished');
    return undefined;
  }

  /** Every chunk is in: a closed pool need not wait for this job any more. */
  #finishSubmitting(): void {
    if (this.#jobClosed) return;
    this.#jobClosed = true;
    this.#s.closeJob();
  }

  #noteError(at: number, error: unknown): void {
    if (at < this.#errorAt) {
      this.#errorAt = at;
      this.#error = error;
    }
  }

  #chunkFinished(items: number, sentAt: number): void {
    this.#done += items;
    if (this.#sizer !== undefined) {
      this.#inFlight--;
      this.#sizer.record(items, now(), sentAt);
    }
    if (this.#onProgress !== undefined) {
      try {
        this.#onProgress(this.#done, this.#results.length);
      } catch (err) {
        console.error('multiproc: onProgress threw; the map goes on.', err);
      }
    }
    if (this.#next < this.#items.length) this.#pump();
    else if (this.#done === this.#results.length) this.#settle();
  }

  #settle(): void {
    const speed = this.#sizer?.perWorker();
    if (speed !== undefined && Number.isFinite(speed)) this.#speeds?.set(this.#name, speed);
    if (this.#errorAt !== Infinity) this.#result._settle(false, this.#error);
    else this.#result._settle(true, this.#results);
  }
}
