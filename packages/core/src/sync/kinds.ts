/**
 * Every primitive kind, by the name its handle carries: how to revive a
 * handle into an instance, and how the broker creates one a worker asked for.
 * Kept apart from the classes (they must not import this module, see
 * hook.ts); `serve()` and `WorkerHost` call {@link ensureKinds}.
 */
import { Barrier } from './barrier.js';
import { factory } from './broker.js';
import { Condition } from './condition.js';
import { Event } from './event.js';
import type { Handle } from './handle.js';
import { hooks } from './hook.js';
import { JoinableQueue } from './joinable-queue.js';
import { Lock } from './lock.js';
import { Connection, Pipe } from './pipe.js';
import { constructFrom, type Primitive } from './primitive.js';
import { Queue } from './queue.js';
import { cacheGet } from './registry.js';
import { RLock } from './rlock.js';
import { BoundedSemaphore, Semaphore } from './semaphore.js';
import { SharedArray } from './shared-array.js';
import { SimpleQueue } from './simple-queue.js';
import { Value } from './value.js';
import { incoming } from './wire.js';
import type { ValueType } from './value-types.js';

type Extra = Record<string, unknown>;

function construct(h: Handle): Primitive {
  const x = (h.x ?? {}) as Extra;
  switch (h.k) {
    case 'lock':
      return new Lock();
    case 'rlock':
      return new RLock();
    case 'semaphore':
      return new Semaphore();
    case 'bounded-semaphore':
      return new BoundedSemaphore();
    case 'event':
      return new Event();
    case 'condition':
      return new Condition();
    case 'barrier':
      return new Barrier(x.parties as number);
    case 'queue':
      return new Queue(x.maxsize as number);
    case 'joinable-queue':
      return new JoinableQueue(x.maxsize as number);
    case 'simple-queue':
      return new SimpleQueue();
    case 'value':
      return new Value(x.type as ValueType);
    case 'shared-array':
      return new SharedArray(x.type as ValueType, x.length as number);
    case 'connection':
      return new Connection();
    default:
      throw new TypeError(`multiproc: unknown primitive kind "${h.k}" (a newer version on the other side?)`);
  }
}

/** A handle that arrived, as an instance of this agent (one per id). */
function revive(h: Handle): Primitive {
  const known = cacheGet(h.id);
  if (known !== undefined) {
    known._adopted(false);
    return known;
  }
  if (h.x !== undefined && h.r !== 1) incoming(h.x, 'parent');
  const p = constructFrom(h, () => construct(h));
  p._adopted(true);
  return p;
}

/** The broker's `new`: a primitive a worker without shared memory made, created here. */
function create(kind: string, args: unknown[]): Primitive[] {
  switch (kind) {
    case 'lock':
      return [new Lock()];
    case 'rlock':
      return [new RLock()];
    case 'semaphore':
      return [new Semaphore(args[0] as number)];
    case 'bounded-semaphore':
      return [new BoundedSemaphore(args[0] as number)];
    case 'event':
      return [new Event()];
    case 'condition':
      return [new Condition(args[0] as Lock | RLock | undefined)];
    case 'barrier':
      return [new Barrier(args[0] as number, args[1] as { timeout?: number } | undefined)];
    case 'queue':
      return [new Queue(args[0] as number)];
    case 'joinable-queue':
      return [new JoinableQueue(args[0] as number)];
    case 'simple-queue':
      return [new SimpleQueue()];
    case 'pipe':
      return Pipe(args[0] as boolean);
    default:
      throw new TypeError(`multiproc: a worker asked for an unknown primitive kind "${kind}"`);
  }
}

/** Installs the reviver and the broker's factory (idempotent). */
export function ensureKinds(): void {
  if (hooks.revive !== undefined) return;
  hooks.revive = revive;
  factory.create = create as (kind: string, args: unknown[]) => unknown;
}
