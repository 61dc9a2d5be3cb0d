/**
 * A `setTimeout` for any user-given duration. Runtimes keep a timer's delay in
 * a signed 32-bit integer: a delay above 2³¹−1 ms (about 24.8 days) fires
 * after 1 ms (Node also prints a `TimeoutOverflowWarning`). Here a longer
 * delay is armed in chunks of at most 2³¹−1 ms, re-armed until it has all
 * passed, and `Infinity` arms nothing. A delay that fits stays one plain
 * `setTimeout`, so the common path costs what it did.
 */

/** The longest delay one `setTimeout` honours: 2³¹−1 ms. */
export const MAX_TIMER_DELAY = 0x7fffffff;

/** A delay longer than {@link MAX_TIMER_DELAY}, armed one chunk at a time. */
class LongTimer {
  #left: number;
  #handle: ReturnType<typeof setTimeout> | undefined;
  readonly #fn: () => void;

  constructor(fn: () => void, ms: number) {
    this.#fn = fn;
    this.#left = ms;
    this.#arm();
  }

  // Counting the chunks down, not reading a clock: each setTimeout waits at
  // least its chunk, so the whole never fires early, and fake clocks agree.
  #arm(): void {
    const chunk = Math.min(this.#left, MAX_TIMER_DELAY);
    this.#left -= chunk;
    this.#handle = setTimeout(this.#tick, chunk);
  }

  readonly #tick = (): void => {
    this.#handle = undefined;
    if (this.#left > 0) this.#arm();
    else this.#fn();
  };

  cancel(): void {
    if (this.#handle !== undefined) clearTimeout(this.#handle);
    this.#handle = undefined;
  }
}

/** What {@link setLongTimeout} returns; pass it to {@link clearLongTimeout}. */
export type LongTimeout = ReturnType<typeof setTimeout> | LongTimer;

/**
 * Calls `fn` once after `ms` milliseconds, however long that is. Returns
 * `undefined` for `Infinity` (nothing to arm: it never fires).
 *
 * @example
 * ```ts
 * const t = setLongTimeout(() => reject(new TimeoutError('late')), timeout);
 * // ...
 * clearLongTimeout(t);
 * ```
 */
export function setLongTimeout(fn: () => void, ms: number): LongTimeout | undefined {
  // `!(ms > max)` keeps NaN on the plain path, where it behaved as before.
  if (!(ms > MAX_TIMER_DELAY)) return setTimeout(fn, ms);
  if (ms === Infinity) return undefined;
  return new LongTimer(fn, ms);
}

/** Cancels a timer from {@link setLongTimeout}, whichever chunk it is in; `undefined` is ignored. */
export function clearLongTimeout(timer: LongTimeout | undefined): void {
  if (timer === undefined) return;
  if (timer instanceof LongTimer) timer.cancel();
  else clearTimeout(timer);
}
