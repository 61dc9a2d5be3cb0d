// tinypool on worker threads or child processes in the bench's pool interface.
import { Tinypool } from 'tinypool';
import { fixtureUrl, handChunked } from './fixture.mjs';

/** The adapter for `new Tinypool({ filename, runtime })`. */
export function tinypoolAdapter(mode) {
  return {
    id: mode === 'process' ? 'tinypool-process' : 'tinypool',
    label: mode === 'process' ? 'tinypool, processes' : 'tinypool',
    lib: 'tinypool',
    mode,
    buffers: { copy: mode === 'thread', transfer: mode === 'thread' },
    natural: 'one `run` per item',
    create(size) {
      const pool = new Tinypool({
        filename: fixtureUrl('tinypool-worker.mjs').href,
        minThreads: size,
        maxThreads: size,
        idleTimeout: Infinity,
        runtime: mode === 'process' ? 'child_process' : 'worker_threads',
        // tinypool forks with only the options' env (ANCHORS.md §8): pass the parent's.
        ...(mode === 'process' ? { env: process.env } : {}),
      });
      const run = (x) => pool.run(x);
      return {
        one: run,
        mapAll: (xs) => Promise.all(xs.map(run)),
        mapChunked: (xs, n) => handChunked(xs, n, (c) => pool.run(c, { name: 'noopChunk' })),
        fib: (n) => pool.run(n, { name: 'fib' }),
        call: (name, x) => pool.run(x, { name }),
        echo: (buf, move) => (move ? pool.run(buf, { name: 'echoMove', transferList: [buf] }) : pool.run(buf, { name: 'echo' })),
        destroy: () => pool.destroy(),
      };
    },
  };
}
