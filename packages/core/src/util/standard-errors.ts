/**
 * JavaScript's standard error classes by name, shared by the error codec and
 * the queue codec. A Map, never a plain object: a name is data from the other
 * side, and `toString` or `__proto__` must not find Object.prototype's members.
 * AggregateError is left out: its constructor takes the errors first, so each
 * codec that carries it says so itself.
 */
export const standardErrors: ReadonlyMap<string, ErrorConstructor> = new Map<string, ErrorConstructor>([
  ['Error', Error],
  ['TypeError', TypeError],
  ['RangeError', RangeError],
  ['SyntaxError', SyntaxError],
  ['ReferenceError', ReferenceError],
  ['EvalError', EvalError],
  ['URIError', URIError],
]);
