/**
 * Option parsing shared by the primitives: every blocking call takes
 * `{ timeout? }` in milliseconds; `undefined` waits forever, `0` and negative
 * values mean "do not wait" (SEMANTICS X01, Python's multiprocessing rule).
 */
import { checkOptions, checkTimeout, TIMEOUT_OPTION_KEYS } from '../util/validate.js';

import type { WaitOptions } from '../pool/async-result.js';

/** Options of every call that can wait: `{ timeout? }` in ms. */
export type { WaitOptions };

/** The timeout of `options` in ms: `Infinity` when absent, `0` for zero or negative. */
export function timeoutOf(options: unknown, what: string): number {
  const t = checkTimeout(checkOptions(options, `${what} options`, TIMEOUT_OPTION_KEYS).timeout, `${what} options.timeout`);
  return t === undefined ? Infinity : t;
}

/** A timeout as it travels (JSON has no Infinity): null waits forever. */
export type WireTimeout = number | null;

/** A timeout as it travels (JSON has no Infinity): null waits forever. */
export function wireTimeout(ms: number): WireTimeout {
  return ms === Infinity ? null : ms;
}

/** Back from {@link wireTimeout}. */
export function fromWireTimeout(value: unknown): number {
  return typeof value === 'number' ? value : Infinity;
}
