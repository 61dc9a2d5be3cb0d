/**
 * The page side of one Web Worker: start it from the adapter's own entry (or
 * a user's factory), carry core's messages through the RPC link, and report
 * its end to core exactly once. Web Workers have no exit event and no exit
 * code, so the end is learnt from the worker's own report (`exit(n)`,
 * `self.close()`, an uncaught error), from an `error` event (a script that
 * fails to load), or from its lifeline lock being released (anything else),
 * and the code is synthesized: the reported one, 0 for `self.close()`, 1 for
 * an error; core itself gives -15/-9 after terminate/kill.
 */
import type { ExitInfo, SpawnOptions, WorkerHandle, WorkerSink } from '@multiproc/core';
import { watchLifeline } from './lifeline.js';
import { parentLink } from './rpc.js';

let nextPid = 1;

/**
 * When the lifeline says a worker is gone, wait this long before reporting,
 * so messages it sent just before it died are delivered first (they travel
 * on a different path than the lock's release).
 */
const SETTLE_MS = 20;

/**
 * Starts one Web Worker for core (the adapter's `spawn`).
 *
 * @example
 * ```ts
 * const adapter = defineAdapter({ name: 'browser', capabilities, cpuCount, spawn: spawnWebWorker });
 * ```
 */
export function spawnWebWorker(options: SpawnOptions, sink: WorkerSink): WorkerHandle {
  const worker =
    options.source.kind === 'factory'
      ? fromFactory(options.source.factory)
      : // Written literally so bundlers (Vite, webpack, Parcel) see and emit the worker entry.
        new Worker(new URL('./entry/worker.js', import.meta.url), { type: 'module' });
  let ended = false;
  const onError = (event: Event): void => {
    // Handled here: reported through core as the worker's exit, not as the page's uncaught error.
    event.preventDefault();
    end({ code: 1, signal: null, error: errorFrom(event) });
  };
  // What a broken message means is core's decision (it stops this worker): only report it.
  const onMessageError = (): void => sink.messageError(new Error('A message from the worker could not be deserialized in the page'));
  const link = parentLink(worker, {
    message: (data) => sink.message(data),
    hello: (lifeline) => {
      if (lifeline === null) return;
      watchLifeline(lifeline, () => {
        setTimeout(() => end({ code: null, signal: null, error: new Error('The worker ended without reporting an exit code') }), SETTLE_MS);
      });
    },
    end: (info) => end({ code: info.code, signal: null, error: info.error }),
  });
  worker.addEventListener('error', onError);
  worker.addEventListener('messageerror', onMessageError);

  function end(info: ExitInfo): void {
    if (ended) return;
    ended = true;
    // From here on the worker is gone for core: nothing it still sends may settle a task.
    link.dispose();
    worker.removeEventListener('error', onError);
    worker.removeEventListener('messageerror', onMessageError);
    worker.terminate();
    sink.exit(info);
  }

  return {
    pid: nextPid++,
    // postMessage clones: number-only chunks may travel packed.
    packNumbers: true,
    postMessage: (message, transfer) => link.post(message, transfer),
    // Reported at once: core handles an exit from inside terminate() after its own bookkeeping.
    terminate: () => end({ code: null, signal: null }),
  };
}

function fromFactory(factory: () => unknown): Worker {
  const made = factory();
  if (typeof Worker === 'undefined' || !(made instanceof Worker)) {
    throw new TypeError(
      "A worker factory must return a Web Worker, e.g. () => new Worker(new URL('./tasks.worker.js', import.meta.url), { type: 'module' }), whose script calls expose({...})",
    );
  }
  return made;
}

function errorFrom(event: Event): Error {
  const e = event as Partial<ErrorEvent>;
  if (e.error instanceof Error) return e.error;
  if (typeof e.message === 'string' && e.message !== '') {
    const where = e.filename ? ` (${e.filename}:${e.lineno ?? 0})` : '';
    return new Error(`${e.message}${where}`);
  }
  // Browsers give no detail when a module worker's script (or one of its imports) fails to load.
  return new Error('The worker script failed to load or to evaluate (a network error, a syntax error, or a failed import)');
}
