// The worker-factory source: Vite bundles this worker script (and what it
// imports), so task code may import anything.
import { currentProcess, expose, StateError } from '@multiproc/browser';
import { fib } from './fib.js';

expose({
  fib,
  whoAmI: () => currentProcess().name,
  // A library error: in a minified build its class is renamed, its name must not be.
  failState: () => {
    throw new StateError('bad state');
  },
});
