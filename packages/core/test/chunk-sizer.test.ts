// map's chunk sizes without a chunksize (src/pool/chunk-sizer.ts), with a
// clock the test drives: Python's size is the ceiling, measured time per item
// sets the size, tiny tasks still go in big chunks, and the tail shrinks.
import { describe, expect, it } from 'vitest';
import { ChunkSizer, FIRST_SIZE, MIN_MS, TARGET_MS } from '../src/pool/chunk-sizer.js';

/** Runs `rounds` completions of `size`-item chunks taking `msPerItem` each on one of `processes` workers. */
function drive(sizer: ChunkSizer, processes: number, msPerItem: number, rounds: number, remaining: number): number {
  let t = 0;
  for (let i = 0; i < rounds; i++) {
    const size = sizer.next(remaining);
    // `processes` workers in parallel: the pool finishes one chunk every size × msPerItem / processes ms.
    t += (size * msPerItem) / processes;
    sizer.record(size, t);
  }
  return sizer.next(remaining);
}

describe('ChunkSizer', () => {
  it("has Python's rule as its ceiling", () => {
    expect(new ChunkSizer(100, 2, 0).upper).toBe(13);
    expect(new ChunkSizer(10_000, 4, 0).upper).toBe(625);
    expect(new ChunkSizer(3, 2, 0).upper).toBe(1);
  });

  it(`starts small (a quarter of the ceiling, at most ${FIRST_SIZE}), so the first measurement comes soon`, () => {
    expect(new ChunkSizer(10_000, 2, 0).next(10_000)).toBe(FIRST_SIZE);
    expect(new ChunkSizer(100, 2, 0).next(100)).toBe(4);
    // Half the window in flight before anything is measured.
    expect(new ChunkSizer(100, 2, 0).inFlight).toBe(4);
  });

  it("starts from an earlier map's measurement of the same task when there is one", () => {
    // 0.1 ms per item on one worker: 10 items per ms.
    const sizer = new ChunkSizer(1_000_000, 2, 0, 10);
    expect(sizer.next(1_000_000)).toBe(100);
    expect(sizer.inFlight).toBe(8);
  });

  it('gives tiny tasks the ceiling', () => {
    const sizer = new ChunkSizer(10_000, 2, 0);
    expect(drive(sizer, 2, 0.0005, 10, 9_000)).toBe(1_250);
  });

  it('gives tasks of 30 ms one item per chunk', () => {
    const sizer = new ChunkSizer(1_000, 2, 0);
    expect(drive(sizer, 2, 30, 8, 900)).toBe(1);
  });

  it(`sizes a chunk to about ${TARGET_MS} ms of one worker's time`, () => {
    const sizer = new ChunkSizer(1_000_000, 2, 0);
    // 0.1 ms per item → 100 items make 10 ms.
    expect(drive(sizer, 2, 0.1, 20, 900_000)).toBe(100);
  });

  it(`shrinks the tail so the workers finish together, but not below ${MIN_MS} ms of work`, () => {
    const sizer = new ChunkSizer(1_000_000, 2, 0);
    drive(sizer, 2, 0.1, 20, 900_000);
    // 0.1 ms per item: 10 ms is 100 items, the floor of 2 ms is 20.
    // 200 left: 200 / (2 × 2) = 50 per chunk.
    expect(sizer.next(200)).toBe(50);
    // 40 left: 40 / 4 = 10 is below the floor, so 20.
    expect(sizer.next(40)).toBe(20);
    // 8 left: at most what remains.
    expect(sizer.next(8)).toBe(8);
  });

  it('adapts when tasks get slower, from the last round of chunks only', () => {
    const sizer = new ChunkSizer(1_000_000, 2, 0);
    // 0.001 ms per item: 10,000 items make 10 ms (below the ceiling of 125,000).
    expect(drive(sizer, 2, 0.001, 20, 900_000)).toBe(10_000);
    expect(drive(sizer, 2, 5, 8, 800_000)).toBe(2);
  });

  it('never returns more than remains, nor less than 1', () => {
    const sizer = new ChunkSizer(100, 2, 0);
    expect(sizer.next(1)).toBe(1);
    sizer.record(4, 0);
    // Finished in no time at all: an infinite rate still stays within bounds.
    expect(sizer.next(3)).toBe(3);
    expect(sizer.next(100)).toBe(13);
  });
});

describe('ChunkSizer when each chunk costs a fixed overhead (a job through Redis)', () => {
  /**
   * `running` chunks at once (an imap's buffersize, or the hosts' job slots, fewer than the
   * pool's `processes`), each taking `overheadMs` plus `msPerItem` per item from send to
   * result; `sent`: whether the sizer is told when each chunk was sent.
   */
  function overhead(sizer: ChunkSizer, running: number, overheadMs: number, msPerItem: number, rounds: number, sent = true): number[] {
    const sizes: number[] = [];
    let t = 0;
    for (let i = 0; i < rounds; i++) {
      const size = sizer.next(Number.POSITIVE_INFINITY);
      sizes.push(size);
      const took = overheadMs + size * msPerItem;
      t += took / running;
      sizer.record(size, t, sent ? t - took : undefined);
    }
    return sizes;
  }

  it('grows chunks that come back sooner than the target, where measured throughput alone keeps them at one item', () => {
    const stream = () => new ChunkSizer(Number.POSITIVE_INFINITY, 8, 0, undefined, true);
    const sizes = overhead(stream(), 4, 5, 0.001, 40);
    expect(sizes[0]).toBe(1);
    expect(Math.max(...sizes)).toBeGreaterThanOrEqual(512);
    // Not told when chunks were sent, it stays at one item: what it did before.
    expect(Math.max(...overhead(stream(), 4, 5, 0.001, 40, false))).toBeLessThanOrEqual(2);
  });

  it(`keeps slow items one at a time: a chunk of one that takes more than ${TARGET_MS} ms does not grow`, () => {
    const sizes = overhead(new ChunkSizer(Number.POSITIVE_INFINITY, 8, 0, undefined, true), 4, 5, 50, 40);
    expect(new Set(sizes)).toEqual(new Set([1]));
  });

  it("never passes Python's ceiling", () => {
    const sizer = new ChunkSizer(1000, 2, 0);
    const sizes = Array.from({ length: 30 }, (_, i) => {
      const size = sizer.next(1000);
      sizer.record(size, 5 * (i + 1), 5 * i);
      return size;
    });
    expect(Math.max(...sizes)).toBe(sizer.upper);
  });
});
