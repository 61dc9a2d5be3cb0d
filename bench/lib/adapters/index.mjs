// Every pool the bench runs, in the interface each adapter file implements:
//   { id, label, lib (npm package, for its version), mode: 'thread' | 'process', raw?, scale?,
//     buffers: { copy, transfer }, natural (W6's way), create(size) -> instance }
//   instance: one(x), mapAll(xs), mapChunked(xs, size), fib(n), echo(buf, move), destroy()
//   and optionally call(name, x) (one task by name, W7) and, for multiproc, pool (the Pool itself)
// Each returns promises; the workloads check every result.
import { jestWorkerAdapter } from './jest-worker.mjs';
import { multiprocAdapter } from './multiproc.mjs';
import { piscinaAdapter } from './piscina.mjs';
import { poolifierAdapter } from './poolifier.mjs';
import { rawPoolAdapter } from './raw-pool.mjs';
import { threadsAdapter } from './threads.mjs';
import { tinypoolAdapter } from './tinypool.mjs';
import { workerFarmAdapter } from './worker-farm.mjs';
import { workerpoolAdapter } from './workerpool.mjs';

/** All adapters: multiproc first, then the raw minimal pools, then the anchors (threads, then processes). */
export const ADAPTERS = [
  multiprocAdapter('thread'),
  multiprocAdapter('process'),
  multiprocAdapter('process', 'json'),
  rawPoolAdapter('thread'),
  rawPoolAdapter('process'),
  piscinaAdapter,
  tinypoolAdapter('thread'),
  workerpoolAdapter('thread'),
  poolifierAdapter('thread'),
  jestWorkerAdapter('thread'),
  threadsAdapter,
  tinypoolAdapter('process'),
  workerpoolAdapter('process'),
  poolifierAdapter('process'),
  jestWorkerAdapter('process'),
  workerFarmAdapter,
];
