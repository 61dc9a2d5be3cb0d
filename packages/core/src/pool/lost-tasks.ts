/**
 * What happens to the tasks a dead worker held: which one it was running
 * (blamed: it fails with `WorkerExitedError`, or is retried), which ones
 * finished but lost their results with the worker (also failed), and which
 * it never started (back to the queue, the attempt not counted).
 */
import { WorkerExitedError } from '../errors.js';
import { pythonExitCode } from './exit-code.js';
import { DONE, type Task } from './task.js';
import { endGrace, stopTimer } from './task-watch.js';
import type { HostExit } from './host-owner.js';

/**
 * Sorts out the tasks of a worker that exited, in the order they were sent.
 * Which task ran: the worker's running word where memory is shared
 * (`exit.running`); elsewhere the first whose result did not arrive (the
 * worker flushes results before any task that may be long). Tasks to fail go
 * to `fail`; the returned ones are to run again, front of the queue first.
 *
 * @example
 * ```ts
 * const again = sortLostTasks(host.takeAll(), exit, fail);
 * ```
 */
export function sortLostTasks(tasks: readonly Task[], exit: HostExit, fail: (task: Task, error: Error) => void): Task[] {
  const back: Task[] = [];
  // tasks[0..finished] ran to the end but their results were lost with the worker; tasks[running] ran.
  let running = 0;
  let finished = -1;
  const word = exit.running;
  if (word !== undefined) {
    running = -1;
    const at = word === 0 ? -1 : tasks.findIndex((t) => t.id === Math.abs(word));
    if (at >= 0 && word > 0) {
      running = at;
      finished = at - 1;
    } else if (at >= 0) {
      finished = at;
    }
  }
  for (let k = 0; k < tasks.length; k++) {
    const t = tasks[k];
    if (t.watch !== undefined) endGrace(t.watch);
    if (t.state === DONE) continue;
    stopTimer(t.watch);
    // The running one is blamed, unless the pool itself killed the worker for a stuck cancelled task.
    const blamed = (k === running && exit.stopReason !== 'grace') || k <= finished;
    // A task whose buffers were transferred cannot go out again: they went with the worker.
    if (blamed || t.transfer !== undefined) {
      const code = pythonExitCode(exit);
      const how = exit.signal ? `signal ${exit.signal}` : `code ${code}`;
      const err = new WorkerExitedError(
        !blamed
          ? `The worker holding task "${t.name}" exited (${how}) before running it, and the buffers transferred with it went too`
          : k === running
            ? `The worker running task "${t.name}" exited (${how})`
            : `Task "${t.name}" finished, but its worker exited (${how}) before sending its result`,
        { exitCode: code, signal: exit.signal, taskName: t.name, attempts: t.attempts, cause: t.failures?.at(-1) ?? exit.error },
      );
      if (t.attempts <= t.retries && t.transfer === undefined) {
        (t.failures ??= []).push(err);
        back.push(t);
      } else {
        fail(t, err);
      }
      continue;
    }
    t.attempts--;
    back.push(t);
  }
  return back;
}
