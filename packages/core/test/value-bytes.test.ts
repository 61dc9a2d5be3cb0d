/**
 * Core's value text codec (what `@multiproc/redis` stores jobs with): a
 * round trip keeps structured clone's types, and text it did not write is
 * refused with EncodingError.
 */
import { describe, expect, it } from 'vitest';
import { decodeValueText, encodeValueText, EncodingError, Lock } from '../src/index.js';

describe('encodeValueText / decodeValueText', () => {
  it('round-trips Date, BigInt, Map, Set, typed arrays, errors, -0, NaN, cycles and an own __proto__ key', () => {
    const cyclic: { self?: unknown } = {};
    cyclic.self = cyclic;
    const value = {
      d: new Date(5),
      b: -(2n ** 80n),
      m: new Map([[1, new Set(['x'])]]),
      t: new Int16Array([1, -2]),
      e: new RangeError('r'),
      z: -0,
      n: NaN,
      s: 'ünïcödé ✓',
      c: cyclic,
      p: JSON.parse('{"__proto__": {"polluted": true}}'),
    };
    const back = decodeValueText(encodeValueText(value)) as typeof value;
    expect(back.d).toEqual(new Date(5));
    expect(back.b).toBe(-(2n ** 80n));
    expect(back.m.get(1)).toEqual(new Set(['x']));
    expect(back.t).toEqual(new Int16Array([1, -2]));
    expect(back.e).toBeInstanceOf(RangeError);
    expect(Object.is(back.z, -0)).toBe(true);
    expect(back.n).toBeNaN();
    expect(back.s).toBe('ünïcödé ✓');
    expect(back.c.self).toBe(back.c);
    expect(Object.getPrototypeOf(back.p)).toBe(Object.prototype);
    expect(Object.hasOwn(back.p, '__proto__')).toBe(true);
    expect((back.p as { polluted?: boolean }).polluted).toBeUndefined();
  });

  it('refuses what cannot be copied, a primitive, and text it did not write', () => {
    expect(() => encodeValueText(() => 1)).toThrow(EncodingError);
    expect(() => encodeValueText({ lock: new Lock() })).toThrow(EncodingError);
    for (const bad of ['', 'not base64!', 'AAAA', 42 as unknown as string]) expect(() => decodeValueText(bad)).toThrow(EncodingError);
  });
});
