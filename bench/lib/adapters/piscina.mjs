// piscina (threads only) in the bench's pool interface.
import { Piscina } from 'piscina';
import { fixtureUrl, handChunked } from './fixture.mjs';

/** The adapter for `new Piscina({ filename, minThreads, maxThreads })`. */
export const piscinaAdapter = {
  id: 'piscina',
  label: 'piscina',
  lib: 'piscina',
  mode: 'thread',
  buffers: { copy: true, transfer: true },
  natural: 'one `run` per item',
  create(size) {
    const pool = new Piscina({ filename: fixtureUrl('piscina-worker.mjs').href, minThreads: size, maxThreads: size, idleTimeout: Infinity });
    const run = (x) => pool.run(x);
    return {
      one: run,
      mapAll: (xs) => Promise.all(xs.map(run)),
      mapChunked: (xs, n) => handChunked(xs, n, (c) => pool.run(c, { name: 'noopChunk' })),
      fib: (n) => pool.run(n, { name: 'fib' }),
      call: (name, x) => pool.run(x, { name }),
      echo: (buf, move) => (move ? pool.run(Piscina.move(buf), { name: 'echoMove' }) : pool.run(buf, { name: 'echo' })),
      destroy: () => pool.destroy(),
    };
  },
};
