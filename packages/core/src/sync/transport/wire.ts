/**
 * Primitives inside values that cross to another agent (task arguments,
 * initargs, Process args, brokered requests and replies), found wherever they
 * are nested: arrays, plain objects, class instances' own fields, Maps, Sets.
 *
 * - `outgoing` runs before a value is posted. Where memory is shared it leaves
 *   shareable primitives in place (structured clone copies their handles); it
 *   replaces the others by remote handles (copying only the containers on the
 *   way), and refuses a Value/SharedArray where memory is not shared.
 * - `incoming` runs on the cloned value after it arrived, replacing each
 *   `{ __multiproc__: handle }` by an instance, in place.
 *
 * The pool runs neither for a task until this agent has seen a primitive, so
 * tasks without primitives pay nothing.
 */
import { StateError } from '../../errors.js';
import { BRAND, hasBrand, isLive, type Handle } from './handle.js';
import { reviveKnown } from './kinds.js';
import type { Primitive } from '../primitive.js';
import { findPrimitive } from './registry.js';

/** Leaves whose insides structured clone copies as data: never searched. */
function isLeafObject(v: object): boolean {
  return (
    ArrayBuffer.isView(v) ||
    v instanceof ArrayBuffer ||
    (typeof SharedArrayBuffer === 'function' && v instanceof SharedArrayBuffer) ||
    v instanceof Date ||
    v instanceof RegExp ||
    v instanceof Error ||
    v instanceof Promise
  );
}

interface OutCtx {
  readonly shared: boolean;
  readonly seen: Map<object, unknown>;
  found: boolean;
}

/**
 * Prepares `value` to be posted to an agent that does (`shared`) or does not
 * share memory with this one. Returns `value` itself when nothing needs
 * replacing. Throws EncodingError for a Value/SharedArray that cannot travel.
 */
export function outgoing(value: unknown, shared: boolean): unknown {
  if (typeof value !== 'object' || value === null) return value;
  return out(value, { shared, seen: new Map(), found: false });
}

/** Like {@link outgoing}, also saying whether any primitive was found. */
export function outgoingFound(value: unknown, shared: boolean): { value: unknown; found: boolean } {
  if (typeof value !== 'object' || value === null) return { value, found: false };
  const ctx: OutCtx = { shared, seen: new Map(), found: false };
  return { value: out(value, ctx), found: ctx.found };
}

function out(v: unknown, ctx: OutCtx): unknown {
  if (typeof v !== 'object' || v === null) return v;
  if (isLive(v)) {
    ctx.found = true;
    return v._outgoing(ctx.shared);
  }
  if (isLeafObject(v)) return v;
  if (ctx.seen.has(v)) return ctx.seen.get(v);
  ctx.seen.set(v, v);
  if (hasBrand(v)) {
    ctx.found = true;
    return v;
  }
  let copy: unknown;
  if (Array.isArray(v)) {
    let c: unknown[] | undefined;
    for (let i = 0; i < v.length; i++) {
      const x = v[i];
      const y = out(x, ctx);
      if (y !== x) (c ??= v.slice())[i] = y;
    }
    copy = c;
  } else if (v instanceof Map) {
    let changed = false;
    const pairs: [unknown, unknown][] = [];
    for (const [k, x] of v) {
      const k2 = out(k, ctx);
      const x2 = out(x, ctx);
      if (k2 !== k || x2 !== x) changed = true;
      pairs.push([k2, x2]);
    }
    if (changed) copy = new Map(pairs);
  } else if (v instanceof Set) {
    let changed = false;
    const items: unknown[] = [];
    for (const x of v) {
      const y = out(x, ctx);
      if (y !== x) changed = true;
      items.push(y);
    }
    if (changed) copy = new Set(items);
  } else {
    let c: Record<string, unknown> | undefined;
    for (const k of Object.keys(v)) {
      const x = (v as Record<string, unknown>)[k];
      const y = out(x, ctx);
      if (y !== x) (c ??= { ...(v as Record<string, unknown>) })[k] = y;
    }
    copy = c;
  }
  if (copy === undefined) return v;
  ctx.seen.set(v, copy);
  return copy;
}

/** True when `value` holds a primitive (an instance or one in transit) anywhere. */
export function holdsPrimitive(value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return false;
  return scan(value, new Set());
}

function scan(v: unknown, seen: Set<object>): boolean {
  if (typeof v !== 'object' || v === null) return false;
  if (isLive(v)) return true;
  if (isLeafObject(v) || seen.has(v)) return false;
  seen.add(v);
  if (hasBrand(v)) return true;
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) if (scan(v[i], seen)) return true;
    return false;
  }
  if (v instanceof Map) {
    for (const [k, x] of v) if (scan(k, seen) || scan(x, seen)) return true;
    return false;
  }
  if (v instanceof Set) {
    for (const x of v) if (scan(x, seen)) return true;
    return false;
  }
  for (const k of Object.keys(v)) if (scan((v as Record<string, unknown>)[k], seen)) return true;
  return false;
}

/**
 * Revives primitives in a value that arrived from the parent (`'parent'`:
 * remote handles become proxies) or from a worker (`'child'`: remote handles
 * name instances in this agent's directory). Mutates containers in place;
 * returns the value (a new instance when `value` itself was one).
 */
export function incoming(value: unknown, from: 'parent' | 'child'): unknown {
  if (typeof value !== 'object' || value === null) return value;
  return inn(value, from, new Set());
}

function revive(h: Handle, from: 'parent' | 'child'): Primitive {
  if (h.r === 1 && from === 'child') {
    const p = findPrimitive(h.id);
    if (p === undefined) throw new StateError(`multiproc: a worker named a ${h.k} (${h.id}) this agent does not know`);
    p._adopted(false);
    return p;
  }
  return reviveKnown(h.x === undefined || h.r === 1 ? h : { ...h, x: inn(h.x, from, new Set()) });
}

/** A handle from a queue item or a broker's answer, as an instance here (its extras revived first). */
export function reviveHandle(h: Handle): Primitive {
  return revive(h, 'parent');
}

function inn(v: unknown, from: 'parent' | 'child', seen: Set<object>): unknown {
  if (typeof v !== 'object' || v === null || isLive(v) || isLeafObject(v)) return v;
  if (hasBrand(v)) return revive(v[BRAND], from);
  if (seen.has(v)) return v;
  seen.add(v);
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) {
      const x = v[i];
      if (typeof x === 'object' && x !== null) {
        const y = inn(x, from, seen);
        if (y !== x) v[i] = y;
      }
    }
  } else if (v instanceof Map) {
    for (const [k, x] of [...v]) {
      const k2 = inn(k, from, seen);
      const x2 = inn(x, from, seen);
      if (k2 !== k) {
        v.delete(k);
        v.set(k2, x2);
      } else if (x2 !== x) v.set(k, x2);
    }
  } else if (v instanceof Set) {
    for (const x of [...v]) {
      const y = inn(x, from, seen);
      if (y !== x) {
        v.delete(x);
        v.add(y);
      }
    }
  } else {
    for (const k of Object.keys(v)) {
      const x = (v as Record<string, unknown>)[k];
      if (typeof x === 'object' && x !== null) {
        const y = inn(x, from, seen);
        if (y !== x) (v as Record<string, unknown>)[k] = y;
      }
    }
  }
  return v;
}
