/**
 * The parent side of a worker_threads worker: start it from our entry (or a
 * user's factory), forward its messages and its exit to core's sink.
 */
import type { Worker } from 'node:worker_threads';
import type { SpawnOptions, WorkerHandle, WorkerSink } from '@multiproc/core';
import { workerThreads } from './builtins.js';

const entry = new URL('./entry/thread.js', import.meta.url);

const passThrough = ['env', 'execArgv', 'resourceLimits', 'argv', 'stdout', 'stderr', 'trackUnmanagedFds'] as const;

export function spawnThread(options: SpawnOptions, sink: WorkerSink): WorkerHandle {
  let worker: Worker;
  // A word the worker waits on when idle; bumped after every message we post to it.
  let wake: Int32Array | undefined;
  if (options.source.kind === 'factory') {
    const made = options.source.factory();
    if (!(made instanceof workerThreads().Worker)) throw new TypeError('A worker factory must return a worker_threads Worker whose script calls expose({...})');
    worker = made;
  } else {
    const extra: Record<string, unknown> = {};
    for (const key of passThrough) if (options.extra?.[key] !== undefined) extra[key] = options.extra[key];
    wake = new Int32Array(new SharedArrayBuffer(8));
    worker = new (workerThreads().Worker)(entry, { ...extra, name: options.name, workerData: { multiprocWake: wake } });
  }
  let error: unknown;
  worker.on('message', (data: unknown) => sink.message(data));
  worker.on('error', (err: unknown) => {
    error = err;
  });
  // What a broken message means is core's decision: it stops this worker.
  worker.on('messageerror', (err: unknown) => sink.messageError(err));
  worker.on('exit', (code: number) => sink.exit({ code, signal: null, error }));
  if (!options.ref) worker.unref();
  return {
    pid: worker.threadId,
    // postMessage clones: number-only chunks may travel packed.
    packNumbers: true,
    postMessage: (message, transfer) => {
      worker.postMessage(message, transfer as never);
      if (wake !== undefined) {
        Atomics.add(wake, 0, 1);
        if (Atomics.load(wake, 1) === 1) Atomics.notify(wake, 0);
      }
    },
    terminate: () => void worker.terminate(),
    ref: () => worker.ref(),
    unref: () => worker.unref(),
  };
}
