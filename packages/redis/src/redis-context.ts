/**
 * `redisContext()`: the whole API bound to a Redis server, as Python's
 * `get_context()` returns one bound to a start method. `Pool`, `Process` and
 * `ThreadPoolExecutor` come from core's runtime facade over the Redis adapter;
 * tasks name a module id that every worker host maps to a module it has.
 */
import {
  defineRuntime,
  type RuntimeAdapter,
  type RuntimeExecutor,
  type RuntimePool,
  type RuntimeProcess,
  type SourceInput,
} from '@multiproc/core';
import { JobChannel } from './client/job-channel.js';
import { PrimLink } from './sync/link.js';
import { RedisEvent } from './sync/event.js';
import { RedisLock, type RedisLockOptions } from './sync/lock.js';
import { RedisJoinableQueue, RedisQueue, RedisSimpleQueue } from './sync/queue.js';
import { RedisBoundedSemaphore, RedisSemaphore } from './sync/semaphore.js';
import { RedisRLock } from './sync/rlock.js';
import { RedisCondition } from './sync/condition.js';
import { RedisBarrier, type RedisBarrierOptions } from './sync/barrier.js';
import { RedisValue } from './sync/value.js';
import { revive } from './sync/revive.js';
import type { ValueType } from '@multiproc/core';
import { MODULE_SCHEME, redisAdapter } from './client/redis-adapter.js';
import { checkConnection, checkPrefix, type RedisConnection } from './names.js';

/**
 * Options of {@link redisContext}.
 *
 * @example
 * ```ts
 * const mp = redisContext({ connection: { host: 'redis.internal', port: 6379 }, prefix: 'staging' });   // hosts must use the same prefix
 * ```
 */
export interface RedisContextOptions {
  /** The Redis server: a `redis://` URL or ioredis options. */
  readonly connection: RedisConnection;
  /** The key prefix shared with the worker hosts. @default 'multiproc' */
  readonly prefix?: string;
}

/**
 * What {@link redisContext} returns.
 *
 * @example
 * ```ts
 * const mp: RedisContext = redisContext({ connection: 'redis://127.0.0.1:6379' });
 * const lock = new mp.Lock();
 * await using pool = new mp.Pool<typeof import('./tasks.js')>('tasks');
 * await pool.map('step', [lock, lock, lock].map((l, i) => [l, i]));
 * await mp.close();
 * ```
 */
export interface RedisContext {
  /** A pool whose tasks run on the worker hosts; its source is a module id (`'tasks'`). */
  readonly Pool: RuntimePool<'redis', Record<never, never>, string>;
  /** A function running as one job on a worker host; its `pid` is a string. */
  readonly Process: RuntimeProcess<'redis', Record<never, never>, string>;
  /** Python's `concurrent.futures` executor over the worker hosts. */
  readonly ThreadPoolExecutor: RuntimeExecutor<Record<never, never>, string>;
  /** A lock shared by this client and every worker host: a lease with a fencing token. */
  readonly Lock: new (options?: RedisLockOptions) => RedisLock;
  /** A re-entrant lock: a `Lock` lease the holding agent may take again. */
  readonly RLock: new (options?: RedisLockOptions) => RedisRLock;
  readonly Event: new () => RedisEvent;
  readonly Semaphore: new (value?: number) => RedisSemaphore;
  readonly BoundedSemaphore: new (value?: number) => RedisBoundedSemaphore;
  readonly Condition: new (lock?: RedisLock | RedisRLock) => RedisCondition;
  readonly Barrier: new (parties: number, options?: RedisBarrierOptions) => RedisBarrier;
  readonly Queue: new <T = unknown>(maxsize?: number) => RedisQueue<T>;
  readonly SimpleQueue: new <T = unknown>() => RedisSimpleQueue<T>;
  readonly JoinableQueue: new <T = unknown>(maxsize?: number) => RedisJoinableQueue<T>;
  readonly Value: new (type: ValueType, initial?: number | bigint) => RedisValue;
  /** The adapter (for the conformance suite and adapter authors). */
  readonly adapter: RuntimeAdapter;
  /** Closes the context's connections; results still awaited reject with `WorkerExitedError`. */
  close(): Promise<void>;
}

/**
 * A module id as core's pools take a source: a URL `mp-module:<id>`. `file:`, `http(s):`,
 * `data:` and `blob:` URLs and absolute paths pass as they are (their text is then the id);
 * any other string is an id, `tasks:v2` included.
 */
function moduleSource(input: unknown): SourceInput {
  if (input instanceof URL) return input;
  if (typeof input === 'string' && input !== '') {
    if (/^(file|https?|data|blob):/i.test(input) || input.startsWith('/')) return input;
    return new URL(MODULE_SCHEME + encodeURIComponent(input));
  }
  throw new TypeError(`A Redis pool's source is a module id that the worker hosts serve (a non-empty string such as 'tasks'), got ${typeof input === 'function' ? 'a function' : JSON.stringify(input)}`);
}

/**
 * Binds the API to a Redis server.
 *
 * @example
 * ```ts
 * import { redisContext } from '@multiproc/redis';
 * const mp = redisContext({ connection: 'redis://127.0.0.1:6379' });
 * await using pool = new mp.Pool<typeof import('./tasks.js')>('tasks', { processes: 8 });
 * console.log(await pool.map('fib', [20, 21, 22]));
 * await mp.close();
 * ```
 */
export function redisContext(options: RedisContextOptions): RedisContext {
  if (typeof options !== 'object' || options === null) throw new TypeError('redisContext(options): options must be an object');
  const connection = checkConnection(options.connection);
  const prefix = checkPrefix(options.prefix);
  // The context's own token: closing it fails its jobs, not those of other contexts on the channel.
  const owner = {};
  const channel = JobChannel.shared(connection, prefix, owner);
  const link = PrimLink.for(connection, prefix);
  // Results may hold primitives made on a host: they arrive bound to this context's link.
  const adapter = redisAdapter(channel, owner, (value) => revive(value, link));
  const runtime = defineRuntime<'redis', Record<never, never>, string>({
    defaultContext: 'redis',
    adapterFor: (context) => {
      if (context !== 'redis') throw new TypeError(`Unknown context ${JSON.stringify(context)}: a Redis context offers 'redis'`);
      return adapter;
    },
    source: moduleSource,
  });
  let closed = false;
  return {
    Pool: runtime.Pool,
    Process: runtime.Process,
    ThreadPoolExecutor: runtime.ThreadPoolExecutor,
    Lock: class Lock extends RedisLock {
      constructor(options?: RedisLockOptions) {
        super(link, options);
      }
    },
    RLock: class RLock extends RedisRLock {
      constructor(options?: RedisLockOptions) {
        super(link, options);
      }
    },
    BoundedSemaphore: class BoundedSemaphore extends RedisBoundedSemaphore {
      constructor(value?: number) {
        super(link, value);
      }
    },
    Condition: class Condition extends RedisCondition {
      constructor(lock?: RedisLock | RedisRLock) {
        super(link, lock);
      }
    },
    Barrier: class Barrier extends RedisBarrier {
      constructor(parties: number, options?: RedisBarrierOptions) {
        super(link, parties, options);
      }
    },
    Event: class Event extends RedisEvent {
      constructor() {
        super(link);
      }
    },
    Semaphore: class Semaphore extends RedisSemaphore {
      constructor(value?: number) {
        super(link, value);
      }
    },
    Queue: class Queue<T = unknown> extends RedisQueue<T> {
      constructor(maxsize?: number) {
        super(link, maxsize);
      }
    },
    SimpleQueue: class SimpleQueue<T = unknown> extends RedisSimpleQueue<T> {
      constructor() {
        super(link);
      }
    },
    JoinableQueue: class JoinableQueue<T = unknown> extends RedisJoinableQueue<T> {
      constructor(maxsize?: number) {
        super(link, maxsize);
      }
    },
    Value: class Value extends RedisValue {
      constructor(type: ValueType, initial?: number | bigint) {
        super(link, type, initial);
      }
    },
    adapter,
    close: async () => {
      if (closed) return;
      closed = true;
      link.release();
      await channel.release(owner);
    },
  };
}
