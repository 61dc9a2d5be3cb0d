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

/** `{ timeout }` in milliseconds, as every wait takes it. */
export interface Timed {
  readonly timeout?: number;
}

/** What a Lock or an RLock offers on every backend. */
export interface PortableLock {
  acquire(options?: Timed): Promise<boolean>;
  release(): void;
  withLock<T>(fn: () => T | Promise<T>): Promise<unknown>;
}

export interface PortableSemaphore {
  acquire(options?: Timed): Promise<boolean>;
  release(n?: number): void;
}

export interface PortableEvent {
  set(): void;
  clear(): void;
  wait(options?: Timed): Promise<boolean>;
}

export interface PortableCondition extends PortableLock {
  wait(options?: Timed): Promise<boolean>;
  notify(n?: number): void;
  notifyAll(): void;
}

export interface PortableBarrier {
  readonly parties: number;
  wait(options?: Timed): Promise<number>;
  abort(): void;
  reset(): void | Promise<void>;
}

export interface PortableQueue<T> {
  put(item: T, options?: Timed): void | Promise<void>;
  get(options?: Timed): Promise<T>;
}

export interface PortableJoinableQueue<T> extends PortableQueue<T> {
  taskDone(): void;
  join(): Promise<unknown>;
}

export interface PortableValue {
  get(): Promise<number | bigint>;
  set(value: number): Promise<void>;
}

/** The constructors the portable area builds its primitives with. */
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

/** Core's own primitives: what every runtime without its own uses. */
export const corePrimitives: ConformancePrimitives = { Lock, RLock, Semaphore, Event, Condition, Barrier, Queue, SimpleQueue, JoinableQueue, Value };
