// L2 (SharedArrayBuffer ping-pong with Atomics.wait/notify: main↔worker, worker↔worker,
// waitAsync) and L4 (a futex mutex: 2 workers contending, and uncontended on the main thread).
import { performance } from 'node:perf_hooks';
import { mutex, pingSide, pingSideAsync } from '../../fixtures/raw-atomics.js';
import { check } from '../check.mjs';
import { nextMessage } from './raw-env.mjs';

const ask = (w, m) => {
  const p = nextMessage(w);
  w.postMessage(m);
  return p;
};

/** µs per SAB round trip: the main thread (blocking or waitAsync) or a worker pings, a worker pongs. */
export async function sabPingPong(ws, trips, pinger) {
  const sab = new SharedArrayBuffer(4);
  const a = new Int32Array(sab);
  const pong = ask(ws[1], { kind: 'pong', sab, trips });
  await new Promise((r) => setTimeout(r, 5)); // the ponger starts waiting (not required for correctness)
  const t0 = performance.now();
  let last;
  if (pinger === 'worker') last = await ask(ws[0], { kind: 'ping', sab, trips });
  else if (pinger === 'async') last = await pingSideAsync(a, trips);
  else last = pingSide(a, trips);
  const ms = performance.now() - t0;
  check(last === 2 * trips && (await pong) === 2 * trips, `SAB ping-pong (${pinger}) ended at turn ${last}`);
  return (ms * 1000) / trips;
}

/** Futex mutex acquisitions/s: two workers contending, each `m` times around a plain counter. */
export async function mutexContended(ws, m) {
  const lockSab = new SharedArrayBuffer(16);
  const sab = new SharedArrayBuffer(4);
  const t0 = performance.now();
  await Promise.all(ws.map((w) => ask(w, { kind: 'mutex', lockSab, sab, m })));
  const ms = performance.now() - t0;
  check(new Int32Array(sab)[0] === 2 * m, 'raw mutex counter (contended)');
  return (2 * m) / (ms / 1000);
}

/** Futex mutex acquisitions/s, uncontended, on the main thread. */
export function mutexUncontended(m) {
  const l = new Int32Array(new SharedArrayBuffer(16));
  const a = new Int32Array(new SharedArrayBuffer(4));
  const t0 = performance.now();
  mutex(l, a, m);
  const ms = performance.now() - t0;
  check(a[0] === m, 'raw mutex counter (uncontended)');
  return m / (ms / 1000);
}
