// The queue's storage and codec through the public API, in one agent: the ring
// wrapping around and growing while wrapped, large and odd items, and what the
// codec keeps and drops (docs/api.md, "Queue items").
import { describe, expect, it } from 'vitest';
import { EncodingError, Queue, QueueEmptyError, SimpleQueue } from '@multiproc/core';

function drain<T>(q: Queue<T>): T[] {
  const out: T[] = [];
  while (!q.empty()) out.push(q.getNowait());
  return out;
}

describe('queue storage', () => {
  it('keeps FIFO order while the ring wraps around and grows while wrapped', () => {
    const q = new Queue<string>();
    const expected: string[] = [];
    let next = 0;
    const put = (n: number, size: number) => {
      for (let i = 0; i < n; i++) {
        const s = `${next++}:`.padEnd(size, 'x');
        q.putNowait(s);
        expected.push(s);
      }
    };
    put(60, 100); // ~6 KiB of the first 8 KiB
    for (let i = 0; i < 50; i++) expect(q.getNowait()).toBe(expected.shift());
    put(40, 100); // wraps past the end
    put(200, 300); // grows while wrapped
    expect(q.qsize()).toBe(expected.length);
    expect(drain(q)).toEqual(expected);
    expect(() => q.getNowait()).toThrow(QueueEmptyError);
  });

  it('interleaves puts and gets of random sizes without losing or reordering anything', () => {
    const q = new Queue<number[]>();
    const expected: number[][] = [];
    let seed = 7;
    const rand = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) % n);
    for (let round = 0; round < 2000; round++) {
      if (rand(3) !== 0 || expected.length === 0) {
        const item = Array.from({ length: rand(200) }, (_, i) => i * round);
        q.putNowait(item);
        expected.push(item);
      } else {
        expect(q.getNowait()).toEqual(expected.shift());
      }
    }
    expect(drain(q)).toEqual(expected);
  });

  it('carries an 8 MiB item and empty ones', async () => {
    const q = new SimpleQueue<unknown>();
    const big = new Uint8Array(8 << 20).fill(9);
    q.put('');
    q.put(big);
    q.put([]);
    expect(await q.get()).toBe('');
    const back = (await q.get()) as Uint8Array;
    expect(back.length).toBe(8 << 20);
    expect(back[12345]).toBe(9);
    expect(await q.get()).toEqual([]);
  });
});

describe('queue codec', () => {
  it('keeps what structured clone keeps', () => {
    const q = new Queue<unknown>();
    class Point {
      constructor(readonly x: number, readonly y: number) {}
      get norm() {
        return Math.hypot(this.x, this.y);
      }
    }
    const err = new TypeError('outer', { cause: new RangeError('inner') });
    q.putNowait(new Point(3, 4));
    q.putNowait(err);
    q.putNowait(Object(5));
    q.putNowait(new Map([[{ k: 1 }, new Set(['a'])]]));
    q.putNowait(new DataView(new ArrayBuffer(4)));
    q.putNowait({ s: 'ünïcödé ☃ — 𝄞', long: 'é'.repeat(100) });
    const p = q.getNowait() as Record<string, unknown>;
    expect(p).toEqual({ x: 3, y: 4 });
    expect(Object.getPrototypeOf(p)).toBe(Object.prototype);
    const e = q.getNowait() as TypeError;
    expect(e).toBeInstanceOf(TypeError);
    expect(e.message).toBe('outer');
    expect(e.cause).toBeInstanceOf(RangeError);
    expect(String(e.stack)).toContain('outer');
    expect(q.getNowait()).toEqual(Object(5));
    const m = q.getNowait() as Map<{ k: number }, Set<string>>;
    expect([...m.keys()][0]).toEqual({ k: 1 });
    expect([...m.values()][0].has('a')).toBe(true);
    expect(q.getNowait()).toBeInstanceOf(DataView);
    expect(q.getNowait()).toEqual({ s: 'ünïcödé ☃ — 𝄞', long: 'é'.repeat(100) });
  });

  it('drops array holes and extra array properties (documented)', () => {
    const q = new Queue<unknown[]>();
    // biome-ignore lint/suspicious/noSparseArray: the hole is what this case is about
    const a: unknown[] = [1, , 3];
    (a as unknown as { extra: number }).extra = 1;
    q.putNowait(a);
    const back = q.getNowait();
    expect(back).toEqual([1, undefined, 3]);
    expect(1 in back).toBe(true);
    expect((back as unknown as { extra?: number }).extra).toBeUndefined();
  });

  it('refuses at once, taking no slot, what cannot be copied', () => {
    const q = new Queue<unknown>(1);
    for (const bad of [() => 1, Symbol('s'), new WeakMap(), Promise.resolve(1), new SharedArrayBuffer(8), new Int32Array(new SharedArrayBuffer(8)), { deep: [{ f() {} }] }]) {
      expect(() => q.putNowait(bad)).toThrow(EncodingError);
    }
    expect(q.qsize()).toBe(0);
    q.putNowait('ok');
    expect(q.full()).toBe(true);
  });
});
