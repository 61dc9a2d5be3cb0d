/**
 * A running summary of durations (ms) for `pool.stats()`: count, mean and max
 * over every sample, p50 and p99 over the most recent ones (a fixed ring, so
 * recording costs the same at the millionth task as at the first).
 */

/**
 * A summary of durations in ms, as `pool.stats()` reports them (all 0 while `count` is 0).
 *
 * @example
 * ```ts
 * const run: DurationSummary = pool.stats().runTime;
 * console.log(`p50 ${run.p50} ms, p99 ${run.p99} ms over ${run.count} tasks`);
 * ```
 */
export interface DurationSummary {
  readonly count: number;
  readonly mean: number;
  readonly p50: number;
  readonly p99: number;
  readonly max: number;
}

/** Samples kept for the percentiles. */
const RING = 1024;

export class TimeSummary {
  #count = 0;
  #sum = 0;
  #max = 0;
  readonly #ring = new Float64Array(RING);
  #next = 0;
  #filled = 0;

  /** `n` tasks that took `ms` each (a batch reported at once shares its time). */
  add(ms: number, n = 1): void {
    const v = Math.max(ms, 0);
    this.#count += n;
    this.#sum += v * n;
    if (v > this.#max) this.#max = v;
    this.#ring[this.#next] = v;
    this.#next = (this.#next + 1) % RING;
    if (this.#filled < RING) this.#filled++;
  }

  snapshot(): DurationSummary {
    if (this.#count === 0) return { count: 0, mean: 0, p50: 0, p99: 0, max: 0 };
    const sorted = this.#ring.slice(0, this.#filled).sort();
    const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
    return { count: this.#count, mean: this.#sum / this.#count, p50: at(0.5), p99: at(0.99), max: this.#max };
  }
}
