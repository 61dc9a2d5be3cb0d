// multiproc's Pool on threads or child processes, in the bench's pool interface
// (one, mapAll, mapChunked, fib, echo, destroy; see adapters/index.mjs).
import { Pool } from '@multiproc/node';
import { fixtureUrl } from './fixture.mjs';
import { collect } from '../collect.mjs';

/**
 * The adapter for `new Pool(url, { processes, context })`; `serialization: 'json'` gives the
 * child-process row that encodes messages as workerpool's and poolifier's process pools do.
 */
export function multiprocAdapter(context, serialization) {
  const json = serialization === 'json';
  return {
    id: context === 'process' ? (json ? 'multiproc-process-json' : 'multiproc-process') : 'multiproc',
    label: context === 'process' ? (json ? "multiproc, processes, 'json'" : 'multiproc, processes') : 'multiproc',
    lib: '@multiproc/node',
    mode: context,
    buffers: { copy: !json, transfer: context === 'thread' },
    natural: '`map` with its default chunksize',
    create(size) {
      const pool = new Pool(fixtureUrl('multiproc-tasks.js'), { processes: size, context, ...(json ? { serialization } : {}) });
      return {
        one: (x) => pool.apply('noop', [x]),
        mapAll: (xs) => pool.map('noop', xs),
        mapChunked: (xs, chunksize) => pool.map('noop', xs, { chunksize }),
        // W6: the lazy iterators with their default chunksize, drained with for await.
        imap: (xs) => collect(pool.imap('noop', xs)),
        imapUnordered: async (xs) => (await collect(pool.imapUnordered('noop', xs))).sort((a, b) => a - b),
        fib: (n) => pool.apply('fib', [n]),
        call: (name, x) => pool.apply(name, [x]),
        pool, // W7 calls map and imapUnordered with and without a chunksize
        echo: (buf, move) => (move ? pool.apply('echoMove', [buf], { transfer: [buf] }) : pool.apply('echo', [buf])),
        destroy: () => pool.terminate(),
      };
    },
  };
}
