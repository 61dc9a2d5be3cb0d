/**
 * How big the next chunk of a `map` is when the caller gave no `chunksize`.
 *
 * Python cuts a map into 4 chunks per worker up front. That is cheap for tiny
 * tasks and bad for uneven ones: when one worker falls behind, a few big
 * chunks cannot rebalance. So, as joblib's auto batching does, chunks are
 * sized by measured task time instead: the pool's throughput over the last
 * round of chunks gives the time one item takes on one worker, and a chunk is
 * made to take about {@link TARGET_MS} (never less than {@link MIN_MS}, so
 * tiny tasks still go in big chunks), with Python's size as the upper bound.
 * Near the end, chunks shrink so the workers finish together.
 *
 * Throughput alone cannot see a fixed cost per chunk: when each chunk takes
 * a few ms whatever its size (a job through Redis), the pool's throughput is
 * one chunk per few ms, an item looks slow, and chunks would stay at one
 * item. So, as joblib also does, a chunk that came back from being sent in
 * less than {@link TARGET_MS} may be followed by one twice its size.
 *
 * `imap`/`imapUnordered` without a chunksize (a stream of unknown length)
 * start at 1 item and grow the same way, up to {@link STREAM_UPPER}.
 *
 * Pure: the caller passes the clock, so the policy is tested with numbers.
 */

/** Chunks before the first measurement are at most this, and a quarter of Python's size: small, so slow items are found out soon. */
export const FIRST_SIZE = 64;
/** The largest chunk of an `imap` without a chunksize (its input has no known length). */
export const STREAM_UPPER = 1024;
/** A chunk should take about this long on one worker. */
export const TARGET_MS = 10;
/** …and at least this long: below it, the per-chunk messaging starts to show. */
export const MIN_MS = 2;

/**
 * Chunk sizes for one map of `total` items on `processes` workers.
 *
 * @example
 * ```ts
 * const sizer = new ChunkSizer(10_000, 2, performance.now()); // or (Infinity, 2, t, undefined, true) for imap
 * const size = sizer.next(10_000);          // a first, measuring size
 * sizer.record(size, performance.now());    // when that chunk is done
 * ```
 */
export class ChunkSizer {
  /** Python's rule, `ceil(total / (4 × processes))`: no chunk is bigger. */
  readonly upper: number;
  readonly #processes: number;
  /** Completions in the measuring window: about one round of every worker. */
  readonly #window: number;
  /** Items of the last `#window` completions (a ring). */
  readonly #items: number[];
  /** Times of the last `#window + 1` completions (a ring): the window and the one before it. */
  readonly #times: number[];
  /** Completions recorded so far. */
  #count = 0;
  /** When the map started: the window's start until it has a completion before it. */
  readonly #start: number;

  /**
   * Items one worker does per ms: measured over the window at each completion; before the
   * first, what an earlier map of the same task measured, if any.
   */
  #perWorker: number | undefined;

  /** Before any measurement, chunks are at most this. */
  readonly #first: number;

  /** The size of the last chunk recorded with its send time if it came back within TARGET_MS, else 0. */
  #quick = 0;

  constructor(total: number, processes: number, start: number, prior?: number, stream = false) {
    this.#perWorker = prior;
    this.upper = stream ? STREAM_UPPER : Math.max(1, Math.ceil(total / (4 * processes)));
    this.#first = stream ? 1 : Math.min(FIRST_SIZE, Math.ceil(this.upper / 4));
    this.#processes = processes;
    this.#window = 4 * processes;
    this.#items = new Array<number>(this.#window).fill(0);
    this.#times = new Array<number>(this.#window + 1).fill(start);
    this.#start = start;
  }

  /**
   * How many chunks to keep submitted and unfinished: a few per worker, so
   * none waits for the parent; half as many before anything is known.
   */
  get inFlight(): number {
    return this.#perWorker === undefined ? this.#window >> 1 : this.#window;
  }

  /** A chunk of `items` items finished at time `at` (ms); `sentAt`: when it was sent, where known. */
  record(items: number, at: number, sentAt?: number): void {
    if (sentAt !== undefined) this.#quick = at - sentAt < TARGET_MS ? items : 0;
    this.#items[this.#count % this.#window] = items;
    this.#times[this.#count % (this.#window + 1)] = at;
    this.#count++;
    this.#perWorker = this.#itemsPerMs() / this.#processes;
  }

  /** The size of the next chunk, `remaining` items being left to submit. */
  next(remaining: number): number {
    const upper = Math.min(this.upper, remaining);
    const perWorker = this.#perWorker;
    // Before any measurement: small chunks, so slow items are found out soon.
    if (perWorker === undefined) return Math.max(1, Math.min(upper, this.#first));
    const target = Math.round(TARGET_MS * perWorker);
    const floor = Math.max(1, Math.round(MIN_MS * perWorker));
    const tail = Math.ceil(remaining / (2 * this.#processes));
    // A chunk that came back quickly may double, whatever throughput says (see the header).
    const grown = Math.max(target, 2 * this.#quick);
    return Math.max(1, Math.min(upper, Math.max(floor, Math.min(grown, tail))));
  }

  /**
   * Items one worker does per ms: measured over the window, else what an
   * earlier map of the same task measured, else undefined.
   */
  perWorker(): number | undefined {
    return this.#perWorker;
  }

  /** The pool's throughput over the window, in items per ms (after at least one completion). */
  #itemsPerMs(): number {
    const n = Math.min(this.#count, this.#window);
    let items = 0;
    for (let i = 0; i < n; i++) items += this.#items[i] as number;
    const ring = this.#window + 1;
    const newest = this.#times[(this.#count - 1) % ring] as number;
    // The window starts at the completion just before its oldest one (until there is one, at the map's start).
    const since = this.#count <= this.#window ? this.#start : (this.#times[(this.#count - 1 - this.#window) % ring] as number);
    const elapsed = newest - since;
    return elapsed > 0 ? items / elapsed : Number.POSITIVE_INFINITY;
  }
}
