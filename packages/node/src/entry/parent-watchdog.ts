/**
 * Makes a child process die with its parent even while its main thread runs
 * synchronous code. The IPC channel's `disconnect` event only reaches a child
 * whose event loop turns; a task spinning in a loop would outlive a parent
 * killed with SIGKILL or SIGTERM (no exit hook runs then) at 100% CPU forever.
 * A tiny worker thread watches the parent pid instead and SIGKILLs this
 * process when it changes (the orphan was re-parented). From a worker thread
 * only a signal ends the whole process: `process.exit` there ends the thread.
 */
import { Worker } from 'node:worker_threads';

/** How often the parent is checked: a dead parent's children go within this. */
const CHECK_EVERY_MS = 200;

// CommonJS source for an eval'd worker: no module to resolve, nothing to load.
const WATCHDOG = `const { workerData } = require('node:worker_threads');
setInterval(() => {
  if (process.ppid !== workerData) process.kill(process.pid, 'SIGKILL');
}, ${CHECK_EVERY_MS});`;

/**
 * Starts the watchdog for the parent this process has now. It does not keep
 * the process alive. Windows does not re-parent orphans (its `ppid` never
 * changes), so there the IPC `disconnect` event is the only guard.
 *
 * @example
 * ```ts
 * watchParent();
 * ```
 */
export function watchParent(): void {
  if (process.platform === 'win32') return;
  const watchdog = new Worker(WATCHDOG, {
    eval: true,
    workerData: process.ppid,
    // It needs almost nothing; keep its heap small.
    resourceLimits: { maxOldGenerationSizeMb: 8, maxYoungGenerationSizeMb: 1, stackSizeMb: 1 },
    // A user's --require/--import must not run in it.
    execArgv: [],
    stdout: false,
    stderr: false,
  });
  watchdog.unref();
  // A watchdog that fails (e.g. out of threads) must not take the child down; disconnect remains.
  watchdog.on('error', () => {});
}
