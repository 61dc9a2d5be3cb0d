// A futex wait of more than 2³¹−1 ms (about 24.8 days) must reach the engine
// in chunks it honours. Firefox keeps the timeout of `Atomics.waitAsync` in a
// 32-bit integer: `waitAsync(i32, 0, 0, 2 ** 31)` reports 'timed-out' after a
// few ms, so every long wait spun in 7 ms steps (seen in Firefox 153). The
// engine calls are recorded (and passed through) to prove no such value is
// ever handed over, while the waits still end only on a wake.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

type Futex = typeof import('../src/sync/shared-memory/futex.js');

const MAX = 0x7fffffff;
const seenAsync: number[] = [];
const seenSync: number[] = [];
const realWaitAsync = (Atomics as unknown as { waitAsync: (...a: unknown[]) => unknown }).waitAsync;
const realWait = Atomics.wait;
let futex: Futex;

beforeAll(async () => {
  (Atomics as unknown as { waitAsync: unknown }).waitAsync = (ia: Int32Array, i: number, v: number, t?: number) => {
    seenAsync.push(t ?? Infinity);
    return realWaitAsync.call(Atomics, ia, i, v, t);
  };
  (Atomics as { wait: unknown }).wait = (ia: Int32Array, i: number, v: number, t?: number) => {
    seenSync.push(t ?? Infinity);
    return realWait.call(Atomics, ia, i, v, t);
  };
  vi.resetModules();
  futex = await import('../src/sync/shared-memory/futex.js');
});

afterAll(() => {
  (Atomics as unknown as { waitAsync: unknown }).waitAsync = realWaitAsync;
  (Atomics as { wait: unknown }).wait = realWait;
});

describe('futexWait with a timeout beyond 2³¹−1 ms', () => {
  for (const timeout of [2 ** 31, 2 ** 32 + 5, 1e10, Number.MAX_SAFE_INTEGER]) {
    it(`${timeout} ms: the engine never sees more than 2³¹−1, and the wait ends on the wake`, async () => {
      seenAsync.length = 0;
      const i32 = new Int32Array(new SharedArrayBuffer(4));
      const waiting = futex.futexWait(i32, 0, 0, timeout);
      expect(seenAsync.length).toBe(1);
      Atomics.store(i32, 0, 1);
      futex.futexNotify(i32, 0);
      expect(await waiting).toBe('ok');
      expect(seenAsync.every((t) => t <= MAX)).toBe(true);
    });
  }

  it('Infinity is passed on as Infinity (one wait, no chunks)', async () => {
    seenAsync.length = 0;
    const i32 = new Int32Array(new SharedArrayBuffer(4));
    const waiting = futex.futexWait(i32, 0, 0, Infinity);
    Atomics.store(i32, 0, 1);
    futex.futexNotify(i32, 0);
    expect(await waiting).toBe('ok');
    expect(seenAsync).toEqual([Infinity]);
  });

  it('an abort still ends a chunked wait', async () => {
    const i32 = new Int32Array(new SharedArrayBuffer(4));
    const ac = new AbortController();
    const waiting = futex.futexWait(i32, 0, 0, 1e10, ac.signal);
    ac.abort();
    expect(await waiting).toBe('aborted');
  });
});

describe('futexWaitSync with a timeout beyond 2³¹−1 ms', () => {
  it('the engine never sees more than 2³¹−1', () => {
    seenSync.length = 0;
    const i32 = new Int32Array(new SharedArrayBuffer(4));
    for (const timeout of [2 ** 31, 1e10, Number.MAX_SAFE_INTEGER]) {
      // The word is not the expected value, so the wait returns at once.
      expect(futex.futexWaitSync(i32, 0, 1, timeout)).toBe('not-equal');
    }
    expect(seenSync.length).toBe(3);
    expect(seenSync.every((t) => t <= MAX)).toBe(true);
  });
});
