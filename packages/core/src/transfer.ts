/**
 * Zero-copy results: a task returns `transfer(value, [buffer])` to move
 * buffers back to the parent instead of copying them.
 */

const kTransfer = Symbol.for('multiproc.transfer');

/**
 * Something `postMessage` can move instead of copying: an `ArrayBuffer`, a
 * `MessagePort`, a stream, an `ImageBitmap`… Declared as `object`, not the DOM
 * lib's `Transferable`, so our declarations compile in a Node project without
 * the DOM lib; the runtime refuses what it cannot move when it posts.
 *
 * @example
 * ```ts
 * const list: TransferableValue[] = [pixels.buffer];
 * ```
 */
export type TransferableValue = object;

/**
 * A value paired with the buffers to move along with it.
 *
 * @example
 * ```ts
 * // tasks.ts: the result's buffer is moved to the parent, not copied
 * export function render(): Transfer<Uint8Array> { const px = draw(); return transfer(px, [px.buffer]); }
 * ```
 */
export interface Transfer<T> {
  readonly [kTransfer]: true;
  readonly value: T;
  readonly transferList: readonly TransferableValue[];
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
export function transfer<T>(value: T, transferList: readonly TransferableValue[]): Transfer<T> {
  if (!Array.isArray(transferList)) throw new TypeError('transfer: transferList must be an array');
  return { [kTransfer]: true, value, transferList };
}

/**
 * Whether a task returned `transfer(value, list)`: the wrapper an adapter or
 * relay unwraps before it sends the value on (its `value` field).
 *
 * @example
 * ```ts
 * const out = isTransfer(result) ? result.value : result;
 * ```
 */
export function isTransfer(value: unknown): value is Transfer<unknown> {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[kTransfer] === true;
}
