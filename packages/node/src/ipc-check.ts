/**
 * Deno's `child_process` IPC throws for a message it cannot serialize only
 * later, as an uncaught error that ends the sending process, where Node and
 * Bun throw from `send()` (docs/runtimes.md has the reproduction). On Deno the
 * message is cloned first, so the error comes from `send()` as everywhere and
 * core turns it into an `EncodingError` for that task; elsewhere this costs
 * nothing.
 */

/** Whether `send()` may accept a message it then fails to serialize (Deno). */
const sendFailsLate = typeof (globalThis as { Deno?: unknown }).Deno !== 'undefined';

/**
 * Throws, as Node's `send()` would, if `message` cannot be serialized; only where `send()` does not.
 *
 * @example
 * ```ts
 * checkSendable(message);
 * child.send(message);
 * ```
 */
export function checkSendable(message: unknown): void {
  if (sendFailsLate) structuredClone(message);
}
