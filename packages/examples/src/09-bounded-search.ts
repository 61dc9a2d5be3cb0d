/**
 * A brute-force search with bounded concurrency, the seed article's last
 * part ("Python控制多进程与多线程并发数"): its author had 2,220,000 passwords
 * to try and did not want 2,220,000 threads. Here a `Pool` of N workers is
 * the bound. The keyspace (every lowercase word of one length: 11,881,376
 * words of 5 letters) is cut into ranges, one task per range, and the pool
 * runs N of them at a time. Each task hashes its words with SHA-256
 * (node:crypto) and compares them with a target digest.
 *
 * As soon as one range finds the word, every other worker is stopped: all
 * tasks share one `AbortSignal`, and aborting it removes the queued ranges
 * at once and aborts `taskSignal()` inside the running ones, which check it
 * between batches and return. Shared counters (a `SharedArray` updated with
 * `Atomics`) say how many ranges started, finished and were stopped, and how
 * many words were hashed. The search runs twice, on one worker and on N, to
 * print the speedup.
 *
 * Usage: `node dist/09-bounded-search.js [--secret multi] [--length 5]
 * [--workers N] [--ranges 64]` (`--target <hex>` searches for a digest you
 * give instead of the secret's). A progress bar is drawn when stdout is a
 * terminal; otherwise plain lines are printed.
 *
 * The file is its own task module, as in Python: workers import it, and
 * `isMainProcess()` keeps the searching code out of them.
 */
import { createHash } from 'node:crypto';
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { AbortError, cpuCount, isMainProcess, Pool, SharedArray, taskSignal } from '@multiproc/node';

const ALPHABET = 'abcdefghijklmnopqrstuvwxyz';
/** Words hashed between two looks at the task's signal. */
const BATCH = 1024;

/** Slots of the shared counters. */
const STARTED = 0;
const FINISHED = 1;
const STOPPED = 2;
const HASHED = 3;

/** What a range task returns. */
export interface RangeOutcome {
  /** The word whose digest is the target, or null if the range has none (or was stopped). */
  readonly found: string | null;
  /** Its key (its index in the keyspace), or -1. */
  readonly key: number;
}

/** The word with index `key` among the words of `length` letters (first letter most significant). */
export function wordOf(key: number, length: number): string {
  let word = '';
  for (let i = 0; i < length; i++) {
    word = ALPHABET[key % ALPHABET.length] + word;
    key = Math.floor(key / ALPHABET.length);
  }
  return word;
}

/** The index of `word` in the keyspace: the inverse of `wordOf`. */
export function keyOf(word: string): number {
  let key = 0;
  for (const c of word) key = key * ALPHABET.length + ALPHABET.indexOf(c);
  return key;
}

/**
 * The task: hashes the words with keys `start` to `end - 1` and returns the
 * one whose SHA-256 is `targetHex`. Every `BATCH` words it yields to the
 * event loop, so the abort message can arrive, and returns early when
 * `taskSignal()` says the search is over.
 */
export async function searchRange(targetHex: string, length: number, start: number, end: number, counters: SharedArray<'uint32'>): Promise<RangeOutcome> {
  const signal = taskSignal();
  const target = Buffer.from(targetHex, 'hex');
  const tally = counters.array;
  if (signal.aborted) return { found: null, key: -1 }; // sent to this worker ahead, stopped before it began
  Atomics.add(tally, STARTED, 1);
  // The current word as letter codes, advanced like an odometer.
  const word = Buffer.from(wordOf(start, length), 'latin1');
  let counted = start; // keys below this one are in the HASHED counter already
  for (let key = start; key < end; ) {
    const batchEnd = Math.min(end, key + BATCH);
    for (; key < batchEnd; key++) {
      if (createHash('sha256').update(word).digest().equals(target)) {
        Atomics.add(tally, HASHED, key + 1 - counted);
        Atomics.add(tally, FINISHED, 1);
        return { found: word.toString('latin1'), key };
      }
      for (let i = length - 1; i >= 0; i--) {
        if (word[i] !== 122 /* z */) {
          word[i] = (word[i] as number) + 1;
          break;
        }
        word[i] = 97; // a, and carry into the letter before
      }
    }
    Atomics.add(tally, HASHED, key - counted);
    counted = key;
    await yieldToEventLoop();
    if (signal.aborted) {
      Atomics.add(tally, STOPPED, 1);
      return { found: null, key: -1 };
    }
  }
  Atomics.add(tally, FINISHED, 1);
  return { found: null, key: -1 };
}

// --- the main program ---

/** One search's result and the shared counters' final values. */
interface SearchReport {
  readonly hit: RangeOutcome | null;
  readonly seconds: number;
  readonly started: number;
  readonly finished: number;
  readonly stopped: number;
  readonly hashed: number;
}

const fmt = (n: number): string => n.toLocaleString('en-US');

/** A text progress bar: `[#####...............] 25%`. */
function bar(done: number, total: number, width = 30): string {
  const filled = Math.min(width, Math.round((done / total) * width));
  return `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${Math.floor((done / total) * 100)}%`;
}

/**
 * Progress: on a terminal a bar of words hashed, redrawn ten times a second
 * from the shared counters; piped (as in the tests), a plain line at each
 * quarter of the ranges searched.
 */
function progress(counters: SharedArray<'uint32'>, keyspace: number, ranges: number): { rangeDone(done: number): void; end(): void } {
  if (process.stdout.isTTY) {
    const draw = (): void => {
      process.stdout.write(`\r  ${bar(counters.array[HASHED] as number, keyspace)} ${fmt(counters.array[HASHED] as number)} words hashed`);
    };
    const timer = setInterval(draw, 100);
    return {
      rangeDone: () => {},
      end: () => {
        clearInterval(timer);
        draw();
        process.stdout.write('\n');
      },
    };
  }
  const step = Math.max(1, Math.ceil(ranges / 4));
  return {
    rangeDone: (done) => {
      if (done % step === 0) console.log(`  searched ${done}/${ranges} ranges`);
    },
    end: () => {},
  };
}

/** Splits keys 0..keyspace-1 into `count` ranges [start, end) of (almost) equal size. */
function rangesOf(keyspace: number, count: number): [number, number][] {
  const size = Math.ceil(keyspace / count);
  const out: [number, number][] = [];
  for (let start = 0; start < keyspace; start += size) out.push([start, Math.min(keyspace, start + size)]);
  return out;
}

/**
 * Searches every range on a pool of `workers`, at most `workers` ranges at a
 * time, and stops them all as soon as one finds the word.
 */
async function search(workers: number, targetHex: string, length: number, ranges: readonly [number, number][]): Promise<SearchReport> {
  const counters = new SharedArray('uint32', 4, { lock: false });
  const pool = new Pool<typeof import('./09-bounded-search.js')>(import.meta.url, { processes: workers });
  const stop = new AbortController();
  try {
    // Every worker has started before the clock does.
    await pool.ready();
    const shown = progress(counters, ALPHABET.length ** length, ranges.length);
    const t0 = performance.now();
    const hit = await new Promise<RangeOutcome | null>((resolve, reject) => {
      let done = 0;
      for (const [start, end] of ranges) {
        pool.apply('searchRange', [targetHex, length, start, end, counters], { signal: stop.signal }).then(
          (outcome) => {
            shown.rangeDone(++done);
            if (outcome.found !== null) resolve(outcome);
            else if (done === ranges.length) resolve(null);
          },
          // The ranges still queued or running when the search stops reject with AbortError.
          (err: unknown) => {
            if (!(err instanceof AbortError)) reject(err);
          },
        );
      }
    });
    const seconds = (performance.now() - t0) / 1000;
    stop.abort(new Error('the word was found'));
    shown.end();
    // Stopped tasks return at their next look at taskSignal(); join() waits for them and the workers.
    pool.close();
    await pool.join();
    const [started, finished, stopped, hashed] = counters.array;
    return { hit, seconds, started: started ?? 0, finished: finished ?? 0, stopped: stopped ?? 0, hashed: hashed ?? 0 };
  } finally {
    stop.abort(new Error('the search ended'));
    await pool.terminate();
  }
}

if (isMainProcess()) {
  const { values } = parseArgs({
    options: {
      secret: { type: 'string', default: 'multi' },
      target: { type: 'string' },
      length: { type: 'string' },
      workers: { type: 'string' },
      ranges: { type: 'string', default: '64' },
    },
  });
  const length = Number(values.length ?? values.secret.length);
  if (!(Number.isInteger(length) && length >= 1 && length <= 6)) throw new RangeError(`--length must be 1 to 6, got ${values.length}`);
  if (values.target === undefined && !new RegExp(`^[a-z]{${length}}$`).test(values.secret)) {
    throw new RangeError(`--secret must be ${length} lowercase letters, got ${JSON.stringify(values.secret)}`);
  }
  const targetHex = values.target ?? createHash('sha256').update(values.secret).digest('hex');
  const workers = Number(values.workers ?? cpuCount());
  const keyspace = ALPHABET.length ** length;
  const ranges = rangesOf(keyspace, Number(values.ranges));

  console.log(`target SHA-256: ${targetHex}`);
  console.log(`keyspace: ${fmt(keyspace)} words of ${length} lowercase letters, in ${ranges.length} ranges of up to ${fmt(ranges[0]?.[1] ?? 0)}`);
  const reports: SearchReport[] = [];
  for (const n of [1, workers]) {
    console.log(`${n} worker${n === 1 ? '' : 's'}:`);
    const r = await search(n, targetHex, length, ranges);
    reports.push(r);
    if (r.hit === null) console.log('  not found: no word of this length has that digest');
    else console.log(`  found "${r.hit.found}" at key ${fmt(r.hit.key)} (range ${Math.floor(r.hit.key / (ranges[0]?.[1] ?? 1)) + 1} of ${ranges.length})`);
    console.log(`  ranges: ${r.started} of ${ranges.length} started (${r.finished} ran to the end or found it, ${r.stopped} stopped early), ${ranges.length - r.started} never started`);
    console.log(`  ${fmt(r.hashed)} words hashed in ${r.seconds.toFixed(2)} s (${fmt(Math.round(r.hashed / r.seconds))} words/s)`);
  }
  const [one, many] = reports;
  if (one !== undefined && many !== undefined) console.log(`speedup over one worker: ${(one.seconds / many.seconds).toFixed(1)}x`);
}
