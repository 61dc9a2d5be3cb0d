/**
 * How a primitive comes to exist other than by a user's `new`: revived from a
 * handle that arrived, or created by the broker under the id a worker chose.
 * Both go through the public constructor (so every invariant it sets holds);
 * this module holds the handle or id pending for that one construction. Kept
 * apart from primitive.ts so the kinds table and the broker need not import
 * the classes' base (no import cycle).
 */
import type { Handle } from './handle.js';

let adopting: Handle | undefined;
let forcedId: string | undefined;

/** @internal the reviver constructs through the public constructor with this handle pending. */
export function constructFrom<T>(handle: Handle, make: () => T): T {
  adopting = handle;
  try {
    return make();
  } finally {
    adopting = undefined;
  }
}

/** @internal the broker creates a worker's primitive under the id the worker chose. */
export function constructWithId<T>(id: string, make: () => T): T {
  forcedId = id;
  try {
    return make();
  } finally {
    forcedId = undefined;
  }
}

/** @internal the handle being revived, if any (taken once). */
export function takeAdopting(): Handle | undefined {
  const h = adopting;
  adopting = undefined;
  return h;
}

/** @internal the id the broker asked for, if any (taken once). */
export function takeForcedId(): string | undefined {
  const id = forcedId;
  forcedId = undefined;
  return id;
}
