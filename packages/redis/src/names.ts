/**
 * Where a Redis context and its worker hosts meet: the BullMQ queue that
 * carries tasks, the channel that carries aborts, and how a connection is
 * opened. Both sides derive every name from `prefix` here, so a client and a
 * host with the same prefix always find each other, and two prefixes share
 * nothing.
 */
import { Redis, type RedisOptions } from 'ioredis';

/**
 * A Redis server: a `redis://` URL or ioredis options.
 *
 * @example
 * ```ts
 * const byUrl: RedisConnection = 'redis://127.0.0.1:6379/0';
 * const byOptions: RedisConnection = { host: 'redis.internal', port: 6379, password: process.env.REDIS_PASSWORD };
 * ```
 */
export type RedisConnection = string | RedisOptions;

/** The prefix when none is given. */
export const DEFAULT_PREFIX = 'multiproc';

/** The one BullMQ queue of a prefix (every module id shares it; a job names its module). */
export const QUEUE_NAME = 'tasks';

/** Version of the job format in `job-data.ts`; a host refuses jobs of another. */
export const JOB_FORMAT = 1;

/** The pub/sub channel on which a client asks hosts to abort a running job (message: the job id). */
export function abortChannel(prefix: string): string {
  return `${prefix}:${QUEUE_NAME}:abort`;
}

/** Checks a prefix: a non-empty string without spaces or braces (BullMQ builds keys from it). */
export function checkPrefix(prefix: unknown): string {
  if (prefix === undefined) return DEFAULT_PREFIX;
  if (typeof prefix !== 'string' || prefix === '' || /[\s{}]/.test(prefix)) {
    throw new TypeError(`prefix must be a non-empty string without spaces or braces, got ${JSON.stringify(prefix)}`);
  }
  return prefix;
}

/** Checks a connection option: a `redis://`/`rediss://` URL or an ioredis options object. */
export function checkConnection(connection: unknown): RedisConnection {
  if (typeof connection === 'string') {
    if (!/^rediss?:\/\//.test(connection)) throw new TypeError(`connection must be a redis:// URL or ioredis options, got ${JSON.stringify(connection)}`);
    return connection;
  }
  if (typeof connection === 'object' && connection !== null && !Array.isArray(connection)) return connection as RedisOptions;
  throw new TypeError(`connection must be a redis:// URL or ioredis options, got ${connection === null ? 'null' : typeof connection}`);
}

/**
 * Opens a connection as BullMQ wants it: `maxRetriesPerRequest: null`, so a
 * command waits through a reconnect instead of failing (a task is never lost
 * to a blip), and `lazyConnect` off.
 */
export function openRedis(connection: RedisConnection, name: string): Redis {
  const options: RedisOptions = { maxRetriesPerRequest: null, enableReadyCheck: true, connectionName: name, retryStrategy: (times) => Math.min(50 * times, 1000) };
  return typeof connection === 'string' ? new Redis(connection, options) : new Redis({ ...connection, ...options });
}
