/**
 * Error codes are declared in errors.ts, each with its class (issue #10): the
 * one code that is not a class of its own, `MP_NEEDS_SHARED_MEMORY`, is a
 * declared code of `EncodingError`, and keeps it across the worker boundary.
 */
import { describe, expect, it } from 'vitest';
import { EncodingError, isMultiprocError, MultiprocError, Pool, forceBrokeredSync, Value } from '@multiproc/core';
// The codec is not exported: its case uses the source modules, classes included.
import { EncodingError as SourceEncodingError } from '../src/errors.js';
import { decodeError, encodeError } from '../src/protocol/error-codec.js';
import { memoryAdapter } from './memory-adapter.js';

describe('EncodingError codes', () => {
  it('is MP_ENCODING by default', () => {
    const e = new EncodingError('cannot cross');
    expect(e.code).toBe('MP_ENCODING');
    expect(e.name).toBe('EncodingError');
  });

  it('declares MP_NEEDS_SHARED_MEMORY: still an EncodingError by class and name, with a cause', () => {
    const cause = new Error('why');
    const e = new EncodingError('needs shared memory', { code: 'MP_NEEDS_SHARED_MEMORY', cause });
    expect(e).toBeInstanceOf(EncodingError);
    expect(e).toBeInstanceOf(MultiprocError);
    expect(isMultiprocError(e)).toBe(true);
    expect(e.name).toBe('EncodingError');
    expect(e.code).toBe('MP_NEEDS_SHARED_MEMORY');
    expect(e.cause).toBe(cause);
    expect(Object.keys(e)).toContain('code');
  });

  it('keeps MP_NEEDS_SHARED_MEMORY through the error codec', () => {
    const back = decodeError(structuredClone(encodeError(new SourceEncodingError('x', { code: 'MP_NEEDS_SHARED_MEMORY' }))));
    expect(back).toBeInstanceOf(SourceEncodingError);
    expect((back as SourceEncodingError).code).toBe('MP_NEEDS_SHARED_MEMORY');
  });

  it('is what a Value sent to a worker without shared memory is refused with', async () => {
    const pool = new Pool(new URL('../dist/conformance/fixtures/tasks.js', import.meta.url), { adapter: forceBrokeredSync(memoryAdapter()), processes: 1 });
    try {
      const err = await pool.apply('identity', [new Value('int32', 1)]).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(EncodingError);
      expect((err as EncodingError).code).toBe('MP_NEEDS_SHARED_MEMORY');
      expect((err as EncodingError).name).toBe('EncodingError');
    } finally {
      await pool.terminate();
    }
  });
});
