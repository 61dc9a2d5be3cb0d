// worker-farm (child processes, node-style callbacks) in the bench's pool interface.
import { createRequire } from 'node:module';
import { fixturePath, handChunked } from './fixture.mjs';

const workerFarm = createRequire(import.meta.url)('worker-farm');

/** The adapter for `workerFarm({ maxConcurrentWorkers }, file, methods)`. */
export const workerFarmAdapter = {
  id: 'worker-farm',
  label: 'worker-farm',
  lib: 'worker-farm',
  mode: 'process',
  buffers: { copy: false, transfer: false },
  natural: 'one call per item',
  create(size) {
    const farm = workerFarm({ maxConcurrentWorkers: size }, fixturePath('worker-farm.cjs'), ['noop', 'noopChunk', 'fib']);
    const call = (method, arg) => new Promise((resolve, reject) => farm[method](arg, (err, r) => (err ? reject(err) : resolve(r))));
    const one = (x) => call('noop', x);
    return {
      one,
      mapAll: (xs) => Promise.all(xs.map(one)),
      mapChunked: (xs, n) => handChunked(xs, n, (c) => call('noopChunk', c)),
      fib: (n) => call('fib', n),
      echo: null,
      destroy: () => new Promise((resolve) => workerFarm.end(farm, resolve)),
    };
  },
};
