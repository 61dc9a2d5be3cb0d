/**
 * The submission-time clone check shared by `Pool` (initargs) and `Process`
 * (args): a value that cannot cross to a worker is refused before any worker
 * is spawned, so a refusal leaves nothing running.
 */
import { EncodingError } from '../errors.js';

/**
 * Throws `EncodingError` (its `cause` the runtime's `DataCloneError`) when
 * `value` cannot be structured-cloned.
 *
 * @example
 * ```ts
 * assertCloneable(args, 'args'); // EncodingError: args cannot be sent to a worker: ...
 * ```
 */
export function assertCloneable(value: unknown, what: string): void {
  try {
    structuredClone(value);
  } catch (err) {
    throw new EncodingError(`${what} cannot be sent to a worker: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
  }
}
