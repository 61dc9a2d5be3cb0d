/**
 * The worker side of a worker thread as core's `WorkerPort`.
 */
import { receiveMessageOnPort, type MessagePort } from 'node:worker_threads';
import type { WorkerPort } from '@multiproc/core';

export function threadPort(port: MessagePort): WorkerPort {
  return {
    postMessage: (message, transfer) => port.postMessage(message, transfer as never),
    onMessage: (listener) => void port.on('message', listener),
    exit: (code) => process.exit(code),
    receiveNow: () => receiveMessageOnPort(port)?.message,
  };
}
