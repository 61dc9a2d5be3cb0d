/**
 * The worker side of a Web Worker: connect core's `serve` loop to the page
 * through the RPC link, and make every way a worker can end reach the page
 * in order, after the results it sent: `exit(n)`, a `self.close()` in user
 * code (patched, since browsers report it to no one), an uncaught error or
 * an unhandled rejection (which end the worker with code 1, as on Node).
 * The worker takes its lifeline lock before it runs any user code.
 */
import { serve, type WorkerPort } from '@multiproc/core';
import { holdLifeline } from './lifeline.js';
import { workerLink } from './rpc.js';

/** The parts of a dedicated worker's global scope used here (the package builds against the DOM lib). */
interface WorkerScopeLike {
  close(): void;
  addEventListener(type: 'error', listener: (event: ErrorEvent) => void): void;
  addEventListener(type: 'unhandledrejection', listener: (event: PromiseRejectionEvent) => void): void;
}

let serving = false;

/** True inside a dedicated Web Worker. */
export function inDedicatedWorker(): boolean {
  const g = globalThis as { DedicatedWorkerGlobalScope?: abstract new () => unknown };
  return typeof g.DedicatedWorkerGlobalScope === 'function' && globalThis instanceof g.DedicatedWorkerGlobalScope;
}

/**
 * Serves core's protocol in this worker: the tasks of the module the page
 * names in its `init` message, or `tasks` when given (`expose`).
 *
 * @example
 * ```ts
 * // entry/worker.ts
 * serveWorker();
 * ```
 */
export function serveWorker(tasks?: Readonly<Record<string, unknown>>): void {
  if (serving) throw new TypeError('This worker already serves multiproc tasks: call expose() once per worker script');
  serving = true;
  const scope = globalThis as unknown as WorkerScopeLike;
  let listener: ((data: unknown) => void) | undefined;
  // Messages wait here until the lifeline is held, so no user code runs before the page can see this worker end.
  let early: unknown[] | null = [];
  const link = workerLink((data) => {
    if (early !== null) early.push(data);
    else listener?.(data);
  });

  const close = scope.close.bind(scope);
  let ending = false;
  const end = (code: number, error?: unknown): void => {
    if (ending) return;
    ending = true;
    link.end({ code, error });
    close();
  };
  scope.close = () => end(0);
  // serve's handler: it prints the error and sends it, encoded by core's codec (a structured
  // clone of an Error loses its stack in Firefox), with the exit, after the finished results.
  let uncaught: ((error: unknown) => void) | undefined;
  const fail = (error: unknown): void => {
    if (uncaught !== undefined) uncaught(error);
    end(1, error);
  };
  scope.addEventListener('error', (event) => {
    event.preventDefault();
    fail(event.error ?? new Error(event.message));
  });

  const port: WorkerPort = {
    postMessage: (message, transfer) => link.post(message, transfer),
    onMessage: (l) => {
      listener = l;
    },
    exit: (code) => end(code),
    onUncaught: (hook) => {
      uncaught = hook;
    },
    // Not fatal, as on Node (serve reports it): the browser's default would only log it too.
    onStrayRejection: (hook) =>
      scope.addEventListener('unhandledrejection', (event) => {
        event.preventDefault();
        hook(event.reason);
      }),
  };
  serve(port, tasks === undefined ? {} : { tasks });

  const start = (lifeline: string | null): void => {
    link.hello(lifeline);
    const queued = early ?? [];
    early = null;
    for (const data of queued) listener?.(data);
  };
  holdLifeline().then(start, () => start(null));
}
