/**
 * Every primitive kind, loaded together: importing this module registers each
 * class's kind (transport/kinds.ts), and {@link installAllKinds} installs the bridge, so any handle can be
 * revived and any `new` a worker asks the broker for can be made. Loaded
 * lazily by sync-bridge.ts `loadSync()`; a program that only uses `Pool` does
 * not load it until a worker turns out to use primitives.
 */
import { syncState } from '../sync-bridge.js';
import { installSync } from './transport/bridge.js';
import { Barrier } from './barrier.js';
import { Condition } from './condition.js';
import { Event } from './event.js';
import { JoinableQueue } from './joinable-queue.js';
import { Lock } from './lock.js';
import { Connection } from './pipe.js';
import { Queue } from './queue.js';
import { RLock } from './rlock.js';
import { BoundedSemaphore, Semaphore } from './semaphore.js';
import { SharedArray } from './shared-array.js';
import { SimpleQueue } from './simple-queue.js';
import { Value } from './value.js';

const allKinds = [Barrier, Condition, Event, JoinableQueue, Lock, Connection, Queue, RLock, Semaphore, BoundedSemaphore, SharedArray, SimpleQueue, Value] as const;

/**
 * Installs the bridge with every kind registered, and returns the classes.
 * A function, not top-level statements: the package is `"sideEffects": false`,
 * so a bundler (Rolldown, for one) drops a lazily imported module whose
 * exports are unused, top-level calls included. Returning the classes keeps
 * each class's module, and so its `defineKind()`, in every bundle.
 */
export function installAllKinds(): readonly unknown[] {
  installSync();
  syncState.complete = true;
  return allKinds;
}
