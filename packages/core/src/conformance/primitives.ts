/**
 * The primitives a runtime offers, as the conformance suite's portable area
 * sees them: constructors whose instances have the async forms that work on
 * every backend (shared memory, a broker, Redis). A runtime with primitives
 * of its own (`redisContext()`'s) passes them as `primitives`; everyone else
 * gets core's.
 */
import { Barrier } from '../sync/barrier.js';
import { Condition } from '../sync/condition.js';
import { Event } from '../sync/event.js';
import { JoinableQueue } from '../sync/joinable-queue.js';
import { Lock } from '../sync/lock.js';
import { Queue } from '../sync/queue.js';
import { RLock } from '../sync/rlock.js';
import { Semaphore } from '../sync/semaphore.js';
import { SimpleQueue } from '../sync/simple-queue.js';
import { Value } from '../sync/value.js';

/**
 * `{ timeout }` in milliseconds, as every wait takes it.
 *
 * @example
 * ```ts
 * const t: Timed = { timeout: 1_000 };
 * await lock.acquire(t);
 * ```
 */
export interface Timed {
  readonly timeout?: number;
}

/**
 * What a Lock or an RLock offers on every backend.
 *
 * @example
 * ```ts
 * const lock: PortableLock = new ctx.sync.Lock();
 * await lock.withLock(() => work());
 * ```
 */
export interface PortableLock {
  acquire(options?: Timed): Promise<boolean>;
  release(): void;
  withLock<T>(fn: () => T | Promise<T>): Promise<unknown>;
}

/**
 * What a Semaphore offers on every backend.
 *
 * @example
 * ```ts
 * const sem: PortableSemaphore = new ctx.sync.Semaphore(2);
 * if (await sem.acquire({ timeout: 100 })) sem.release();
 * ```
 */
export interface PortableSemaphore {
  acquire(options?: Timed): Promise<boolean>;
  release(n?: number): void;
}

/**
 * What an Event offers on every backend.
 *
 * @example
 * ```ts
 * const ev: PortableEvent = new ctx.sync.Event();
 * ev.set();
 * await ev.wait({ timeout: 0 });   // true
 * ```
 */
export interface PortableEvent {
  set(): void;
  clear(): void;
  wait(options?: Timed): Promise<boolean>;
}

/**
 * What a Condition offers on every backend.
 *
 * @example
 * ```ts
 * const cond: PortableCondition = new ctx.sync.Condition();
 * await cond.withLock(() => cond.notifyAll());
 * ```
 */
export interface PortableCondition extends PortableLock {
  wait(options?: Timed): Promise<boolean>;
  notify(n?: number): void;
  notifyAll(): void;
}

/**
 * What a Barrier offers on every backend.
 *
 * @example
 * ```ts
 * const b: PortableBarrier = new ctx.sync.Barrier(2);
 * const index = await b.wait({ timeout: 10_000 });
 * ```
 */
export interface PortableBarrier {
  readonly parties: number;
  wait(options?: Timed): Promise<number>;
  abort(): void;
  reset(): void | Promise<void>;
}

/**
 * What a Queue or SimpleQueue offers on every backend.
 *
 * @example
 * ```ts
 * const q: PortableQueue<unknown> = new ctx.sync.Queue();
 * await q.put(1);
 * await q.get({ timeout: 1_000 });   // 1
 * ```
 */
export interface PortableQueue<T> {
  put(item: T, options?: Timed): void | Promise<void>;
  get(options?: Timed): Promise<T>;
}

/**
 * What a JoinableQueue offers on every backend.
 *
 * @example
 * ```ts
 * const q: PortableJoinableQueue<unknown> = new ctx.sync.JoinableQueue();
 * await q.put('job');
 * await q.get();
 * q.taskDone();
 * await q.join();
 * ```
 */
export interface PortableJoinableQueue<T> extends PortableQueue<T> {
  taskDone(): void;
  join(): Promise<unknown>;
}

/**
 * What a Value offers on every backend: the async reads and writes.
 *
 * @example
 * ```ts
 * const v: PortableValue = new ctx.sync.Value('int32', 0);
 * await v.set(Number(await v.get()) + 1);
 * ```
 */
export interface PortableValue {
  get(): Promise<number | bigint>;
  set(value: number): Promise<void>;
}

/**
 * The constructors the portable area builds its primitives with.
 *
 * @example
 * ```ts
 * const mp = redisContext({ connection: url });
 * runConformance({ name: 'redis', createAdapter: () => mp.adapter, primitives: mp }, { describe, it });
 * ```
 */
export interface ConformancePrimitives {
  readonly Lock: new () => PortableLock;
  readonly RLock: new () => PortableLock;
  readonly Semaphore: new (value?: number) => PortableSemaphore;
  readonly Event: new () => PortableEvent;
  readonly Condition: new () => PortableCondition;
  readonly Barrier: new (parties: number) => PortableBarrier;
  readonly Queue: new (maxsize?: number) => PortableQueue<unknown>;
  readonly SimpleQueue: new () => PortableQueue<unknown>;
  readonly JoinableQueue: new (maxsize?: number) => PortableJoinableQueue<unknown>;
  readonly Value: new (type: 'int32', initial?: number) => PortableValue;
}

/**
 * Core's own primitives: what every runtime without its own uses.
 *
 * @example
 * ```ts
 * const lock = new corePrimitives.Lock();
 * ```
 */
export const corePrimitives: ConformancePrimitives = { Lock, RLock, Semaphore, Event, Condition, Barrier, Queue, SimpleQueue, JoinableQueue, Value };
