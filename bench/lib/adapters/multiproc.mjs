// multiproc's Pool on threads or child processes, in the bench's pool interface
// (one, mapAll, mapChunked, fib, echo, destroy; see adapters/index.mjs).
import { Pool } from '@multiproc/node';
import { fixtureUrl } from './fixture.mjs';

/** The adapter for `new Pool(url, { processes, context })`. */
export function multiprocAdapter(context) {
  return {
    id: context === 'process' ? 'multiproc-process' : 'multiproc',
    label: context === 'process' ? 'multiproc, processes' : 'multiproc',
    lib: '@multiproc/node',
    mode: context,
    buffers: { copy: true, transfer: context === 'thread' },
    natural: '`map` with its default chunksize',
    create(size) {
      const pool = new Pool(fixtureUrl('multiproc-tasks.js'), { processes: size, context });
      return {
        one: (x) => pool.apply('noop', [x]),
        mapAll: (xs) => pool.map('noop', xs),
        mapChunked: (xs, chunksize) => pool.map('noop', xs, { chunksize }),
        fib: (n) => pool.apply('fib', [n]),
        call: (name, x) => pool.apply(name, [x]),
        pool, // W7 calls map and imapUnordered with and without a chunksize
        echo: (buf, move) => (move ? pool.apply('echoMove', [buf], { transfer: [buf] }) : pool.apply('echo', [buf])),
        destroy: () => pool.terminate(),
      };
    },
  };
}
