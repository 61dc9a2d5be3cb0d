/**
 * Python's `concurrent.futures` on worker threads: a `ThreadPoolExecutor`
 * typed by the task module, a progress bar driven by `asCompleted` (it yields
 * each future as it finishes, whatever the order they were submitted in),
 * the results read back in submission order, `map` in input order with a
 * whole-map timeout, and `cancel()` of a future no worker has started.
 * Leaving the `await using` block calls `shutdown()`, which waits for every
 * submitted future, as Python's `with ThreadPoolExecutor() as ex:` does.
 */
import { CancelledError, ThreadPoolExecutor, asCompleted } from '@multiproc/node';

type Tasks = typeof import('./tasks.js');

/** A text progress bar: `[#####...............] 2/8`. */
function bar(done: number, total: number, width = 20): string {
  const filled = Math.round((done / total) * width);
  return `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total}`;
}

/** On a terminal the bar redraws in place; piped (as in the tests) each step is its own line. */
function show(line: string, last: boolean): void {
  if (process.stdout.isTTY) process.stdout.write(`\r${line}${last ? '\n' : ''}`);
  else console.log(line);
}

{
  await using ex = new ThreadPoolExecutor<Tasks>(new URL('./tasks.js', import.meta.url), { maxWorkers: 4 });
  const delays = [120, 30, 90, 10, 60, 150, 20, 80];
  const futures = delays.map((ms) => ex.submit('sleepFor', [ms]));
  console.log(`submitted ${futures.length} futures to ${ex.maxWorkers} workers`);
  let done = 0;
  for await (const _ of asCompleted(futures, { timeout: 30_000 })) {
    done++;
    show(bar(done, futures.length), done === futures.length);
  }
  const results = await Promise.all(futures.map((f) => f.result()));
  console.log(`results in submission order: ${results.join(', ')}`);

  const squares: number[] = [];
  for await (const s of ex.map('square', [1, 2, 3, 4, 5], { timeout: 30_000 })) squares.push(s);
  console.log(`map('square', 1..5) in input order -> ${squares.join(', ')}`);

  // Four long tasks keep the four workers busy, so a fifth future waits in the queue.
  for (let i = 0; i < 4; i++) ex.submit('sleepFor', [200]);
  const queued = ex.submit('square', [9]);
  const cancelled = queued.cancel();
  const outcome = await queued.result().catch((e: unknown) => (e instanceof CancelledError ? 'CancelledError' : String(e)));
  console.log(`cancel() of a queued future -> ${cancelled}; result() -> ${outcome}`);
}
console.log('Executor shut down: every submitted future is done.');
