import { describe, expectTypeOf, it } from 'vitest';
import { Pool, Process, getContext, expose, type AsyncResult } from '@multiproc/browser';

type Tasks = typeof import('./fixtures/typed-tasks.js');
declare const pool: Pool<Tasks>;

describe('@multiproc/browser types', () => {
  it('infers results from the task module, as on Node', () => {
    expectTypeOf(pool.apply('fib', [30])).toEqualTypeOf<Promise<number>>();
    expectTypeOf(pool.applyAsync('greet', ['x'])).toEqualTypeOf<AsyncResult<string>>();
    expectTypeOf(pool.map('fib', [1, 2])).toEqualTypeOf<Promise<number[]>>();
    // @ts-expect-error: 'x' is not a number
    pool.apply('fib', ['x']);
    // @ts-expect-error: no such task
    pool.apply('nope', []);
  });

  it("accepts context 'thread' and refuses 'process' at compile time too", () => {
    new Pool<Tasks>(new URL('https://example.test/t.js'), { context: 'thread' });
    // @ts-expect-error: browsers have no child processes
    new Pool<Tasks>(new URL('https://example.test/t.js'), { context: 'process' });
    // @ts-expect-error: browsers have no child processes
    new Process<Tasks, 'fib'>({ module: new URL('https://example.test/t.js'), target: 'fib', args: [1], context: 'process' });
    // @ts-expect-error: browsers have no child processes
    getContext('process');
    expectTypeOf(getContext('thread').context).toEqualTypeOf<'thread'>();
  });

  it('takes a worker factory and an expose() object', () => {
    new Pool<Tasks>(() => new Worker(new URL('./w.js', import.meta.url), { type: 'module' }));
    expectTypeOf(expose).parameter(0).toEqualTypeOf<Readonly<Record<string, unknown>>>();
  });
});
