/**
 * Processes and workers: who runs what. `Process` reports Python's exit
 * codes (0 normal return, n after `exit(n)`, 1 after an uncaught error,
 * -15 after `terminate()`); a pool `initializer` runs once in each new
 * worker; `maxTasksPerChild` replaces workers; `currentProcess()` and
 * `parentProcess()` name them. `await using` terminates the pool at the end
 * of the block, as Python's `with Pool() as pool:`.
 */
import { currentProcess, Pool, Process } from '@multiproc/node';

type Tasks = typeof import('./tasks.js');
const tasks = new URL('./tasks.js', import.meta.url);

// Exit codes of a Process.
const ok = new Process<Tasks, 'job'>({ module: tasks, target: 'job', args: ['ok', 0], name: 'Worker-ok' });
const three = new Process<Tasks, 'job'>({ module: tasks, target: 'job', args: ['three', 3], name: 'Worker-three' });
ok.start();
await ok.join();
three.start();
await three.join();
console.log(`${ok.name} exitCode ${ok.exitCode}; ${three.name} exitCode ${three.exitCode}`);

// An uncaught error: the child prints "Process <name>:" and the stack on stderr.
const failing = new Process<Tasks, 'failingJob'>({ module: tasks, target: 'failingJob', name: 'Worker-fail' });
failing.start();
await failing.join();
console.log(`${failing.name} exitCode ${failing.exitCode} (its stack went to stderr)`);

const sleeper = new Process<Tasks, 'sleepFor'>({ module: tasks, target: 'sleepFor', args: [60_000], name: 'Worker-sleeper' });
sleeper.start();
console.log(`${sleeper.name} isAlive() ${sleeper.isAlive()}`);
sleeper.terminate();
await sleeper.join();
console.log(`${sleeper.name} after terminate(): isAlive() ${sleeper.isAlive()}, exitCode ${sleeper.exitCode}`);

// A pool with an initializer and short-lived workers.
{
  await using pool = new Pool<Tasks>(tasks, { processes: 2, initializer: 'setGreeting', initargs: ['bonjour'], maxTasksPerChild: 1 });
  const replies = await pool.map('greet', ['ada', 'alan', 'grace', 'linus'], { chunksize: 1 });
  for (const r of replies) console.log(`${r.text} (from a pool worker, parent ${r.parent})`);
  const workers = new Set(replies.map((r) => r.worker));
  console.log(`${replies.length} tasks ran in ${workers.size} different workers (maxTasksPerChild: 1)`);
}
console.log(`back in ${currentProcess().name}`);
