// Code the worker-factory script imports: the bundler must follow it into the worker chunk.
export function fib(n) {
  return n < 2 ? n : fib(n - 1) + fib(n - 2);
}
