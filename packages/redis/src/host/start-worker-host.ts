/**
 * The worker host: a BullMQ worker on a prefix's task queue that runs each
 * job in a local pool of threads (local-pools.ts) and returns its outcome
 * through core's codec. Aborts arrive on a pub/sub channel. Its lock duration
 * and stalled-check interval decide how soon a dead host's jobs are seen as
 * lost; a lost job is failed at once (`maxStalledCount: 0`) so that the client,
 * which knows the task's `retries`, decides whether it runs again.
 */
import { randomUUID } from 'node:crypto';
import { pathToFileURL } from 'node:url';
import { isAbsolute } from 'node:path';
import { availableParallelism } from 'node:os';
import { Worker, type Job } from 'bullmq';
import { encodeError, ResultStatus } from '@multiproc/core';
import { checkJobData, encodeOutcome, type JobData } from '../job-data.js';
import { abortChannel, checkConnection, checkPrefix, openRedis, QUEUE_NAME, type RedisConnection } from '../names.js';
import { LocalPools } from './local-pools.js';

/**
 * Options of {@link startWorkerHost}.
 *
 * @example
 * ```ts
 * startWorkerHost({ connection: process.env.REDIS_URL!, prefix: 'staging', modules: { tasks: '/srv/app/dist/tasks.js' }, threads: 8, concurrency: 16 });
 * ```
 */
export interface WorkerHostOptions {
  /** The Redis server: a `redis://` URL or ioredis options. */
  readonly connection: RedisConnection;
  /** The key prefix shared with the clients. @default 'multiproc' */
  readonly prefix?: string;
  /** Module id → the task module (a URL, or an absolute path). Only these are ever imported. */
  readonly modules: Readonly<Record<string, string | URL>>;
  /** Threads of each local pool. @default the machine's CPU count */
  readonly threads?: number;
  /** Jobs this host runs at once. @default threads × 4 (tasks queue on the local threads) */
  readonly concurrency?: number;
  /** BullMQ's lock duration (ms): a host that stops renewing for this long has lost its jobs. @default 30000 */
  readonly lockDuration?: number;
  /** BullMQ's stalled-job check interval (ms). @default 30000 */
  readonly stalledInterval?: number;
}

/**
 * A running worker host.
 *
 * @example
 * ```ts
 * const host: WorkerHost = startWorkerHost({ connection: 'redis://127.0.0.1:6379', modules: { tasks: new URL('./tasks.js', import.meta.url) } });
 * await host.ready();
 * console.log('serving as', host.id);
 * process.on('SIGTERM', () => void host.close());
 * ```
 */
export interface WorkerHost {
  /** This host's id (in BullMQ's worker name). */
  readonly id: string;
  /** Resolves once the host takes jobs. */
  ready(): Promise<void>;
  /** Stops taking jobs, waits for the running ones, and closes its pools and connections. */
  close(): Promise<void>;
}

function positiveInt(value: unknown, name: string, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) throw new RangeError(`${name} must be a positive integer, got ${String(value)}`);
  return value;
}

function moduleUrl(id: string, where: unknown): string {
  if (where instanceof URL) return where.href;
  if (typeof where === 'string' && /^(file|https?|data):/i.test(where)) return where;
  if (typeof where === 'string' && isAbsolute(where)) return pathToFileURL(where).href;
  throw new TypeError(`modules[${JSON.stringify(id)}] must be a URL or an absolute path, got ${JSON.stringify(where)}`);
}

/**
 * Starts a worker host serving `modules` to the clients of `prefix`.
 *
 * @example
 * ```ts
 * import { startWorkerHost } from '@multiproc/redis';
 * const host = startWorkerHost({ connection: 'redis://127.0.0.1:6379', modules: { tasks: new URL('./tasks.js', import.meta.url) } });
 * await host.ready();
 * // ... later
 * await host.close();
 * ```
 */
export function startWorkerHost(options: WorkerHostOptions): WorkerHost {
  if (typeof options !== 'object' || options === null) throw new TypeError('startWorkerHost(options): options must be an object');
  const connection = checkConnection(options.connection);
  const prefix = checkPrefix(options.prefix);
  if (typeof options.modules !== 'object' || options.modules === null) throw new TypeError('modules must be an object of module id → URL or absolute path');
  const modules = new Map<string, string>();
  for (const [id, where] of Object.entries(options.modules)) modules.set(id, moduleUrl(id, where));
  if (modules.size === 0) throw new TypeError('modules must name at least one task module');
  const threads = positiveInt(options.threads, 'threads', availableParallelism());
  const concurrency = positiveInt(options.concurrency, 'concurrency', threads * 4);
  const lockDuration = positiveInt(options.lockDuration, 'lockDuration', 30_000);
  const stalledInterval = positiveInt(options.stalledInterval, 'stalledInterval', 30_000);

  const id = `multiproc-host-${randomUUID()}`;
  const pools = new LocalPools({ modules, threads, connection, prefix });
  // Job id → the abort controller of its run here.
  const running = new Map<string, AbortController>();
  const subscriber = openRedis(connection, `${id}:abort`);
  const channel = abortChannel(prefix);
  const subscribed = subscriber.subscribe(channel);
  subscriber.on('message', (_channel: string, jobId: string) => {
    running.get(jobId)?.abort(new Error('The task was aborted by its caller'));
  });
  // Errors are reported by the commands that fail; an unheld 'error' event would end the process.
  subscriber.on('error', () => {});

  const processor = async (job: Job<JobData>): Promise<string> => {
    const problem = checkJobData(job.data);
    if (problem !== undefined) return encodeOutcome([ResultStatus.ERROR, encodeError(new TypeError(`This worker host cannot run job ${job.id}: ${problem}`))]);
    const controller = new AbortController();
    const jobId = String(job.id);
    running.set(jobId, controller);
    try {
      return await pools.run(job.data, controller.signal);
    } finally {
      running.delete(jobId);
    }
  };

  const workerConnection = openRedis(connection, id);
  workerConnection.on('error', () => {});
  const worker = new Worker<JobData, string>(QUEUE_NAME, processor, {
    connection: workerConnection,
    prefix,
    name: id,
    concurrency,
    lockDuration,
    stalledInterval,
    maxStalledCount: 0,
    autorun: true,
  });
  worker.on('error', () => {});

  let closing: Promise<void> | undefined;
  return {
    id,
    async ready() {
      await Promise.all([worker.waitUntilReady(), subscribed]);
    },
    close() {
      closing ??= (async () => {
        await worker.close();
        await pools.close();
        subscriber.disconnect();
        workerConnection.disconnect();
      })();
      return closing;
    },
  };
}
