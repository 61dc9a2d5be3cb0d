// poolifier's FixedThreadPool or FixedClusterPool in the bench's pool interface.
import { FixedClusterPool, FixedThreadPool } from 'poolifier';
import { fixturePath, handChunked } from './fixture.mjs';

/** The adapter for `new FixedThreadPool(size, file)` / `new FixedClusterPool(size, file)`. */
export function poolifierAdapter(mode) {
  return {
    id: mode === 'process' ? 'poolifier-cluster' : 'poolifier',
    label: mode === 'process' ? 'poolifier, cluster' : 'poolifier',
    lib: 'poolifier',
    mode,
    // A thread pool takes a transfer list in, but copies results back (ANCHORS.md).
    buffers: { copy: mode === 'thread', transfer: mode === 'thread' },
    natural: '`mapExecute`',
    create(size) {
      const pool =
        mode === 'process' ? new FixedClusterPool(size, fixturePath('poolifier-cluster.cjs')) : new FixedThreadPool(size, fixturePath('poolifier-thread.cjs'));
      const one = (x) => pool.execute(x, 'noop');
      return {
        one,
        mapAll: (xs) => pool.mapExecute(xs, 'noop'),
        mapChunked: (xs, n) => handChunked(xs, n, (c) => pool.execute(c, 'noopChunk')),
        fib: (n) => pool.execute(n, 'fib'),
        call: (name, x) => pool.execute(x, name),
        echo: (buf, move) => (move ? pool.execute(buf, 'echo', undefined, [buf]) : pool.execute(buf, 'echo')),
        destroy: () => pool.destroy(),
      };
    },
  };
}
