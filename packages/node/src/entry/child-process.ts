/**
 * The child-process entry: connects core's `serve` loop to the IPC channel.
 * Exits only after every message it sent has been flushed, and exits at once
 * if the parent goes away (no orphans), even while a task runs synchronous code.
 */
import { serve } from '@multiproc/core/serve';
import { watchParent } from './parent-watchdog.js';
import { checkSendable } from '../ipc-check.js';

if (typeof process.send !== 'function') throw new Error('@multiproc/node: the child entry must be started with fork()');

let pending = 0;
let exitCode: number | null = null;

process.on('disconnect', () => process.exit(exitCode ?? 0));
// The disconnect event needs a turning event loop; this catches a parent's death while a task spins.
watchParent();

serve({
  postMessage: (message) => {
    // Throws synchronously when the message cannot be serialized; count only what was sent.
    checkSendable(message);
    (process.send as NonNullable<typeof process.send>)(message, undefined, {}, () => {
      if (--pending === 0 && exitCode !== null) process.exit(exitCode);
    });
    pending++;
  },
  onMessage: (listener) => void process.on('message', listener),
  // `process.exit()` in task code: what is sent here is written to the channel before the child ends.
  onExit: (hook) => void process.on('exit', hook),
  // Node would print it and exit 1; serve does the same, and the parent gets the error as the exit's cause.
  onUncaught: (hook) => void process.on('uncaughtException', hook),
  onStrayRejection: (hook) => void process.on('unhandledRejection', hook),
  exit: (code) => {
    exitCode = code;
    if (pending === 0) process.exit(code);
  },
});
