import { Pool, StateError, browserAdapter } from '@multiproc/browser';

type FactoryTasks = { fib: (n: number) => number; whoAmI: () => string; failState: () => never; queueRoundTrip: (n: number) => Promise<number[]> };

const status = document.getElementById('status') as HTMLElement;
const output = document.getElementById('result') as HTMLOutputElement;

async function main(): Promise<void> {
  // A module URL: the adapter's own worker entry imports it.
  await using squares = new Pool<typeof import('./tasks.js')>(new URL('./tasks.js', import.meta.url), { processes: 2 });
  // A worker factory: the bundler sees and bundles the worker script.
  await using fibs = new Pool<FactoryTasks>(() => new Worker(new URL('./tasks.worker.ts', import.meta.url), { type: 'module' }), { processes: 2 });
  const result = {
    crossOriginIsolated,
    sharedMemory: browserAdapter.capabilities.sharedMemory,
    squares: await squares.map('square', [1, 2, 3, 4, 5, 6, 7, 8]),
    fibs: await fibs.map('fib', [10, 20, 25]),
    worker: await fibs.apply('whoAmI', []),
    queued: await fibs.apply('queueRoundTrip', [41]),
    error: await fibs.apply('failState', []).then(
      () => null,
      (e: unknown) => ({ isClass: e instanceof StateError, name: (e as Error).name, code: (e as StateError).code }),
    ),
  };
  output.value = JSON.stringify(result, null, 2);
  status.textContent = 'done';
  document.body.dataset.state = 'done';
}

main().catch((err: unknown) => {
  status.textContent = `failed: ${err instanceof Error ? `${err.name}: ${err.message}` : String(err)}`;
  document.body.dataset.state = 'failed';
});
