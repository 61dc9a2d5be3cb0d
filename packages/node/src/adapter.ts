/**
 * Node's runtime adapters: `'thread'` (worker_threads, the default) and
 * `'process'` (child_process.fork). Each is only how to start, talk to and
 * stop a worker, and what it can do.
 */
import { availableParallelism } from 'node:os';
import { defineAdapter, type RuntimeAdapter } from '@multiproc/core';
import { spawnChild } from './child-process.js';
import { spawnThread } from './thread.js';

/**
 * The contexts Node offers.
 *
 * @example
 * ```ts
 * const context: NodeContext = process.env.ISOLATE === '1' ? 'process' : 'thread';
 * await using pool = new Pool(url, { context });
 * ```
 */
export type NodeContext = 'thread' | 'process';

/**
 * The worker_threads adapter.
 *
 * @example
 * ```ts
 * import { Pool } from '@multiproc/core';
 * const pool = new Pool(url, { adapter: threadAdapter });
 * ```
 */
export const threadAdapter: RuntimeAdapter = defineAdapter({
  name: 'node:thread',
  capabilities: { sharedMemory: true, transfer: true, isolatedGlobals: true, processes: false },
  cpuCount: () => availableParallelism(),
  spawn: spawnThread,
});

/**
 * The child-process adapter: real pids and signals, crash isolation; values
 * are copied (no transfer, no shared memory).
 *
 * @example
 * ```ts
 * import { Pool } from '@multiproc/core';
 * const pool = new Pool(url, { adapter: processAdapter });
 * ```
 */
export const processAdapter: RuntimeAdapter = defineAdapter({
  name: 'node:process',
  capabilities: { sharedMemory: false, transfer: false, isolatedGlobals: true, processes: true },
  cpuCount: () => availableParallelism(),
  spawn: spawnChild,
});

/**
 * The adapter for a context name; throws a `TypeError` for one Node lacks.
 *
 * @example
 * ```ts
 * const adapter = nodeAdapter('thread');
 * ```
 */
export function nodeAdapter(context: NodeContext = 'thread'): RuntimeAdapter {
  if (context === 'thread') return threadAdapter;
  if (context === 'process') return processAdapter;
  throw new TypeError(`Unknown context ${JSON.stringify(context)}: @multiproc/node offers 'thread' and 'process'`);
}
