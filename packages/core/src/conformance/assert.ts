/**
 * The few assertions the conformance suite needs, runner-neutral (no vitest,
 * node:assert or DOM), so the same cases run under vitest, browsers, Deno and Bun.
 */

/**
 * Polls `check` until it is true; fails after `ms` (20 s by default: a deadline
 * for a loaded machine, never a timing assertion).
 */
export async function until(check: () => boolean, what: string, ms = 20_000): Promise<void> {
  for (const t0 = Date.now(); !check(); await new Promise((r) => setTimeout(r, 10))) {
    if (Date.now() - t0 > ms) throw new AssertionFailed(`timed out after ${ms} ms waiting for ${what}`);
  }
}

/**
 * Settles like `promise`, or fails naming `what` after `ms` (20 s): a fault
 * case bounds each await so a hang fails fast and says what hung.
 */
export async function within<T>(promise: PromiseLike<T>, what: string, ms = 20_000): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    return await Promise.race([
      promise,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new AssertionFailed(`${what} did not settle within ${ms} ms`)), ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Runs `run` and counts the errors with this `message` the library reported
 * meanwhile (a user callback that threw): through `console.error`, or in a
 * browser window through `reportError`, whose `error` event is marked handled
 * so the page's test runner does not fail.
 */
export async function reportedDuring(message: string, run: () => Promise<void>): Promise<number> {
  const original = console.error;
  let reported = 0;
  console.error = (...args: unknown[]) => {
    if (args.some((a) => (a as Error | undefined)?.message === message)) reported++;
  };
  const g = globalThis as { window?: unknown; addEventListener?: (t: string, f: (e: ErrorEvent) => void) => void; removeEventListener?: (t: string, f: (e: ErrorEvent) => void) => void };
  const onError = (event: ErrorEvent): void => {
    if ((event.error as Error | undefined)?.message !== message) return;
    reported++;
    event.preventDefault();
  };
  const inWindow = g.window !== undefined && typeof g.addEventListener === 'function';
  if (inWindow) g.addEventListener?.('error', onError);
  try {
    await run();
  } finally {
    console.error = original;
    if (inWindow) g.removeEventListener?.('error', onError);
  }
  return reported;
}

export class AssertionFailed extends Error {
  override name = 'AssertionFailed';
}

export function ok(value: unknown, message = 'expected a truthy value'): asserts value {
  if (!value) throw new AssertionFailed(message);
}

export function equal<T>(actual: T, expected: T, message?: string): void {
  if (!Object.is(actual, expected)) throw new AssertionFailed(`${message ? message + ': ' : ''}expected ${fmt(expected)}, got ${fmt(actual)}`);
}

export function deepEqual(actual: unknown, expected: unknown, message?: string): void {
  if (!same(actual, expected)) throw new AssertionFailed(`${message ? message + ': ' : ''}expected ${fmt(expected)}, got ${fmt(actual)}`);
}

type Class<E> = abstract new (...args: never[]) => E;

/** Awaits `promise`, which must reject with an instance of `cls`; returns the error. */
export async function rejects<E>(promise: PromiseLike<unknown>, cls: Class<E>, message?: string): Promise<E> {
  let value: unknown;
  try {
    value = await promise;
  } catch (err) {
    if (err instanceof cls) return err;
    throw new AssertionFailed(`${message ? message + ': ' : ''}expected a ${cls.name}, got ${describeError(err)}`);
  }
  throw new AssertionFailed(`${message ? message + ': ' : ''}expected a ${cls.name}, but it resolved with ${fmt(value)}`);
}

/** Calls `fn`, which must throw an instance of `cls` synchronously; returns the error. */
export function throws<E>(fn: () => unknown, cls: Class<E>, message?: string): E {
  let value: unknown;
  try {
    value = fn();
  } catch (err) {
    if (err instanceof cls) return err;
    throw new AssertionFailed(`${message ? message + ': ' : ''}expected a ${cls.name} to be thrown, got ${describeError(err)}`);
  }
  if (value instanceof Promise) value.catch(() => {});
  throw new AssertionFailed(`${message ? message + ': ' : ''}expected a ${cls.name} to be thrown, but it returned ${fmt(value)}`);
}

function describeError(err: unknown): string {
  return err instanceof Error ? `${err.name}: ${err.message}` : fmt(err);
}

function same(a: unknown, b: unknown): boolean {
  if (Object.is(a, b)) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  if (ka.length !== kb.length) return false;
  for (const k of ka) if (!same((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k])) return false;
  return true;
}

function fmt(value: unknown): string {
  try {
    const s = JSON.stringify(value);
    if (s !== undefined) return s.length > 200 ? s.slice(0, 200) + '…' : s;
  } catch {
    // fall through
  }
  return String(value);
}
