/**
 * Seed program 2: a `Pool` of 4 workers. Ten `applyAsync` calls are queued
 * at once (the non-blocking form; `apply` would wait for each), then
 * `close()` and `join()` wait for all of them. The hello lines of four
 * workers interleave; only the last line is fixed.
 *
 * Expected output: `hello 0` … `hello 9`, three of each, in some order,
 * then `Sub-process(es) done.`
 */
import { isMainProcess, Pool } from '@multiproc/node';

// The seed sleeps 1 s; MULTIPROC_DEMO_SLEEP_MS shortens it for the demo and the tests.
const sleepMs = Number(process.env.MULTIPROC_DEMO_SLEEP_MS ?? 1000) || 0;
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export async function func(msg: string): Promise<void> {
  for (let i = 0; i < 3; i++) {
    console.log(msg);
    await sleep(sleepMs);
  }
}

if (isMainProcess()) {
  const pool = new Pool<typeof import('./02-pool.js')>(import.meta.url, { processes: 4 });
  for (let i = 0; i < 10; i++) {
    const msg = `hello ${i}`;
    pool.applyAsync('func', [msg]);
  }
  pool.close();
  await pool.join();
  console.log('Sub-process(es) done.');
}
