// L6: what draining a lazy result iterator with `for await` costs by itself, with no workers:
// an async iterator whose `next()` returns an already settled promise (the least any `imap`
// can do per item). It bounds W6's `imap` and `imapUnordered`, which a caller drains this way.
import { performance } from 'node:perf_hooks';
import { check } from '../check.mjs';
import { median } from '../stats.mjs';

/** An async iterator of 0..n-1 whose `next()` returns an already settled promise. */
export function settledIterator(n) {
  let i = 0;
  return {
    [Symbol.asyncIterator]() {
      return this;
    },
    next() {
      return Promise.resolve(i < n ? { value: i++, done: false } : { value: undefined, done: true });
    },
  };
}

/** items/s of `for await` over `n` settled items: the median of `passes` passes, after one to warm up. */
export async function forAwaitRate(n, passes = 5) {
  const rates = [];
  for (let p = 0; p <= passes; p++) {
    let sum = 0;
    const t0 = performance.now();
    for await (const x of settledIterator(n)) sum += x;
    const ms = performance.now() - t0;
    check(sum === (n * (n - 1)) / 2, `L6 for await: sum ${sum}, expected ${(n * (n - 1)) / 2}`);
    if (p > 0) rates.push(n / (ms / 1000));
  }
  return median(rates);
}
