/**
 * How a primitive travels. Every primitive instance has exactly one own
 * enumerable property, `__multiproc__`, holding its handle; structured clone
 * drops the class but copies that property (and the `SharedArrayBuffer`s in
 * it, by reference), so a primitive crossing to a thread arrives as
 * `{ __multiproc__: handle }` and is revived there into an instance over the
 * same memory. Where memory is not shared, a primitive travels as a remote
 * handle (`r: 1`, no buffers) naming it by id; the receiver gets a proxy whose
 * operations the parent's broker runs.
 */

/** The one own enumerable property of every primitive. */
export const BRAND = '__multiproc__';

/** Set (to true) on every primitive instance, as opposed to a primitive in transit. */
export const LIVE: unique symbol = Symbol.for('multiproc.primitive');

/** A primitive as data: its kind, its id, and either its shared state or `r: 1`. */
export interface Handle {
  /** Kind: 'lock', 'rlock', 'semaphore', 'queue'... */
  readonly k: string;
  /** Unique across agents. */
  readonly id: string;
  /** The state buffer (absent on a remote handle). */
  readonly s?: SharedArrayBuffer | ArrayBuffer;
  /** Set on a remote handle: the state lives in the parent, reached through its broker. */
  readonly r?: 1;
  /** Kind-specific extras (parties, maxsize, a Condition's lock...). */
  readonly x?: unknown;
}

/** A plain object that is a primitive in transit (`{ __multiproc__: handle }`). */
export interface BrandObject {
  readonly [BRAND]: Handle;
}

/** True for a primitive instance or a primitive in transit. */
export function hasBrand(value: object): value is BrandObject {
  const h = (value as Record<string, unknown>)[BRAND];
  return typeof h === 'object' && h !== null && typeof (h as Handle).k === 'string' && typeof (h as Handle).id === 'string';
}

/** True for a primitive instance (not one in transit): it has `_outgoing`, `_handle`... */
export function isLive(value: object): value is import('../primitive.js').Primitive {
  return (value as { [LIVE]?: unknown })[LIVE] === true;
}
