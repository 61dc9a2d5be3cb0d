// The three pools of the browser bench behind one small interface, each with 2 workers:
// `one(x)` (a no-op task), `echo(buf, move)` (a buffer there and back, copied or transferred)
// and `destroy()`. multiproc's Pool; comlink with one call per task, round-robin over its
// workers (comlink has no pool: that is how a user would spread calls); workerpool's web workers.
import { Pool } from '@multiproc/browser';
import * as Comlink from 'comlink';
import workerpool from 'workerpool';

const here = (file) => new URL(file, import.meta.url);

function multiproc(size) {
  const pool = new Pool(here('./tasks.js'), { processes: size });
  return {
    one: (x) => pool.apply('noop', [x]),
    echo: (buf, move) => (move ? pool.apply('echoMove', [buf], { transfer: [buf] }) : pool.apply('echo', [buf])),
    destroy: () => pool.terminate(),
  };
}

function comlink(size) {
  const workers = Array.from({ length: size }, () => new Worker(here('./comlink-worker.js'), { type: 'module' }));
  const remotes = workers.map((w) => Comlink.wrap(w));
  let next = 0;
  const pick = () => remotes[next++ % size];
  return {
    one: (x) => pick().noop(x),
    echo: (buf, move) => (move ? pick().echoMove(Comlink.transfer(buf, [buf])) : pick().echo(buf)),
    destroy: async () => {
      for (const r of remotes) r[Comlink.releaseProxy]();
      for (const w of workers) w.terminate();
    },
  };
}

function workerpoolPool(size) {
  const pool = workerpool.pool(here('./workerpool-worker.js').href, {
    minWorkers: size,
    maxWorkers: size,
    workerType: 'web',
    workerOpts: { type: 'module' },
  });
  return {
    one: (x) => pool.exec('noop', [x]),
    echo: (buf, move) => (move ? pool.exec('echoMove', [buf], { transfer: [buf] }) : pool.exec('echo', [buf])),
    destroy: () => pool.terminate(),
  };
}

/** The pools in the tables' order, multiproc first. */
export const POOLS = [
  { id: 'multiproc', label: 'multiproc', lib: '@multiproc/browser', create: multiproc },
  { id: 'comlink', label: 'comlink, one call per task', lib: 'comlink', create: comlink },
  { id: 'workerpool', label: 'workerpool, web workers', lib: 'workerpool', create: workerpoolPool },
];
