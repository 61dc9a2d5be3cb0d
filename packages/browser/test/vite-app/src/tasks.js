// A task module for the module-URL source. In a production build Vite copies
// it as an asset, untouched, so it is plain JavaScript that imports nothing.
export function square(x) {
  return x * x;
}
