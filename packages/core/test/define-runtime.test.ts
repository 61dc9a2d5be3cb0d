// defineRuntime builds the facade each runtime package exports (Pool, Process,
// getContext, expose): its own options reach the adapter's spawn, contexts it
// lacks are refused at once, and context-bound classes stay instances of the
// runtime's and core's classes.
import { describe, expect, it } from 'vitest';
import { Pool as CorePool, Process as CoreProcess, defineExpose, defineRuntime, type RuntimeAdapter, type SpawnOptions } from '@multiproc/core';
import { memoryAdapter } from './memory-adapter.js';

const tasks = new URL('../dist/conformance/fixtures/tasks.js', import.meta.url);

function makeRuntime() {
  const spawned: { adapter: string; options: SpawnOptions }[] = [];
  const served: unknown[] = [];
  const recording = (name: string): RuntimeAdapter => {
    const inner = memoryAdapter();
    return {
      ...inner,
      name,
      spawn: (options, sink) => {
        spawned.push({ adapter: name, options });
        return inner.spawn(options, sink);
      },
    };
  };
  const adapters = { a: recording('a'), b: recording('b') };
  const runtime = defineRuntime<'a' | 'b', { flag?: string }>({
    defaultContext: 'a',
    adapterFor: (context) => {
      if (context === 'a' || context === 'b') return adapters[context];
      throw new TypeError(`Unknown context ${JSON.stringify(context)}`);
    },
    moveOptions: ['flag'],
  });
  const expose = defineExpose((tasks) => void served.push(tasks));
  return { runtime, expose, spawned, served };
}

describe('defineRuntime', () => {
  it("moves the runtime's own options into workerOptions and picks the context's adapter", async () => {
    const { runtime, spawned } = makeRuntime();
    await using pool = new runtime.Pool<typeof import('../src/conformance/fixtures/tasks.js')>(tasks, { processes: 1, flag: 'x', workerOptions: { other: 1 }, context: 'b' });
    expect(await pool.apply('square', [3])).toBe(9);
    expect(spawned[0]?.adapter).toBe('b');
    expect(spawned[0]?.options.extra).toEqual({ other: 1, flag: 'x' });
    const p = new runtime.Process({ module: tasks, target: 'square', args: [2] });
    p.start();
    await p.join();
    expect(p.exitCode).toBe(0);
    expect(spawned[1]?.adapter).toBe('a');
  });

  it('refuses a context the runtime lacks and options that are not an object, at once', () => {
    const { runtime } = makeRuntime();
    expect(() => new runtime.Pool(tasks, { context: 'c' as never })).toThrow(/Unknown context "c"/);
    expect(() => new runtime.Pool(tasks, { context: 'c' as never, adapter: memoryAdapter() })).toThrow(/Unknown context "c"/);
    expect(() => new runtime.Process({ module: tasks, target: 'square', context: 'c' as never })).toThrow(TypeError);
    expect(() => new runtime.Pool(tasks, 'x' as never)).toThrow(/Pool options must be an options object/);
    expect(() => runtime.getContext('c' as never)).toThrow(TypeError);
  });

  it("getContext binds the context's adapter; its classes are the runtime's and core's", async () => {
    const { runtime, spawned } = makeRuntime();
    const b = runtime.getContext('b');
    expect(b.context).toBe('b');
    expect(runtime.getContext().context).toBe('a');
    await using pool = new b.Pool(tasks, { processes: 1 });
    expect(await pool.apply('square', [4])).toBe(16);
    expect(spawned[0]?.adapter).toBe('b');
    expect(pool).toBeInstanceOf(runtime.Pool);
    expect(pool).toBeInstanceOf(CorePool);
    const p = new b.Process({ module: tasks, target: 'square', args: [1] });
    expect(p).toBeInstanceOf(runtime.Process);
    expect(p).toBeInstanceOf(CoreProcess);
  });

  it('expose checks its argument before handing it to the runtime', () => {
    const { expose, served } = makeRuntime();
    expect(() => expose(null as never)).toThrow(/tasks must be an object of functions/);
    expect(served).toEqual([]);
    const t = { square: (x: number) => x * x };
    expose(t);
    expect(served).toEqual([t]);
  });
});
