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

export function checkOptions(value: unknown, what: string): Record<string, unknown> {
  if (value === undefined) return {};
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new TypeError(`${what} must be an options object, got ${show(value)}`);
  }
  return value as Record<string, unknown>;
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
