// threads.js (package `threads`): a Pool of spawned worker threads in the bench's pool interface.
import { Pool, spawn, Transfer, Worker } from 'threads';
import { handChunked } from './fixture.mjs';

// threads.js resolves a worker path against the directory of the file that calls `new Worker`
// (this one), even when the path is absolute.
const WORKER_FILE = '../../fixtures/threads-worker.mjs';

/** The adapter for `Pool(() => spawn(new Worker(file)), size)`. */
export const threadsAdapter = {
  id: 'threads',
  label: 'threads.js',
  lib: 'threads',
  mode: 'thread',
  buffers: { copy: true, transfer: true },
  natural: 'one `queue` per item',
  // ~1 k tasks/s (BENCH.md): W1/W2/W6 run a tenth of the items so a full run stays minutes long.
  scale: 0.1,
  create(size) {
    const pool = Pool(() => spawn(new Worker(WORKER_FILE)), size);
    const one = (x) => pool.queue((w) => w.noop(x));
    return {
      one,
      mapAll: (xs) => Promise.all(xs.map(one)),
      mapChunked: (xs, n) => handChunked(xs, n, (c) => pool.queue((w) => w.noopChunk(c))),
      fib: (n) => pool.queue((w) => w.fib(n)),
      echo: (buf, move) => pool.queue((w) => (move ? w.echoMove(Transfer(buf)) : w.echo(buf))),
      destroy: () => pool.terminate(true),
    };
  },
};
