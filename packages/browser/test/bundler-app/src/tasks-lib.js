// A module-URL task module that imports the library. Only the esbuild build uses it (the page
// asks with ?lib-task): esbuild bundles it as an entry of its own, while webpack and Vite copy a
// module URL's file untouched, so its bare import would not resolve there.
import { currentProcess } from '@multiproc/browser';

// Answers PoolWorker-N only when this module shares the worker's copy of the library.
export function whoAmI() {
  return currentProcess().name;
}
