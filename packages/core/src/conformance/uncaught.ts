/**
 * An uncaught error in a worker (thrown from a timer, outside any task's
 * promise) ends that worker as Node ends a process (SEMANTICS X11), and the
 * parent learns what it was: the running task's `WorkerExitedError` carries
 * it as `cause`, class, message and stack intact.
 */
import { WorkerExitedError } from '../errors.js';
import { equal, ok, rejects } from './assert.js';
import { area } from './define.js';

const { cases, define } = area('Uncaught errors');
export { cases as uncaughtCases };

// Each worker has its own globals (and its own uncaught-error handling); an in-memory worker's timer would throw in the parent.
define('an uncaught error ends the worker: the running task fails with WorkerExitedError (exitCode 1) whose cause is that error; the pool goes on', ['X11', 'L27', 'DESIGN:errors'], async (ctx) => {
  const pool = ctx.pool({ processes: 1 });
  const err = await rejects(pool.apply('throwUncaught', ['boom']), WorkerExitedError);
  equal(err.exitCode, 1);
  equal(err.taskName, 'throwUncaught');
  ok(err.cause instanceof TypeError, `the cause is the TypeError, got ${String(err.cause)}`);
  equal((err.cause as TypeError).message, 'boom');
  // Only V8 starts a stack with the message; Firefox's lists the frames alone.
  ok(typeof (err.cause as TypeError).stack === 'string' && (err.cause as TypeError).stack !== '', 'the cause keeps its stack');
  equal(await pool.apply('square', [6]), 36, 'the worker was replaced');
}, { requires: ['isolatedGlobals'] });

define('a Process target whose async work throws uncaught exits with code 1', ['X11', 'P06'], async (ctx) => {
  const p = ctx.process({ target: 'throwUncaught', args: ['late boom'] });
  p.start();
  await p.join();
  equal(p.exitCode, 1);
}, { requires: ['isolatedGlobals'] });
