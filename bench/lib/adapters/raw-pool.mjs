// The minimal correct pool BENCH.md names as the first number to beat: round-robin, every task
// posted at once, a Map of pending promises, no features. On worker threads, or on forked
// children with 'advanced' serialization. It is the raw limit for W1, W2 and W6.
import { fork } from 'node:child_process';
import { Worker } from 'node:worker_threads';
import { stop } from '../limits/raw-env.mjs';
import { fixturePath, handChunked } from './fixture.mjs';

/** The adapter for the minimal pool on `mode` ('thread' or 'process'). */
export function rawPoolAdapter(mode) {
  return {
    id: mode === 'process' ? 'raw-pool-process' : 'raw-pool',
    label: mode === 'process' ? 'minimal pool, processes (raw)' : 'minimal pool (raw)',
    lib: null,
    mode,
    raw: true,
    buffers: { copy: mode === 'thread', transfer: mode === 'thread' },
    natural: 'one task per item',
    create(size) {
      const file = fixturePath('raw-pool-worker.js');
      const workers = Array.from({ length: size }, () =>
        mode === 'process' ? fork(file, [], { serialization: 'advanced', stdio: 'inherit' }) : new Worker(file),
      );
      const pending = new Map();
      let nextId = 0;
      let rr = 0;
      const onMessage = ([id, result]) => {
        const p = pending.get(id);
        pending.delete(id);
        p.resolve(result);
      };
      const onExit = () => {
        for (const p of pending.values()) p.reject(new Error('minimal pool: a worker exited'));
        pending.clear();
      };
      for (const w of workers) {
        w.on('message', onMessage);
        w.on('exit', onExit);
      }
      const call = (name, arg, transfer) =>
        new Promise((resolve, reject) => {
          const id = nextId++;
          pending.set(id, { resolve, reject });
          const w = workers[rr++ % size];
          if (mode === 'process') w.send([id, name, arg]);
          else w.postMessage([id, name, arg], transfer);
        });
      return {
        one: (x) => call('noop', x),
        mapAll: (xs) => Promise.all(xs.map((x) => call('noop', x))),
        mapChunked: (xs, n) => handChunked(xs, n, (c) => call('noopChunk', c)),
        fib: (n) => call('fib', n),
        echo: (buf, move) => call('echo', buf, move ? [buf] : undefined),
        async destroy() {
          for (const w of workers) w.off('exit', onExit);
          await Promise.all(workers.map(stop));
        },
      };
    },
  };
}
