/**
 * Seed program 3: a `Pool` whose results matter. Each `applyAsync` returns
 * an `AsyncResult`; after `close()` and `join()` every `get()` is ready and
 * the results come back in submission order, whatever order the workers
 * finished in.
 *
 * Expected output: the interleaved hello lines, then `done hello 0` …
 * `done hello 9` in order, then `Sub-process(es) done.`
 */
import { type AsyncResult, isMainProcess, Pool } from '@multiproc/node';

// The seed sleeps 1 s; MULTIPROC_DEMO_SLEEP_MS shortens it for the demo and the tests.
const sleepMs = Number(process.env.MULTIPROC_DEMO_SLEEP_MS ?? 1000) || 0;
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export async function func(msg: string): Promise<string> {
  for (let i = 0; i < 3; i++) {
    console.log(msg);
    await sleep(sleepMs);
  }
  return 'done ' + msg;
}

if (isMainProcess()) {
  const pool = new Pool<typeof import('./03-pool-results.js')>(import.meta.url, { processes: 4 });
  const result: AsyncResult<string>[] = [];
  for (let i = 0; i < 10; i++) {
    const msg = `hello ${i}`;
    result.push(pool.applyAsync('func', [msg]));
  }
  pool.close();
  await pool.join();
  for (const res of result) console.log(await res.get());
  console.log('Sub-process(es) done.');
}
