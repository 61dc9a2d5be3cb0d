/**
 * Where this agent finds primitives by id:
 * - the cache: every instance created or revived here, weakly held, so a
 *   primitive revived twice in one agent is one object;
 * - the directory: primitives this agent has handed to a worker as remote
 *   handles, strongly held, for its broker to run their operations;
 * - published handles: primitives written into a shared queue's items, held
 *   so a consumer that has never seen one can ask for it by id.
 */
import type { Handle } from './handle.js';
import type { Primitive } from '../primitive.js';

const cache = new Map<string, WeakRef<Primitive>>();
const gone = new FinalizationRegistry<string>((id) => {
  const ref = cache.get(id);
  if (ref !== undefined && ref.deref() === undefined) cache.delete(id);
});
const directory = new Map<string, Primitive>();
const published = new Map<string, Handle>();
const awaiting = new Map<string, ((h: Handle) => void)[]>();

export function cacheGet(id: string): Primitive | undefined {
  return cache.get(id)?.deref();
}

export function cacheSet(p: Primitive, id: string): void {
  cache.set(id, new WeakRef(p));
  gone.register(p, id);
}

/** Keeps `p` reachable by id for the broker (a worker holds a remote handle to it). */
export function directorySet(p: Primitive, id: string): void {
  directory.set(id, p);
}

/** The instance behind an id, for the broker. */
export function findPrimitive(id: string): Primitive | undefined {
  return directory.get(id) ?? cacheGet(id);
}

/** Records a handle written into a queue item, so consumers can resolve it by id. */
export function publish(handle: Handle): void {
  if (published.has(handle.id)) return;
  published.set(handle.id, handle);
  const waiters = awaiting.get(handle.id);
  if (waiters !== undefined) {
    awaiting.delete(handle.id);
    for (const w of waiters) w(handle);
  }
}

export function publishedHandle(id: string): Handle | undefined {
  return published.get(id);
}

/** Resolves when a handle with this id is published here (a producer's publish may still be on its way). */
export function whenPublished(id: string): Promise<Handle> {
  const h = published.get(id);
  if (h !== undefined) return Promise.resolve(h);
  return new Promise((resolve) => {
    let list = awaiting.get(id);
    if (list === undefined) awaiting.set(id, (list = []));
    list.push(resolve);
  });
}
