/**
 * Number-only chunks travel as one `Float64Array`. A structured clone (and
 * V8's serializer, which child processes use) writes an array element by
 * element, about 25 ns per number each way; a `Float64Array` is one copy of
 * its bytes. So `map` over 10,000 numbers ran about three times faster here
 * (BENCH.md W6). Every JavaScript number, `-0` and `NaN` included, reads back
 * from a `Float64Array` as the number it was, so nothing a task or its caller
 * sees changes: only the protocol's own containers (a map chunk's items, a
 * chunk's values) are packed, never a value a task takes or returns.
 *
 * Only where the channel carries a `Float64Array` as itself (a worker handle's
 * `packNumbers`, passed on to the worker in its `init`): JSON would turn it
 * into an object.
 */

/** Shorter lists are sent as they are: a typed array costs more than it saves there. */
export const PACK_MIN = 16;

/**
 * `list` as a `Float64Array` when it holds only numbers and is long enough to gain by it, else `list` itself.
 *
 * @example
 * ```ts
 * writeTask(batch, n, t.id, t.name, t.kind, host.packNumbers ? packNumbers(t.args) : t.args);
 * ```
 */
export function packNumbers(list: readonly unknown[]): readonly unknown[] | Float64Array {
  const n = list.length;
  if (n < PACK_MIN) return list;
  for (let i = 0; i < n; i++) if (typeof list[i] !== 'number') return list;
  return new Float64Array(list as readonly number[]);
}
