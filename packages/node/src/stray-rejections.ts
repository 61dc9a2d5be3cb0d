/**
 * Inside a worker (thread or child process): a promise that rejects after
 * its task has finished is printed, not fatal. Node's default would end the
 * worker, and the parent would blame whichever task runs next.
 */

let installed = false;

/**
 * Reports unhandled rejections on stderr instead of letting them end this worker.
 *
 * @example
 * ```ts
 * reportStrayRejections(); // first thing in a worker entry
 * ```
 */
export function reportStrayRejections(): void {
  if (installed) return;
  installed = true;
  process.on('unhandledRejection', (reason) => {
    console.error('multiproc: a promise rejected in a worker and nothing handled it (it does not fail any task):', reason);
  });
}
