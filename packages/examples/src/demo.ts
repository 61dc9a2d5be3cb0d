/**
 * Runs every example in turn, each as its own `node` process (as a user
 * would run it), with a header line before each. Exits with 1 if any
 * example fails. The seed programs' 1 s sleeps are shortened to
 * MULTIPROC_DEMO_SLEEP_MS (100 ms here unless set).
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** The examples, in order: file (relative to this one), what it shows, and arguments that keep the demo short. */
export const examples: readonly { readonly file: string; readonly title: string; readonly args?: readonly string[] }[] = [
  { file: './seed/01-process.js', title: 'seed 1: one Process, started and joined' },
  { file: './seed/02-pool.js', title: 'seed 2: Pool(processes=4), ten applyAsync calls, close, join' },
  { file: './seed/03-pool-results.js', title: 'seed 3: the same, collecting each AsyncResult with get()' },
  { file: './04-map-chunks.js', title: 'map, starmap, imap, imapUnordered and mapAsync on a typed pool' },
  { file: './05-errors.js', title: 'errors: task errors, dead workers, timeouts, aborts' },
  { file: './06-process-lifecycle.js', title: 'Process exit codes, initializer, maxTasksPerChild, await using' },
  { file: './07-futures-progress.js', title: 'ThreadPoolExecutor: futures, a progress bar with asCompleted, map, cancel' },
  { file: './09-bounded-search.js', title: 'a SHA-256 brute-force search on N workers, all stopped by one AbortSignal', args: ['--secret', 'hunt'] },
  {
    file: './10-hash-compress.js',
    title: "SHA-256, gzip and brotli of every file of core's sources, with imapUnordered",
    args: [fileURLToPath(new URL('../../core/src', import.meta.url)), '--quality', '5'],
  },
  { file: './11-producer-consumer.js', title: 'producers and consumers: JoinableQueue, a Value under a Lock, an Event to stop' },
];

const env = { ...process.env, MULTIPROC_DEMO_SLEEP_MS: process.env.MULTIPROC_DEMO_SLEEP_MS ?? '100' };
const failed: string[] = [];

for (const { file, title, args: extra = [] } of examples) {
  const path = fileURLToPath(new URL(file, import.meta.url));
  console.log(`\n=== ${file.slice(2)}: ${title} ===`);
  // Each example runs on the runtime running this demo; Deno needs its permissions granted (`run -A`).
  const args = [...(typeof (globalThis as { Deno?: unknown }).Deno !== 'undefined' ? ['run', '-A', path] : [path]), ...extra];
  const run = spawnSync(process.execPath, args, { stdio: 'inherit', env });
  if (run.status !== 0) {
    const how = run.error ? run.error.message : run.signal ? `signal ${run.signal}` : `exit code ${run.status}`;
    console.error(`!!! ${file.slice(2)} failed (${how})`);
    failed.push(file.slice(2));
  }
}

console.log(failed.length === 0 ? `\nAll ${examples.length} examples ran.` : `\n${failed.length} of ${examples.length} examples failed: ${failed.join(', ')}`);
process.exitCode = failed.length === 0 ? 0 : 1;
