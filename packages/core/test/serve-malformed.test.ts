// The worker side of the protocol (serve): a malformed message from the parent
// is reported and ignored, never thrown (which would end the worker silently);
// the worker then serves well-formed messages as before.
import { describe, expect, it, vi } from 'vitest';
import { PROTOCOL_VERSION, serve } from '@multiproc/core';

describe('serve', () => {
  it('reports and ignores malformed parent messages, and goes on serving', async () => {
    const posted: unknown[] = [];
    let listener: ((data: unknown) => void) | undefined;
    const printed = vi.spyOn(console, 'error').mockImplementation(() => {});
    try {
      serve(
        { postMessage: (m) => void posted.push(m), onMessage: (f) => void (listener = f), exit: () => {} },
        { tasks: { square: (x: number) => x * x }, ownsGlobals: false },
      );
      const send = listener as (data: unknown) => void;
      for (const bad of [null, 42, 'tasks', [], {}, { type: 'nope' }, { type: 'toString' }, { type: 'tasks', batch: 'x' }, { type: 'tasks', batch: [1, 'square'] }, { type: 'abort' }, { type: 'init' }]) {
        expect(() => send(bad)).not.toThrow();
      }
      expect(printed.mock.calls.filter((c) => String(c[0]).includes('malformed')).length).toBe(11);
      const me = { name: 'PoolWorker-1', pid: 1, daemon: false };
      send({ type: 'init', version: PROTOCOL_VERSION, module: null, identity: me, parent: me, initializer: null, initargs: [], target: null, args: [] });
      // One task at a time: a worker may hand back tasks queued behind one it has not timed yet.
      const resultsSoFar = () => (posted.slice(1) as { batch: unknown[] }[]).flatMap((m) => m.batch);
      const waitFor = async (n: number) => {
        for (const deadline = Date.now() + 10_000; resultsSoFar().length < n && Date.now() < deadline; ) await new Promise((r) => setTimeout(r, 10));
      };
      send({ type: 'tasks', batch: [1, 'square', 0, [3]] });
      await waitFor(3);
      send({ type: 'tasks', batch: [2, 'toString', 0, []] });
      await waitFor(6);
      expect(posted[0]).toEqual({ type: 'ready', version: PROTOCOL_VERSION });
      const results = resultsSoFar();
      expect(results.slice(0, 3)).toEqual([1, 0, 9]);
      expect(results[3]).toBe(2);
      expect(results[4]).toBe(1);
      expect((results[5] as { name: string }).name).toBe('UnknownTaskError');
    } finally {
      printed.mockRestore();
    }
  });
});
