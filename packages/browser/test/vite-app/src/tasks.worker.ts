// The worker-factory source: Vite bundles this worker script (and what it
// imports), so task code may import anything.
import { currentProcess, expose } from '@multiproc/browser';
import { fib } from './fib.js';

expose({
  fib,
  whoAmI: () => currentProcess().name,
});
