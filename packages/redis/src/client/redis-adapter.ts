/**
 * The runtime adapter of a Redis context: core's seam, with each "worker"
 * a {@link RemoteWorker} that turns tasks into BullMQ jobs. It declares what
 * crossing machines cannot do (no shared memory, no transfer, no OS
 * processes of its own, no core primitives: the context has its own on
 * Redis), and that its pids are strings, so the conformance suite gates those
 * cases by capability.
 */
import type { RuntimeAdapter, SpawnOptions, WorkerHandle, WorkerSink } from '@multiproc/core';
import type { JobChannel } from './job-channel.js';
import { RemoteWorker } from './remote-worker.js';

/** The URL scheme a module id travels under inside core (`mp-module:tasks`). */
export const MODULE_SCHEME = 'mp-module:';

/** The module id a pool's source URL names: `mp-module:<id>`, or any other URL taken whole as the id. */
export function moduleIdOf(url: string): string {
  return url.startsWith(MODULE_SCHEME) ? decodeURIComponent(url.slice(MODULE_SCHEME.length)) : url;
}

// A pid is this client's random tag and one count for all its contexts: no two workers share one,
// here or on another client of the same Redis (`'3f2a9c1e:7'`).
const CLIENT_TAG = globalThis.crypto.randomUUID().slice(0, 8);
let nextPid = 1;

/** Pool size when a Redis pool is given no `processes`. */
export const DEFAULT_REDIS_PROCESSES = 8;

/**
 * Makes the adapter of a context on `channel`.
 *
 * @example
 * ```ts
 * const adapter = redisAdapter(JobChannel.shared('redis://127.0.0.1:6379', 'multiproc', owner), owner);
 * new Pool(new URL('mp-module:tasks'), { adapter });
 * ```
 */
export function redisAdapter(channel: JobChannel, owner: object, revive: (value: unknown) => unknown = (v) => v): RuntimeAdapter {
  return {
    name: 'redis',
    capabilities: { sharedMemory: false, transfer: false, isolatedGlobals: true, processes: false, syncPrimitives: false, stableWorkers: false, stringPids: true },
    // Hosts come and go: a pool's default size is a fixed number of jobs in flight, not a CPU count.
    cpuCount: () => DEFAULT_REDIS_PROCESSES,
    defaultRetries: 1,
    spawn(_options: SpawnOptions, sink: WorkerSink): WorkerHandle {
      return new RemoteWorker(channel, owner, sink, `${CLIENT_TAG}:${nextPid++}`, moduleIdOf, revive);
    },
  };
}
