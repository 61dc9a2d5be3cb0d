/**
 * Primitives inside shared-queue items travel by id. The producer publishes
 * the primitive's handle (here, and up the chain of agents sharing memory,
 * to where every consumer can ask); a consumer that has never seen it asks
 * its parent for the handle before handing the item over.
 *
 * `get()` waits for that answer. `getNowait()` cannot wait: an item naming a
 * primitive that has not reached this agent yet is treated as not yet
 * visible (Python's queues have the same window, SEMANTICS Q07), and the
 * handle is fetched in the background so a later call finds it.
 *
 * Published handles stay held by the agents that published them until they
 * exit (docs/api.md).
 */
import { publishUp, resolveHandle } from './broker.js';
import { BRAND, type BrandObject } from './handle.js';
import { reviveHandle } from './wire.js';
import type { Primitive } from '../primitive.js';
import { cacheGet, publish, publishedHandle } from './registry.js';

/** Encoder callback: the id to write for `p`, after publishing it. */
export function refIdFor(p: Primitive): string {
  const wire = p._outgoing(true);
  const handle = wire === p ? p._handle : (wire as BrandObject)[BRAND];
  publishUp(handle);
  return handle.id;
}

/** Whether every id can be turned into an instance here without waiting. */
export function resolvableNow(ids: readonly string[]): boolean {
  for (const id of ids) if (cacheGet(id) === undefined && publishedHandle(id) === undefined) return false;
  return true;
}

/** Instances for ids known here (check {@link resolvableNow} first); each arrival is adopted. */
export function resolveNow(ids: readonly string[]): Primitive[] {
  return ids.map((id) => arrive(id) as Primitive);
}

/** Instances for ids, asking up the chain for the ones not known here. */
export async function resolveAll(ids: readonly string[]): Promise<Primitive[]> {
  const out: Primitive[] = [];
  for (const id of ids) out.push(arrive(id) ?? reviveHandle(await resolveHandle(id)));
  return out;
}

/** Fetches handles in the background so a later non-blocking get finds them. */
export function prefetch(ids: readonly string[]): void {
  for (const id of ids) {
    if (cacheGet(id) !== undefined || publishedHandle(id) !== undefined) continue;
    resolveHandle(id).then(publish, () => {});
  }
}

function arrive(id: string): Primitive | undefined {
  const known = cacheGet(id);
  if (known !== undefined) {
    known._adopted(false);
    return known;
  }
  const h = publishedHandle(id);
  return h === undefined ? undefined : reviveHandle(h);
}
