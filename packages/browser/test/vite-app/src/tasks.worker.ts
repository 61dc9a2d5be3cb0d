// The worker-factory source: Vite bundles this worker script (and what it
// imports), so task code may import anything.
import { currentProcess, expose, Queue, StateError } from '@multiproc/browser';
import { fib } from './fib.js';

expose({
  fib,
  whoAmI: () => currentProcess().name,
  // A primitive made in the worker. The page imports none: without shared
  // memory the page brokers it, loading the primitives' lazy chunk first.
  queueRoundTrip: async (n: number) => {
    const queue = new Queue<number>();
    await queue.put(n);
    await queue.put(n + 1);
    return [await queue.get({ timeout: 20_000 }), await queue.get({ timeout: 20_000 })];
  },
  // A library error: in a minified build its class is renamed, its name must not be.
  failState: () => {
    throw new StateError('bad state');
  },
});
