/**
 * The table of primitive kinds: for each kind name a handle carries, how to
 * revive a handle into an instance and how the broker makes one a worker
 * asked for. Each class registers its own kind where it is defined
 * ({@link defineKind}), so the name is written once and this module imports
 * no class (no import cycle). A Map, so a hostile kind name such as
 * `__proto__` or `toString` is only an unknown kind.
 */
import { constructFrom } from './construct.js';
import type { Handle } from './handle.js';
import type { Primitive } from '../primitive.js';
import { cacheGet } from './registry.js';

/** Kind-specific extras a handle carries (parties, maxsize, a Condition's lock...). */
export type KindExtra = Readonly<Record<string, unknown>>;

/** How one kind is revived and created. */
export interface KindSpec {
  /** An instance over the handle being revived: call the public constructor with what `x` says (absent: never travels). */
  revive?(x: KindExtra): Primitive;
  /** The broker's `new`: instances made from a worker's constructor arguments (absent: shared memory only). */
  create?(args: unknown[]): Primitive[];
}

const kinds = new Map<string, KindSpec>();

/** Registers a kind; returns its name, for the class's constructor. */
export function defineKind(kind: string, spec: KindSpec): string {
  kinds.set(kind, spec);
  return kind;
}

/**
 * A handle that arrived, as an instance of this agent (one per id). Its
 * extras must already be revived (see wire.ts `reviveHandle`).
 */
export function reviveKnown(h: Handle): Primitive {
  const known = cacheGet(h.id);
  if (known !== undefined) {
    known._adopted(false);
    return known;
  }
  const revive = kinds.get(h.k)?.revive;
  if (revive === undefined) throw new TypeError(`multiproc: unknown primitive kind "${h.k}" (a newer version on the other side?)`);
  const p = constructFrom(h, () => revive((h.x ?? {}) as KindExtra));
  p._adopted(true);
  return p;
}

/** The broker's `new`: a primitive a worker without shared memory made, created here. */
export function createKind(kind: string, args: unknown[]): Primitive[] {
  const create = typeof kind === 'string' ? kinds.get(kind)?.create : undefined;
  if (create === undefined) throw new TypeError(`multiproc: a worker asked for an unknown primitive kind "${String(kind)}"`);
  return create(args);
}
