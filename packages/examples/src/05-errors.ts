/**
 * Error handling. A task's own error reaches the caller as itself; a worker
 * that dies fails only the task it was running (`WorkerExitedError`), and the
 * pool replaces the worker and goes on; a per-task `timeout` or an
 * `AbortSignal` cancels a task (`TimeoutError`, `AbortError`); a
 * `get({ timeout })` that runs out only stops waiting. Every library error
 * has a stable `code`. As in 04, `await using` terminates the pool at the
 * end of its block.
 */
import { AbortError, isMultiprocError, Pool, TimeoutError, WorkerExitedError } from '@multiproc/node';

type Tasks = typeof import('./tasks.js');

function describe(err: unknown): string {
  if (!(err instanceof Error)) return `non-error ${String(err)}`;
  return isMultiprocError(err) ? `${err.name} (${err.code}): ${err.message}` : `${err.name}: ${err.message}`;
}

{
  // `await using` terminates the pool when the block ends, as Python's `with Pool() as pool:`.
  await using pool = new Pool<Tasks>(new URL('./tasks.js', import.meta.url), { processes: 2 });
  // 1. The task throws: the same error class arrives in the parent.
  try {
    await pool.apply('checkedSqrt', [-4]);
  } catch (err) {
    console.log(`1. task error: ${describe(err)} (instanceof RangeError: ${err instanceof RangeError})`);
  }

  // 2. The worker dies mid-task: that task fails, the others are unaffected.
  try {
    await pool.apply('crash', [3]);
  } catch (err) {
    if (!(err instanceof WorkerExitedError)) throw err;
    console.log(`2. worker died: ${err.name} (${err.code}), exitCode ${err.exitCode}, task "${err.taskName}"`);
  }
  console.log(`   the pool replaced it: square(7) -> ${await pool.apply('square', [7])}`);

  // 3. A per-task timeout: the task is cancelled (tasks.sleepFor stops on taskSignal()).
  try {
    await pool.apply('sleepFor', [10_000], { timeout: 50 });
  } catch (err) {
    console.log(`3. task timeout: ${err instanceof TimeoutError ? 'TimeoutError' : describe(err)} (${(err as TimeoutError).code})`);
  }

  // 4. A timeout on get() only stops waiting; the task goes on and a later get() has its value.
  const slow = pool.applyAsync('sleepFor', [200]);
  try {
    await slow.get({ timeout: 10 });
  } catch (err) {
    console.log(`4. get({ timeout: 10 }): ${err instanceof TimeoutError ? 'TimeoutError' : describe(err)}, ready() -> ${slow.ready()}`);
  }
  console.log(`   later get() -> ${await slow.get()}`);

  // 5. Cancelling with an AbortSignal.
  const controller = new AbortController();
  const pending = pool.apply('sleepFor', [10_000], { signal: controller.signal });
  setTimeout(() => controller.abort(new Error('user pressed cancel')), 20);
  try {
    await pending;
  } catch (err) {
    const cause = (err as Error).cause instanceof Error ? ((err as Error).cause as Error).message : String((err as Error).cause);
    console.log(`5. aborted: ${err instanceof AbortError ? 'AbortError' : describe(err)}, cause "${cause}"`);
  }

  // 6. map stops at the first failing item, as Python's does.
  try {
    await pool.map('checkedSqrt', [1, 4, -9, 16]);
  } catch (err) {
    console.log(`6. map with a bad item: ${describe(err)}`);
  }
  // imap reports the failure at its position and can go on.
  const out: string[] = [];
  const it = pool.imap('checkedSqrt', [1, 4, -9, 16]);
  for (;;) {
    try {
      const r = await it.next();
      if (r.done === true) break;
      out.push(String(r.value));
    } catch (err) {
      out.push(`<${(err as Error).name}>`);
    }
  }
  console.log(`   imap keeps going: [${out.join(', ')}]`);
}
console.log('Pool terminated.');
