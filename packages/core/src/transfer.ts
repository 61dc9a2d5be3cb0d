/**
 * Zero-copy results: a task returns `transfer(value, [buffer])` to move
 * buffers back to the parent instead of copying them.
 */

const kTransfer = Symbol.for('multiproc.transfer');

/** A value paired with the buffers to move along with it. */
export interface Transfer<T> {
  readonly [kTransfer]: true;
  readonly value: T;
  readonly transferList: readonly Transferable[];
}

/**
 * Wraps a task's result so the listed buffers are transferred, not copied.
 * The parent receives `value` itself.
 *
 * @example
 * ```ts
 * export function render(w: number, h: number) {
 *   const pixels = new Uint8Array(w * h * 4);
 *   return transfer(pixels, [pixels.buffer]);
 * }
 * ```
 */
export function transfer<T>(value: T, transferList: readonly Transferable[]): Transfer<T> {
  if (!Array.isArray(transferList)) throw new TypeError('transfer: transferList must be an array');
  return { [kTransfer]: true, value, transferList };
}

/** @internal */
export function isTransfer(value: unknown): value is Transfer<unknown> {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[kTransfer] === true;
}
