// The worker script of the worker-factory pool: the bundler sees
// new Worker(new URL(...)) in main.js and bundles this with what it imports.
import { currentProcess, expose, StateError } from '@multiproc/browser';
import { fib } from './fib.js';

expose({
  fib,
  whoAmI: () => currentProcess().name,
  // A library error: the minifier renames its class, its name and class must survive anyway.
  failState: () => {
    throw new StateError('bad state');
  },
  failRange: (n) => {
    throw new RangeError(`${n} is out of range`);
  },
});
