import { describe, expectTypeOf, it } from 'vitest';
import { Pool, Process, AsyncResult, type ImapIterator } from '@multiproc/node';

type Tasks = typeof import('./fixtures/typed-tasks.js');
declare const pool: Pool<Tasks>;

describe('Pool<typeof import(tasks)> types', () => {
  it('infers results from the task module', () => {
    expectTypeOf(pool.apply('fib', [30])).toEqualTypeOf<Promise<number>>();
    expectTypeOf(pool.apply('hash', [new ArrayBuffer(1)])).toEqualTypeOf<Promise<string>>();
    expectTypeOf(pool.applyAsync('add', [1, 'x'])).toEqualTypeOf<AsyncResult<string>>();
    expectTypeOf(pool.map('fib', [1, 2])).toEqualTypeOf<Promise<number[]>>();
    expectTypeOf(pool.starmap('add', [[1, 'a']])).toEqualTypeOf<Promise<string[]>>();
    expectTypeOf(pool.imap('fib', [1])).toEqualTypeOf<ImapIterator<number>>();
    expectTypeOf(pool.apply('bytes', [4])).toEqualTypeOf<Promise<Uint8Array<ArrayBuffer>>>();
  });

  it('rejects wrong names, argument tuples and initializers', () => {
    // @ts-expect-error: 'x' is not a number
    pool.apply('fib', ['x']);
    // @ts-expect-error: not an exported function
    pool.apply('notATask', []);
    // @ts-expect-error: no such task
    pool.apply('nope', []);
    // @ts-expect-error: too few arguments
    pool.apply('add', [1]);
    // @ts-expect-error: map needs single-argument tasks
    pool.map('add', [1, 2]);
    // @ts-expect-error: starmap items are argument tuples
    pool.starmap('add', [1, 2]);
    // @ts-expect-error: the initializer must be a task name
    new Pool<Tasks>(new URL('file:///t.js'), { initializer: 'nope' });
    new Pool<Tasks>(new URL('file:///t.js'), { initializer: 'init', initargs: ['p'] });
  });

  it('types Process targets', () => {
    const p = new Process<Tasks, 'fib'>({ module: new URL('file:///t.js'), target: 'fib', args: [3] });
    expectTypeOf(p.exitCode).toEqualTypeOf<number | null>();
    // @ts-expect-error: wrong argument type for the target
    new Process<Tasks, 'fib'>({ module: new URL('file:///t.js'), target: 'fib', args: ['3'] });
  });

  it('an untyped pool accepts any name and yields unknown', () => {
    const loose = new Pool(new URL('file:///t.js'));
    expectTypeOf(loose.apply('anything', [1, 2])).toEqualTypeOf<Promise<unknown>>();
  });
});
