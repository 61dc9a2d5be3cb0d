/**
 * One `map`/`starmap` call: the input split into chunks, one task per chunk,
 * results written back by position, settled once every chunk has reported
 * (no fail-fast, SEMANTICS L14); the first error by input position wins.
 */
import type { AsyncResult } from './async-result.js';
import type { DecodedChunk, Task, TaskSink } from './task.js';

/** Called after each finished chunk with the items done so far and the total. */
export type ProgressCallback = (done: number, total: number | undefined) => void;

export class MapJob implements TaskSink {
  readonly #results: unknown[];
  readonly #result: AsyncResult<unknown[]>;
  readonly #onProgress: ProgressCallback | undefined;
  #remaining: number;
  #done = 0;
  #errorAt = Infinity;
  #error: unknown;

  constructor(total: number, chunks: number, result: AsyncResult<unknown[]>, onProgress: ProgressCallback | undefined) {
    this.#results = new Array<unknown>(total);
    this.#remaining = chunks;
    this.#result = result;
    this.#onProgress = onProgress;
    if (chunks === 0) result._settle(true, this.#results);
  }

  taskDone(task: Task, value: unknown): void {
    const { values, errors } = value as DecodedChunk;
    const out = this.#results;
    const base = task.index;
    for (let i = 0; i < values.length; i++) out[base + i] = values[i];
    if (errors !== undefined) {
      for (const k of Object.keys(errors)) this.#noteError(base + Number(k), errors[Number(k)]);
    }
    this.#chunkFinished(values.length);
  }

  taskFailed(task: Task, error: unknown): void {
    this.#noteError(task.index, error);
    this.#chunkFinished(task.args.length);
  }

  #noteError(at: number, error: unknown): void {
    if (at < this.#errorAt) {
      this.#errorAt = at;
      this.#error = error;
    }
  }

  #chunkFinished(items: number): void {
    this.#done += items;
    if (this.#onProgress !== undefined) {
      try {
        this.#onProgress(this.#done, this.#results.length);
      } catch (err) {
        console.error('multiproc: onProgress threw; the map goes on.', err);
      }
    }
    if (--this.#remaining === 0) {
      if (this.#errorAt !== Infinity) this.#result._settle(false, this.#error);
      else this.#result._settle(true, this.#results);
    }
  }
}
