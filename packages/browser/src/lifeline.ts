/**
 * Noticing that a Web Worker is gone. Browsers fire no event when a worker
 * ends (a `self.close()`, a crash), so each worker holds a Web Lock for its
 * whole life and the page queues for the same lock: the browser grants it to
 * the page exactly when the worker's hold is released, that is when the
 * worker has ended, however it ended. Web Locks exist only in secure contexts
 * (https, localhost); elsewhere a worker's own report of its end
 * (`exit()`, `self.close()`, an uncaught error) is all there is.
 */

interface LockManagerLike {
  request(name: string, callback: () => unknown): Promise<unknown>;
}

function lockManager(): LockManagerLike | undefined {
  const locks = (globalThis as { navigator?: { locks?: LockManagerLike } }).navigator?.locks;
  return typeof locks?.request === 'function' ? locks : undefined;
}

let counter = 0;

/**
 * In a worker: takes a lock that is held until the worker ends, and resolves
 * with its name once held (null where there are no Web Locks).
 *
 * @example
 * ```ts
 * const name = await holdLifeline();
 * link.hello(name);
 * ```
 */
export function holdLifeline(): Promise<string | null> {
  const locks = lockManager();
  if (locks === undefined) return Promise.resolve(null);
  // Lock names are shared by every page and worker of the origin: make them unique.
  const name = `multiproc-lifeline:${Date.now().toString(36)}:${Math.random().toString(36).slice(2)}:${++counter}`;
  return new Promise((resolve, reject) => {
    locks
      .request(name, () => {
        resolve(name);
        return new Promise<never>(() => {});
      })
      .catch(reject);
  });
}

/**
 * In the page: calls `onGone` once the worker holding lock `name` has ended.
 *
 * @example
 * ```ts
 * watchLifeline(name, () => reportExit());
 * ```
 */
export function watchLifeline(name: string, onGone: () => void): void {
  const locks = lockManager();
  if (locks === undefined) return;
  locks.request(name, () => onGone()).catch(() => {});
}
