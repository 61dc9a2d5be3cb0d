// jest-worker on child processes (its default) or worker threads (enableWorkerThreads).
import { Worker } from 'jest-worker';
import { fixturePath, handChunked } from './fixture.mjs';

/** The adapter for `new Worker(file, { numWorkers, enableWorkerThreads })`. */
export function jestWorkerAdapter(mode) {
  return {
    id: mode === 'thread' ? 'jest-worker-threads' : 'jest-worker',
    label: mode === 'thread' ? 'jest-worker, threads' : 'jest-worker, processes',
    lib: 'jest-worker',
    mode,
    buffers: { copy: mode === 'thread', transfer: false },
    natural: 'one call per item',
    create(size) {
      const w = new Worker(fixturePath('jest-worker.cjs'), {
        numWorkers: size,
        enableWorkerThreads: mode === 'thread',
        exposedMethods: ['noop', 'noopChunk', 'fib', 'echo'],
      });
      const one = (x) => w.noop(x);
      return {
        one,
        mapAll: (xs) => Promise.all(xs.map(one)),
        mapChunked: (xs, n) => handChunked(xs, n, (c) => w.noopChunk(c)),
        fib: (n) => w.fib(n),
        echo: (buf) => w.echo(buf),
        destroy: () => w.end(),
      };
    },
  };
}
