/**
 * Node built-ins the parent needs only once it starts a worker, loaded then
 * rather than at `import('@multiproc/node')`: `node:worker_threads` pulls in
 * streams and the worker machinery, and `node:child_process` net and streams,
 * a few milliseconds each that a program pays before its first line runs (and
 * a program that uses only one kind of worker should not pay for the other).
 * `createRequire` loads a built-in synchronously, so `new Pool()` stays
 * synchronous.
 */
import { createRequire } from 'node:module';

const load = createRequire(import.meta.url);

let workerThreadsModule: typeof import('node:worker_threads') | undefined;
let childProcessModule: typeof import('node:child_process') | undefined;

/**
 * `node:worker_threads`, loaded on first use.
 *
 * @example
 * ```ts
 * const worker = new (workerThreads().Worker)(entry);
 * ```
 */
export function workerThreads(): typeof import('node:worker_threads') {
  workerThreadsModule ??= load('node:worker_threads') as typeof import('node:worker_threads');
  return workerThreadsModule;
}

/**
 * `node:child_process`, loaded on the first fork.
 *
 * @example
 * ```ts
 * const child = childProcess().fork(entry, [], { serialization: 'advanced' });
 * ```
 */
export function childProcess(): typeof import('node:child_process') {
  childProcessModule ??= load('node:child_process') as typeof import('node:child_process');
  return childProcessModule;
}
