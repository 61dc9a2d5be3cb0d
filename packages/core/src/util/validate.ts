/**
 * Argument checks shared by the public facades: each throws a precise
 * `TypeError`/`RangeError` naming the argument, before any state changes.
 */

/**
 * Undefined (wait forever, as is `Infinity`), or a number of milliseconds
 * (0 and negative mean "do not wait"; any larger value really waits: arm it
 * with `setLongTimeout`).
 */
export function checkTimeout(value: unknown, what: string): number | undefined {
  if (value === undefined || value === null || value === Infinity) return undefined;
  if (typeof value !== 'number' || Number.isNaN(value)) {
    throw new TypeError(`${what} must be a number of milliseconds or undefined, got ${show(value)}`);
  }
  return value < 0 ? 0 : value;
}

export function checkPositiveInt(value: unknown, what: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value)) {
    throw new TypeError(`${what} must be a positive integer, got ${show(value)}`);
  }
  if (value < 1) throw new RangeError(`${what} must be a positive integer, got ${show(value)}`);
  return value;
}

export function checkNonNegativeInt(value: unknown, what: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value)) {
    throw new TypeError(`${what} must be a non-negative integer, got ${show(value)}`);
  }
  if (value < 0) throw new RangeError(`${what} must be a non-negative integer, got ${show(value)}`);
  return value;
}

/**
 * An options object (undefined: none). With `known`, an own key it does not
 * list is a `TypeError` naming it, as Python refuses an unexpected keyword:
 * a misspelt option (`proccesses`) or one of another call (`retries` given
 * to the Pool instead of to `apply`) must not be silently ignored.
 *
 * @example
 * ```ts
 * const LEASE_KEYS = optionKeys<{ lease?: number }>({ lease: true });
 * const o = checkOptions(options, 'Lock options', LEASE_KEYS);   // TypeError for { leese: 1 }
 * ```
 */
export function checkOptions(value: unknown, what: string, known?: OptionKeys): Record<string, unknown> {
  if (value === undefined) return {};
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new TypeError(`${what} must be an options object, got ${show(value)}`);
  }
  if (known !== undefined) {
    for (const key in value) if (Object.hasOwn(value, key) && !known.has(key)) throw unknownOption(what, key, known);
  }
  return value as Record<string, unknown>;
}

/**
 * The option names a call takes (see {@link optionKeys}).
 *
 * @example
 * ```ts
 * const keys: OptionKeys = optionKeys<{ timeout?: number }>({ timeout: true });
 * ```
 */
export type OptionKeys = ReadonlySet<string>;

/**
 * The names of an options type, from a record the compiler checks is complete:
 * adding an option to the interface without adding it here does not compile.
 *
 * @example
 * ```ts
 * const WAIT_KEYS = optionKeys<{ timeout?: number; returnWhen?: string }>({ timeout: true, returnWhen: true });
 * ```
 */
export function optionKeys<T extends object>(keys: { readonly [K in keyof Required<T>]: true }): OptionKeys {
  return new Set(Object.keys(keys));
}

/** `{ timeout }` alone: get, wait, join, result, next and the primitives' waits. */
export const TIMEOUT_OPTION_KEYS: OptionKeys = new Set(['timeout']);

function unknownOption(what: string, key: string, known: OptionKeys): TypeError {
  const names = [...known];
  const near = names.find((name) => name.toLowerCase() === key.toLowerCase()) ?? names.find((name) => editDistance(name, key) <= (name.length >= 7 ? 3 : 2));
  const hint = near === undefined ? '' : ` Did you mean "${near}"?`;
  return new TypeError(`${what}: unknown option ${JSON.stringify(key)}.${hint} The options are: ${names.join(', ')}`);
}

/** Levenshtein distance, for a misspelt option's hint (short names only: an error path). */
function editDistance(a: string, b: string): number {
  if (Math.abs(a.length - b.length) > 3) return 4;
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) row[j] = Math.min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = row;
  }
  return prev[b.length];
}

export function checkFunction(value: unknown, what: string): void {
  if (value !== undefined && typeof value !== 'function') throw new TypeError(`${what} must be a function, got ${show(value)}`);
}

export function checkName(value: unknown, what: string): string {
  if (typeof value !== 'string' || value === '') throw new TypeError(`${what} must be a non-empty string (an exported function's name), got ${show(value)}`);
  return value;
}

export function checkArgs(value: unknown, what: string): unknown[] {
  if (!Array.isArray(value)) throw new TypeError(`${what} must be an array of arguments, got ${show(value)}`);
  return value;
}

export function checkSignal(value: unknown, what: string): AbortSignal | undefined {
  if (value === undefined) return undefined;
  // All three are used later, when no caller is left to hear a TypeError.
  if (
    typeof value !== 'object' ||
    value === null ||
    typeof (value as AbortSignal).aborted !== 'boolean' ||
    typeof (value as AbortSignal).addEventListener !== 'function' ||
    typeof (value as AbortSignal).removeEventListener !== 'function'
  ) {
    throw new TypeError(`${what} must be an AbortSignal, got ${show(value)}`);
  }
  return value as AbortSignal;
}

export function show(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'function') return 'a function';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object' && value !== null) return 'an object';
  return String(value);
}

/**
 * A timeout in ms of the futures API (`wait`, `asCompleted`, `Future.result`, an
 * executor's `map`): undefined (or Infinity) waits for ever; 0 only looks; negative
 * or NaN is a mistake, as Python's `concurrent.futures` users expect.
 */
export function checkWaitTimeout(value: unknown, what: string): number | undefined {
  if (value === undefined || value === null || value === Number.POSITIVE_INFINITY) return undefined;
  if (typeof value !== 'number' || Number.isNaN(value)) throw new TypeError(`${what} must be a number of milliseconds, got ${show(value)}`);
  if (value < 0) throw new RangeError(`${what} must be 0 or more milliseconds, got ${show(value)}`);
  return value;
}
