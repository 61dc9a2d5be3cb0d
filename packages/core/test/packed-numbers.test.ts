import { describe, expect, it } from 'vitest';
import { PACK_MIN, packNumbers } from '../src/protocol/packed-numbers.js';

describe('packNumbers', () => {
  it('packs a list of numbers at least PACK_MIN long into a Float64Array that reads back every number as it was', () => {
    const special = [-0, 0, NaN, Infinity, -Infinity, 0.1, Number.MAX_VALUE, Number.MIN_VALUE, -(2 ** 31), 2 ** 53 + 2];
    const list = Array.from({ length: 40 }, (_, i) => special[i % special.length] as number);
    const packed = packNumbers(list);
    expect(packed).toBeInstanceOf(Float64Array);
    expect(Array.from(packed as Float64Array)).toEqual(list);
    expect(Object.is((packed as Float64Array)[0], -0)).toBe(true);
    expect(Number.isNaN((packed as Float64Array)[2])).toBe(true);
  });

  it('leaves a shorter list, or one with anything but numbers, as it is', () => {
    const short = Array.from({ length: PACK_MIN - 1 }, (_, i) => i);
    expect(packNumbers(short)).toBe(short);
    expect(packNumbers(Array.from({ length: PACK_MIN }, (_, i) => i))).toBeInstanceOf(Float64Array);
    for (const odd of ['1', 1n, null, undefined, { valueOf: () => 1 }, new Number(1)]) {
      const list: unknown[] = Array.from({ length: 40 }, (_, i) => i);
      list[39] = odd;
      expect(packNumbers(list)).toBe(list);
    }
    const holey: unknown[] = new Array(40);
    expect(packNumbers(holey)).toBe(holey);
  });
});
