/**
 * What every Redis primitive shares: the one own field that travels (its
 * kind, id and what a copy needs to be built), the wait loop (try an atomic
 * script; if it cannot succeed yet, sleep until woken or a slice passes, and
 * try again until the timeout), and the check of timeouts (milliseconds;
 * `undefined` waits forever, 0 and negative values do not wait, as in Python's
 * multiprocessing).
 */
import { checkOptions, optionKeys } from '@multiproc/core';
import type { PrimLink } from './link.js';

const TIMEOUT_KEYS = optionKeys<{ timeout?: number }>({ timeout: true });

/** The name of the own field a primitive travels as (core's codec copies own enumerable fields). */
export const MARK = '__multiprocRedis';

/** What travels: enough to build the same primitive in another process. */
export interface Mark {
  readonly kind: string;
  readonly id: string;
  /** Kind-specific: a Queue's maxsize, a Semaphore's initial value, a Value's type, a Lock's lease. */
  readonly arg?: number | string;
}

/** Checks a `{ timeout }` option: a number of ms or undefined; NaN is refused. */
export function checkTimeout(options: { timeout?: number } | undefined, what: string): number | undefined {
  const timeout = checkOptions(options, `${what} options`, TIMEOUT_KEYS).timeout;
  if (timeout === undefined) return undefined;
  if (typeof timeout !== 'number' || Number.isNaN(timeout)) throw new TypeError(`${what}: timeout must be a number of milliseconds, got ${String(timeout)}`);
  return timeout;
}

/**
 * Calls `attempt` until it gives a value other than undefined, sleeping on
 * `key` between tries; undefined once `timeout` has passed (at least one try).
 */
export async function until<T>(link: PrimLink, key: string, timeout: number | undefined, attempt: () => Promise<T | undefined>): Promise<T | undefined> {
  const deadline = timeout === undefined ? Number.POSITIVE_INFINITY : performance.now() + Math.max(0, timeout);
  for (;;) {
    // Registered before the try: a change made after it wakes this waiter.
    const waiter = link.waiter(key);
    try {
      const got = await attempt();
      if (got !== undefined) return got;
      const left = deadline - performance.now();
      if (left <= 0) return undefined;
      await waiter.sleep(left);
    } finally {
      waiter.done();
    }
  }
}

/** Runs `fn` holding `lock`, releasing it after, however `fn` ends (`withLock` of a Lock and an RLock). */
export async function withHeld<T>(lock: { acquire(): Promise<boolean>; release(): void }, fn: () => T | Promise<T>): Promise<T> {
  await lock.acquire();
  try {
    return await fn();
  } finally {
    lock.release();
  }
}

/** Reports the failure of a command sent without waiting (a synchronous call's). */
export function reportLate(what: string): (err: unknown) => void {
  return (err) => console.error(`multiproc: ${what} failed on Redis:`, err);
}

/** A new primitive id. */
export function newId(): string {
  return globalThis.crypto.randomUUID();
}
