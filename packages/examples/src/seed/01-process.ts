/**
 * Seed program 1: one `Process`. Python's
 * `multiprocessing.Process(target=func, args=("hello",))`, then `start()`
 * and `join()`. The worker imports this same file, so the code that makes
 * the process sits behind `isMainProcess()`, as Python's
 * `if __name__ == "__main__"`.
 *
 * Expected output: `hello` three times (printed by the worker), then
 * `Sub-process done.`
 */
import { isMainProcess, Process } from '@multiproc/node';

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
  const p = new Process<typeof import('./01-process.js')>({ module: import.meta.url, target: 'func', args: ['hello'] });
  p.start();
  await p.join();
  console.log('Sub-process done.');
}
