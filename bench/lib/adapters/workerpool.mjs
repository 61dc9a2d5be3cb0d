// workerpool on threads or child processes in the bench's pool interface.
import workerpool from 'workerpool';
import { fixturePath, handChunked } from './fixture.mjs';

/** The adapter for `workerpool.pool(file, { workerType })`. */
export function workerpoolAdapter(mode) {
  return {
    id: mode === 'process' ? 'workerpool-process' : 'workerpool',
    label: mode === 'process' ? 'workerpool, processes' : 'workerpool',
    lib: 'workerpool',
    mode,
    buffers: { copy: mode === 'thread', transfer: mode === 'thread' },
    natural: 'one `exec` per item',
    create(size) {
      const pool = workerpool.pool(fixturePath('workerpool-worker.cjs'), { minWorkers: size, maxWorkers: size, workerType: mode });
      const one = (x) => pool.exec('noop', [x]);
      return {
        one,
        mapAll: (xs) => Promise.all(xs.map(one)),
        mapChunked: (xs, n) => handChunked(xs, n, (c) => pool.exec('noopChunk', [c])),
        fib: (n) => pool.exec('fib', [n]),
        echo: (buf, move) => (move ? pool.exec('echoMove', [buf], { transfer: [buf] }) : pool.exec('echo', [buf])),
        destroy: () => pool.terminate(),
      };
    },
  };
}
