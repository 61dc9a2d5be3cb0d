// The plain workers and children the raw limits measure with: two worker threads and two
// forked children per serialization, started once per section and closed at its end.
import { fork } from 'node:child_process';
import { Worker } from 'node:worker_threads';

const file = new URL('../../fixtures/raw-limits-worker.js', import.meta.url);

/** Resolves with the next message of `w` (a Worker or a ChildProcess), rejecting on error/exit. */
export function nextMessage(w) {
  return new Promise((resolve, reject) => {
    const done = (m) => {
      w.off('error', fail);
      w.off('exit', fail);
      resolve(m);
    };
    const fail = (err) => {
      w.off('message', done);
      reject(err instanceof Error ? err : new Error(`raw worker exited (${err})`));
    };
    w.once('message', done);
    w.once('error', fail);
    w.once('exit', fail);
  });
}

export const startThread = () => new Worker(file);
export const startChild = (serialization) => fork(file, [], { serialization, stdio: 'inherit' });

/** Stops a worker thread or a child process and waits for it to be gone. */
export function stop(w) {
  if (typeof w.terminate === 'function') return w.terminate();
  return new Promise((r) => {
    if (w.exitCode !== null || w.signalCode !== null) return r();
    w.once('exit', r);
    w.kill();
  });
}

/** { threads: [w, w], json: [c, c], advanced: [c, c], close() } */
export async function openRawEnv() {
  const env = {
    threads: [startThread(), startThread()],
    json: [startChild('json'), startChild('json')],
    advanced: [startChild('advanced'), startChild('advanced')],
  };
  const all = [...env.threads, ...env.json, ...env.advanced];
  await Promise.all(
    all.map((w) => {
      const p = nextMessage(w);
      if (typeof w.postMessage === 'function') w.postMessage(0);
      else w.send(0);
      return p;
    }),
  );
  env.close = () => Promise.all(all.map(stop));
  return env;
}
