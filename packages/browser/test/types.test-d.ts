import { describe, expectTypeOf, it } from 'vitest';
import { Pool, Process, ProcessPoolExecutor, ThreadPoolExecutor, getContext, expose, type AsyncResult, type Future } from '@multiproc/browser';

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
    // @ts-expect-error: browsers have no child processes
    new ProcessPoolExecutor<Tasks>(new URL('https://example.test/t.js'));
    const ex = new ThreadPoolExecutor<Tasks>(new URL('https://example.test/t.js'), { maxWorkers: 2 });
    expectTypeOf(ex.submit('fib', [30])).toEqualTypeOf<Future<number>>();
    // @ts-expect-error: an executor has no context option
    new ThreadPoolExecutor<Tasks>(new URL('https://example.test/t.js'), { context: 'process' });
    expectTypeOf(getContext('thread').context).toEqualTypeOf<'thread'>();
  });

  it('infers the Process target and accepts as-const arguments, as on Node (issue #9, defect 15)', () => {
    const url = new URL('https://example.test/t.js');
    new Process<Tasks>({ module: url, target: 'fib', args: [1] });
    new Process<Tasks>({ module: url, target: 'greet', args: ['x'] as const, context: 'thread' });
    expectTypeOf(pool.apply('greet', ['x'] as const)).toEqualTypeOf<Promise<string>>();
    expectTypeOf(pool.map('fib', [1, 2] as const)).toEqualTypeOf<Promise<number[]>>();
    expectTypeOf(pool.starmap('fib', [[1], [2]] as const)).toEqualTypeOf<Promise<number[]>>();
    // @ts-expect-error: greet takes a string
    new Process<Tasks>({ module: url, target: 'greet', args: [1] });
    // @ts-expect-error: no such target
    new Process<Tasks>({ module: url, target: 'nope' });
    // @ts-expect-error: browsers have no child processes
    new Process<Tasks>({ module: url, target: 'fib', args: [1], context: 'process' });
    // @ts-expect-error: fib takes a number
    pool.apply('fib', ['x'] as const);
  });

  it('takes a worker factory and an expose() object', () => {
    new Pool<Tasks>(() => new Worker(new URL('./w.js', import.meta.url), { type: 'module' }));
    expectTypeOf(expose).parameter(0).toEqualTypeOf<Readonly<Record<string, unknown>>>();
  });
});
