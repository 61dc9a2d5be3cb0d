/**
 * A worker host's local pools: one `@multiproc/node` pool of threads per
 * module id and initializer, started on first use, and the jobs they run.
 * Tasks never run on the host's own event loop, which must stay free to renew
 * BullMQ's job locks (a blocked loop loses them and the job runs twice).
 * Only the modules the host was started with are ever imported.
 */
import { BrokenPoolError, decodeValueText, encodeError, ResultStatus, UnknownTaskError, type EncodedError } from '@multiproc/core';
import { Pool, Process } from '@multiproc/node';
import { JobKind, type JobData, type JobOutcome } from '../job-data.js';

/** What {@link LocalPools} needs to start a pool. */
export interface LocalPoolsOptions {
  /** Module id → URL or absolute path of the task module. */
  readonly modules: ReadonlyMap<string, string>;
  /** Threads of each local pool. */
  readonly threads: number;
}

export class LocalPools {
  readonly #options: LocalPoolsOptions;
  // A Map: keys are data from clients, and must not meet Object.prototype.
  readonly #pools = new Map<string, Pool>();
  #closed = false;

  constructor(options: LocalPoolsOptions) {
    this.#options = options;
  }

  /** Runs one job to its outcome; never throws (every failure is an `ERROR` outcome). */
  async run(data: JobData, signal: AbortSignal): Promise<JobOutcome> {
    try {
      if (data.k === JobKind.TARGET) return [ResultStatus.OK, await this.#target(data, signal)];
      const pool = this.#pool(data);
      switch (data.k) {
        case JobKind.INIT:
          try {
            await pool.ready();
          } catch (err) {
            // The pool that asked will say BrokenPoolError itself: send what broke this one.
            throw err instanceof BrokenPoolError && err.cause !== undefined ? err.cause : err;
          }
          return [ResultStatus.OK, undefined];
        case JobKind.APPLY:
          return [ResultStatus.OK, await pool.apply(data.n, decodeValueText(data.a) as never, { signal })];
        default:
          return await this.#chunk(pool, data, signal);
      }
    } catch (err) {
      return [ResultStatus.ERROR, encodeError(err)];
    }
  }

  /** A map or starmap chunk: every item's value, and the errors of those that threw, by index. */
  async #chunk(pool: Pool, data: JobData, signal: AbortSignal): Promise<JobOutcome> {
    const items = decodeValueText(data.a);
    if (!Array.isArray(items)) throw new TypeError('a chunk job whose items are not an array');
    const star = data.k === JobKind.STAR_CHUNK;
    const settled = await Promise.allSettled(items.map((item) => pool.apply(data.n, (star ? item : [item]) as never, { signal })));
    const values: unknown[] = new Array(items.length);
    let errors: Record<number, EncodedError> | undefined;
    for (let k = 0; k < settled.length; k++) {
      const s = settled[k];
      if (s.status === 'fulfilled') values[k] = s.value;
      else (errors ??= {})[k] = encodeError(s.reason);
    }
    return [ResultStatus.CHUNK, errors === undefined ? { values } : { values, errors }];
  }

  /**
   * A Process target, in a thread of its own named as the client's Process (its
   * `currentProcess().name`); resolves with its exit code. An abort terminates it.
   */
  async #target(data: JobData, signal: AbortSignal): Promise<number | null> {
    const options = { module: this.#url(data.m), target: data.n, args: decodeValueText(data.a), ...(data.p === undefined ? {} : { name: data.p }) };
    const p = new Process(options as never);
    const stop = (): void => p.terminate();
    signal.addEventListener('abort', stop, { once: true });
    try {
      p.start();
      await p.join();
      return p.exitCode;
    } finally {
      signal.removeEventListener('abort', stop);
    }
  }

  /** The task module of a module id this host serves; `UnknownTaskError` for any other. */
  #url(id: string): string {
    if (this.#closed) throw new Error('This worker host is closing');
    const url = this.#options.modules.get(id);
    if (url === undefined) {
      const served = [...this.#options.modules.keys()].map((m) => JSON.stringify(m)).join(', ');
      throw new UnknownTaskError(`Module id ${JSON.stringify(id)} is not served by this worker host (it serves ${served}); nothing ran`);
    }
    return url;
  }

  /** The pool for a job's module and initializer, started on first use. */
  #pool(data: JobData): Pool {
    const url = this.#url(data.m);
    const key = data.i === null ? `${data.m}\n` : `${data.m}\n${data.i}\n${data.ia}`;
    let pool = this.#pools.get(key);
    if (pool === undefined) {
      const initargs = data.i === null ? [] : (decodeValueText(data.ia) as unknown[]);
      pool = new Pool(url, { processes: this.#options.threads, ...(data.i === null ? {} : { initializer: data.i as never, initargs: initargs as never }) });
      this.#pools.set(key, pool);
    }
    return pool;
  }

  /** Ends every local pool: their running tasks reject. */
  async close(): Promise<void> {
    this.#closed = true;
    const pools = [...this.#pools.values()];
    this.#pools.clear();
    await Promise.all(pools.map((p) => p.terminate()));
  }
}
