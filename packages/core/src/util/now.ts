/** A monotonic clock in milliseconds where the runtime has one. */
export const now: () => number =
  typeof performance !== 'undefined' && typeof performance.now === 'function' ? () => performance.now() : () => Date.now();
