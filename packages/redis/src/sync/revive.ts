/**
 * Turns what a Redis primitive became on its way (its travelling field, in a
 * plain object) back into a primitive bound to this process's link, wherever
 * it sits in a decoded value: in arrays, plain objects, Maps and Sets. Task
 * arguments, initargs, Process args and queue items all pass through here.
 */
import type { ValueType } from '@multiproc/core';
import { MARK, type Mark } from './base.js';
import type { PrimLink } from './link.js';
import { RedisEvent } from './event.js';
import { RedisLock } from './lock.js';
import { RedisJoinableQueue, RedisQueue, RedisSimpleQueue } from './queue.js';
import { RedisBarrier } from './barrier.js';
import { RedisCondition } from './condition.js';
import { RedisRLock } from './rlock.js';
import { RedisBoundedSemaphore, RedisSemaphore } from './semaphore.js';
import { RedisValue } from './value.js';

function build(mark: Mark, link: PrimLink): unknown {
  switch (mark.kind) {
    case 'Lock':
      return new RedisLock(link, { lease: mark.arg as number }, mark.id);
    case 'RLock':
      return new RedisRLock(link, { lease: mark.arg as number }, mark.id);
    case 'BoundedSemaphore':
      return new RedisBoundedSemaphore(link, mark.arg as number, mark.id);
    case 'Condition': {
      const lockId = String(mark.arg).slice(1);
      const lock = String(mark.arg).startsWith('R') ? new RedisRLock(link, undefined, lockId) : new RedisLock(link, undefined, lockId);
      return new RedisCondition(link, lock, mark.id);
    }
    case 'Barrier': {
      const [parties, timeout] = String(mark.arg).split(':');
      return new RedisBarrier(link, Number(parties), timeout === undefined ? undefined : { timeout: Number(timeout) }, mark.id);
    }
    case 'Event':
      return new RedisEvent(link, mark.id);
    case 'Semaphore':
      return new RedisSemaphore(link, mark.arg as number, mark.id);
    case 'Queue':
      return new RedisQueue(link, mark.arg as number, mark.id);
    case 'SimpleQueue':
      return new RedisSimpleQueue(link, mark.id);
    case 'JoinableQueue':
      return new RedisJoinableQueue(link, mark.arg as number, mark.id);
    case 'Value': {
      const [type, initial] = String(mark.arg).split(':') as [ValueType, string];
      return new RedisValue(link, type, type.startsWith('big') ? BigInt(initial) : Number(initial), mark.id);
    }
    default:
      return undefined;
  }
}

function isMark(v: unknown): v is Mark {
  return typeof v === 'object' && v !== null && typeof (v as Mark).kind === 'string' && typeof (v as Mark).id === 'string';
}

/** `value` with every travelled primitive rebuilt on `link` (containers changed in place; cycles visited once). */
export function revive(value: unknown, link: PrimLink, seen = new Set<object>()): unknown {
  if (typeof value !== 'object' || value === null || seen.has(value)) return value;
  seen.add(value);
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) value[i] = revive(value[i], link, seen);
    return value;
  }
  if (value instanceof Map) {
    for (const [k, v] of value) value.set(k, revive(v, link, seen));
    return value;
  }
  if (value instanceof Set) {
    const items = [...value];
    value.clear();
    for (const v of items) value.add(revive(v, link, seen));
    return value;
  }
  const proto = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) return value;
  const own = value as Record<string, unknown>;
  if (Object.hasOwn(own, MARK) && Object.keys(own).length === 1 && isMark(own[MARK])) return build(own[MARK], link) ?? value;
  for (const k of Object.keys(own)) {
    const v = revive(own[k], link, seen);
    // Defined, not assigned: a key named __proto__ stays a key.
    if (v !== own[k]) Object.defineProperty(own, k, { value: v, writable: true, enumerable: true, configurable: true });
  }
  return value;
}
