// The task module of the module-URL pool. webpack emits it as an asset, untouched, so it
// imports nothing (esbuild bundles it as an entry of its own); the adapter's worker entry
// import()s it at run time.
export function square(x) {
  return x * x;
}

// A built-in error class thrown in the worker: it must arrive in the page as RangeError.
export function tooBig(x) {
  throw new RangeError(`${x} is too big`);
}
