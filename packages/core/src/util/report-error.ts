/**
 * Reporting an error thrown by a user's callback that nobody can catch (a
 * result callback, a future's done callback): the page's `reportError` in a
 * browser window, so it shows as an uncaught error there; elsewhere
 * `console.error` with what the library did about it, never an exception
 * that would stop the delivery of other results.
 */

/**
 * Reports `err`, thrown by a user callback; `context` says what goes on regardless.
 *
 * @example
 * ```ts
 * try { cb(value); } catch (err) { reportCallbackError(err, 'a result callback threw; results keep being delivered.'); }
 * ```
 */
export function reportCallbackError(err: unknown, context: string): void {
  const report = (globalThis as { reportError?: (e: unknown) => void }).reportError;
  if (typeof report === 'function' && typeof (globalThis as { window?: unknown }).window !== 'undefined') report(err);
  else console.error(`multiproc: ${context}`, err);
}
