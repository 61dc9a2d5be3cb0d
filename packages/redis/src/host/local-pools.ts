/**
 * A worker host's local pools: one `@multiproc/node` pool of threads per
 * module id and initializer, started on first use, whose threads run
 * task-entry.ts over the user's module; and the jobs they run. Tasks never
 * run on the host's own event loop, which must stay free to renew BullMQ's
 * job locks (a blocked loop loses them and the job runs twice). Only the
 * modules the host was started with are ever imported.
 */
import { BrokenPoolError, encodeError, ResultStatus, UnknownTaskError, WorkerExitedError } from '@multiproc/core';
import { Pool, Process } from '@multiproc/node';
import { encodeOutcome, JobKind, type JobData } from '../job-data.js';
import type { RedisConnection } from '../names.js';

/** What {@link LocalPools} needs to start a pool. */
export interface LocalPoolsOptions {
  /** Module id → URL of the task module. */
  readonly modules: ReadonlyMap<string, string>;
  /** Threads of each local pool. */
  readonly threads: number;
  /** Where the host's Redis is: its threads bind the primitives that arrive in arguments to it. */
  readonly connection: RedisConnection;
  readonly prefix: string;
}

type Entry = typeof import('./task-entry.js');

/** task-entry.js over the module at `url` (one module instance per task module). */
function entryFor(url: string): URL {
  const entry = new URL('./task-entry.js', import.meta.url);
  entry.searchParams.set('module', url);
  return entry;
}

export class LocalPools {
  readonly #options: LocalPoolsOptions;
  // A Map: keys are data from clients, and must not meet Object.prototype.
  readonly #pools = new Map<string, Pool<Entry>>();
  #closed = false;

  constructor(options: LocalPoolsOptions) {
    this.#options = options;
  }

  /** Runs one job to its outcome text; never throws (every failure is an `ERROR` outcome). */
  async run(data: JobData, signal: AbortSignal): Promise<string> {
    try {
      switch (data.k) {
        case JobKind.TARGET:
          return encodeOutcome([ResultStatus.OK, await this.#target(data, signal)]);
        case JobKind.INIT:
          try {
            await this.#pool(data).ready();
          } catch (err) {
            // The pool that asked will say BrokenPoolError itself: send what broke this one.
            throw err instanceof BrokenPoolError && err.cause !== undefined ? err.cause : err;
          }
          return encodeOutcome([ResultStatus.OK, undefined]);
        case JobKind.APPLY:
          return await this.#pool(data).apply('call', [data.n, data.a], { signal });
        default:
          return await this.#pool(data).apply('chunk', [data.n, data.a, data.k === JobKind.STAR_CHUNK], { signal });
      }
    } catch (err) {
      return encodeOutcome([ResultStatus.ERROR, encodeError(renamed(err, data.n))]);
    }
  }

  /**
   * A Process target, in a thread of its own named as the client's Process (its
   * `currentProcess().name`); resolves with its exit code. An abort terminates it.
   */
  async #target(data: JobData, signal: AbortSignal): Promise<number | null> {
    const p = new Process<Entry, 'target'>({ module: entryFor(this.#url(data.m)), target: 'target', args: [data.n, data.a, this.#options.connection, this.#options.prefix], ...(data.p === undefined ? {} : { name: data.p }) });
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
  #pool(data: JobData): Pool<Entry> {
    const url = this.#url(data.m);
    const key = data.i === null ? `${data.m}\n` : `${data.m}\n${data.i}\n${data.ia}`;
    let pool = this.#pools.get(key);
    if (pool === undefined) {
      pool = new Pool<Entry>(entryFor(url), { processes: this.#options.threads, initializer: 'setup', initargs: [data.i, data.ia, this.#options.connection, this.#options.prefix] });
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

/** A thread that died running task-entry's `call` or `chunk` was running the user's task `name`: say so. */
function renamed(err: unknown, name: string): unknown {
  if (!(err instanceof WorkerExitedError) || (err.taskName !== 'call' && err.taskName !== 'chunk')) return err;
  const message = err.message.replace(`"${err.taskName}"`, JSON.stringify(name));
  return new WorkerExitedError(message, { exitCode: err.exitCode, signal: err.signal, taskName: name, attempts: err.attempts, cause: err.cause });
}
