/**
 * The worker side of a worker thread as core's `WorkerPort`. When the
 * parent shares a wake-up word (module-source workers), an idle worker waits
 * on it for a moment with `Atomics.wait` and reads the port synchronously, so
 * back-to-back round trips skip an event-loop turn in the worker.
 */
import { receiveMessageOnPort, type MessagePort } from 'node:worker_threads';
import type { WorkerPort } from '@multiproc/core';

/** How long an idle worker waits for the next message before returning to its event loop. */
const IDLE_WAIT_MS = 0.5;

export function threadPort(port: MessagePort, wake?: Int32Array): WorkerPort {
  return {
    postMessage: (message, transfer) => port.postMessage(message, transfer as never),
    onMessage: (listener) => void port.on('message', listener),
    exit: (code) => process.exit(code),
    onExit: (hook) => void process.on('exit', hook),
    onStrayRejection: (hook) => void process.on('unhandledRejection', hook),
    receiveNow: () => receiveMessageOnPort(port)?.message,
    idle:
      wake === undefined
        ? undefined
        : () => {
            const seen = Atomics.load(wake, 0);
            let m = receiveMessageOnPort(port);
            if (m === undefined) {
              // Word 1 tells the parent someone is parked, so it only notifies then.
              Atomics.store(wake, 1, 1);
              const woke = Atomics.wait(wake, 0, seen, IDLE_WAIT_MS);
              Atomics.store(wake, 1, 0);
              if (woke === 'timed-out') return undefined;
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
