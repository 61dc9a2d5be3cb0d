/**
 * The worker side of a worker thread as core's `WorkerPort`. When the
 * parent shares a wake-up word (module-source workers), an idle worker waits
 * on it for a moment with `Atomics.wait` and reads the port synchronously, so
 * back-to-back round trips skip an event-loop turn in the worker.
 *
 * Before it sleeps on the word, it spins on it for a short while when the
 * last wait was short: a thread asleep in the kernel (and, on a VM, its
 * halted vCPU) takes 30–60 µs to wake, most of a round trip. The spin is
 * adaptive, so a worker whose next task comes later than that stops spinning
 * and burns no CPU.
 */
import type { MessagePort } from 'node:worker_threads';
import { workerThreads } from './builtins.js';
import type { WorkerPort } from '@multiproc/core';

/** How long an idle worker waits for the next message before returning to its event loop. */
const IDLE_WAIT_MS = 0.5;
/** How long it spins first, while the parent answers within it (measured: W2 p50 ~75 → ~25 µs on a 2-vCPU VM). */
const SPIN_MS = 0.1;

export function threadPort(port: MessagePort, wake?: Int32Array): WorkerPort {
  // Deno's parentPort is no MessagePort, and its receiveMessageOnPort throws for it
  // (docs/runtimes.md): there the worker reads messages on its event loop only.
  const { MessagePort, receiveMessageOnPort } = workerThreads();
  const readable = port instanceof MessagePort;
  // Spin on the next idle wait only if the last one ended within SPIN_MS.
  let spin = true;
  return {
    postMessage: (message, transfer) => port.postMessage(message, transfer as never),
    onMessage: (listener) => void port.on('message', listener),
    exit: (code) => process.exit(code),
    onExit: (hook) => void process.on('exit', hook),
    // The worker reports an uncaught error itself, as a child process does: Deno's `error`
    // event on the parent's Worker carries the error without its stack (docs/runtimes.md).
    onUncaught: (hook) => void process.on('uncaughtException', hook),
    onStrayRejection: (hook) => void process.on('unhandledRejection', hook),
    receiveNow: readable ? () => receiveMessageOnPort(port)?.message : undefined,
    idle:
      wake === undefined || !readable
        ? undefined
        : () => {
            const seen = Atomics.load(wake, 0);
            let m = receiveMessageOnPort(port);
            if (m === undefined) {
              const start = performance.now();
              if (spin) {
                const until = start + SPIN_MS;
                while (Atomics.load(wake, 0) === seen && performance.now() < until);
              }
              if (Atomics.load(wake, 0) === seen) {
                // Word 1 tells the parent someone is parked, so it only notifies then.
                Atomics.store(wake, 1, 1);
                const woke = Atomics.wait(wake, 0, seen, IDLE_WAIT_MS);
                Atomics.store(wake, 1, 0);
                spin = performance.now() - start <= SPIN_MS;
                if (woke === 'timed-out') return undefined;
              }
              m = receiveMessageOnPort(port);
            }
            const out: unknown[] = [];
            while (m !== undefined) {
              out.push(m.message);
              m = receiveMessageOnPort(port);
            }
            return out;
          },
  };
}
