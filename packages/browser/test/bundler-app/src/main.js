// The page: one pool per way of naming the tasks, each run with map() and made to fail once,
// the outcome written to #result as JSON and `data-state` set on <body> for the test to wait on.
import { Pool, StateError } from '@multiproc/browser';

const status = document.getElementById('status');
const output = document.getElementById('result');

/** What a rejected task gave the page, in a form JSON keeps. */
function describe(e) {
  return { isRangeError: e instanceof RangeError, isStateError: e instanceof StateError, name: e?.name, code: e?.code ?? null, message: e?.message };
}

async function outcome(promise) {
  return promise.then(() => null, describe);
}

async function main() {
  // A module URL: the adapter's own worker entry import()s it at run time.
  const squares = new Pool(new URL('./tasks.js', import.meta.url), { processes: 2 });
  // A worker factory: the bundler sees the worker script and bundles it.
  const fibs = new Pool(() => new Worker(new URL('./tasks.worker.js', import.meta.url), { type: 'module' }), { processes: 2 });
  try {
    const result = {
      crossOriginIsolated,
      squares: await squares.map('square', [1, 2, 3, 4, 5, 6, 7, 8]),
      squareError: await outcome(squares.apply('tooBig', [7])),
      fibs: await fibs.map('fib', [10, 20, 25]),
      worker: await fibs.apply('whoAmI', []),
      stateError: await outcome(fibs.apply('failState', [])),
      rangeError: await outcome(fibs.apply('failRange', [3])),
    };
    if (new URLSearchParams(location.search).has('lib-task')) {
      const named = new Pool(new URL('./tasks-lib.js', import.meta.url), { processes: 1 });
      try {
        result.libTaskWorker = await named.apply('whoAmI', []);
      } finally {
        await named.terminate();
      }
    }
    output.value = JSON.stringify(result);
    status.textContent = 'done';
    document.body.dataset.state = 'done';
  } finally {
    await Promise.all([squares.terminate(), fibs.terminate()]);
  }
}

main().catch((err) => {
  status.textContent = `failed: ${err?.name}: ${err?.message}`;
  document.body.dataset.state = 'failed';
});
