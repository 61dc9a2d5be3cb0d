import { describe, expectTypeOf, it } from 'vitest';
import { Pool, Process, ThreadPoolExecutor, ProcessPoolExecutor, getContext, wait, asCompleted, type AsyncResult, type Future, type Completed, Value, SharedArray, Queue, JoinableQueue, SimpleQueue, Pipe, Connection, Lock, type ImapIterator, type HeldLock } from '@multiproc/node';

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
    expectTypeOf(pool.ready()).toEqualTypeOf<Promise<void>>();
    const rs = [pool.applyAsync('fib', [1]), pool.applyAsync('fib', [2])];
    expectTypeOf(wait(rs)).toEqualTypeOf<Promise<import('@multiproc/node').WaitOutcome<AsyncResult<number>>>>();
    expectTypeOf(asCompleted(rs)).toEqualTypeOf<AsyncIterableIterator<Completed<AsyncResult<number>>>>();
    // @ts-expect-error: returnWhen is one of three names
    wait(rs, { returnWhen: 'SOMETIMES' });
    expectTypeOf(pool.stats().utilization).toEqualTypeOf<number>();
    // On one machine pids are numbers (a Redis context's are strings: packages/redis/test/types.test-d.ts).
    expectTypeOf(pool.pids).toEqualTypeOf<number[]>();
    expectTypeOf(new Process({ module: 'x', target: 'y' }).pid).toEqualTypeOf<number | null>();
    expectTypeOf(new ThreadPoolExecutor('x').pids).toEqualTypeOf<number[]>();
    expectTypeOf(pool.stats().runTime.p99).toEqualTypeOf<number>();
    expectTypeOf(pool.broadcast('fib', [30])).toEqualTypeOf<Promise<number[]>>();
    expectTypeOf(pool.broadcast('add', [1, 'x'], { timeout: 1_000 })).toEqualTypeOf<Promise<string[]>>();
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
    // @ts-expect-error: broadcast takes the task's argument tuple
    pool.broadcast('fib', ['x']);
    // @ts-expect-error: no transfer for a broadcast
    pool.broadcast('hash', [new ArrayBuffer(1)], { transfer: [] });
    // @ts-expect-error: the initializer must be a task name
    new Pool<Tasks>(new URL('file:///t.js'), { initializer: 'nope' });
    new Pool<Tasks>(new URL('file:///t.js'), { initializer: 'init', initargs: ['p'] });
  });

  it('types executors and futures from the task module, as Pool', () => {
    const url = new URL('file:///t.js');
    const ex = new ThreadPoolExecutor<Tasks>(url, { maxWorkers: 2, initializer: 'init', initargs: ['p'] });
    const px = new ProcessPoolExecutor<Tasks>(url, { env: { A: '1' }, maxTasksPerChild: 10 });
    const f = ex.submit('fib', [30]);
    expectTypeOf(f).toEqualTypeOf<Future<number>>();
    expectTypeOf(px.submit('add', [1, 'x'], { timeout: 1_000 })).toEqualTypeOf<Future<string>>();
    expectTypeOf(f.result({ timeout: 1_000 })).toEqualTypeOf<Promise<number>>();
    expectTypeOf(f.exception()).toEqualTypeOf<Promise<unknown>>();
    expectTypeOf(f.cancel()).toEqualTypeOf<boolean>();
    f.addDoneCallback((done) => expectTypeOf(done).toEqualTypeOf<Future<number>>());
    expectTypeOf(ex.map('fib', [1, 2], { timeout: 1_000, chunksize: 2, buffersize: 4 })).toEqualTypeOf<AsyncIterableIterator<number, undefined>>();
    expectTypeOf(ex.shutdown({ wait: false, cancelFutures: true })).toEqualTypeOf<Promise<void>>();
    const mixed = [f, pool.applyAsync('fib', [1])];
    expectTypeOf(wait(mixed)).toEqualTypeOf<Promise<import('@multiproc/node').WaitOutcome<Future<number> | AsyncResult<number>>>>();
    expectTypeOf(asCompleted([f])).toEqualTypeOf<AsyncIterableIterator<Completed<Future<number>>>>();
    void (async () => {
      // In `for await`, what asCompleted yields keeps its methods in the type (not the awaited value).
      for await (const done of asCompleted([f])) {
        expectTypeOf(done.result()).toEqualTypeOf<Promise<number>>();
        expectTypeOf(done.cancelled()).toEqualTypeOf<boolean>();
      }
      for await (const r of asCompleted([pool.applyAsync('fib', [1])])) expectTypeOf(r.get()).toEqualTypeOf<Promise<number>>();
    })();
    // @ts-expect-error: 'x' is not a number
    ex.submit('fib', ['x']);
    // @ts-expect-error: no such task
    ex.submit('nope', []);
    // @ts-expect-error: not an exported function
    px.submit('notATask', []);
    // @ts-expect-error: map needs single-argument tasks
    ex.map('add', [1, 2]);
    // @ts-expect-error: the initializer must be a task name
    new ThreadPoolExecutor<Tasks>(url, { initializer: 'nope' });
    // @ts-expect-error: an executor has no context option (the class chooses)
    new ThreadPoolExecutor<Tasks>(url, { context: 'process' });
    // @ts-expect-error: shutdown's wait is a boolean
    ex.shutdown({ wait: 'yes' });
    // @ts-expect-error: wait() takes futures and results, not numbers
    wait([f, 1]);
  });

  it('types Process targets', () => {
    const p = new Process<Tasks, 'fib'>({ module: new URL('file:///t.js'), target: 'fib', args: [3] });
    expectTypeOf(p.exitCode).toEqualTypeOf<number | null>();
    // @ts-expect-error: wrong argument type for the target
    new Process<Tasks, 'fib'>({ module: new URL('file:///t.js'), target: 'fib', args: ['3'] });
  });

  it('infers the Process target from the options and checks args against it (issue #9, defect 15)', () => {
    const url = new URL('file:///t.js');
    new Process<Tasks>({ module: url, target: 'fib', args: [3] });
    new Process<Tasks>({ module: url, target: 'add', args: [1, 'x'] });
    new Process<Tasks>({ module: url, target: 'init' });
    new Process({ module: url, target: 'anything', args: [1, 'two'] });
    // @ts-expect-error: fib takes a number
    new Process<Tasks>({ module: url, target: 'fib', args: ['3'] });
    // @ts-expect-error: add takes (number, string)
    new Process<Tasks>({ module: url, target: 'add', args: [1, 2] });
    // @ts-expect-error: add takes two arguments
    new Process<Tasks>({ module: url, target: 'add', args: [1] });
    // @ts-expect-error: no such target
    new Process<Tasks>({ module: url, target: 'nope', args: [] });
    // @ts-expect-error: not an exported function
    new Process<Tasks>({ module: url, target: 'notATask' });
  });

  it('accepts readonly (as const) argument tuples and iterables (issue #9, defect 15)', () => {
    const url = new URL('file:///t.js');
    expectTypeOf(pool.apply('add', [1, 'x'] as const)).toEqualTypeOf<Promise<string>>();
    const fibArgs = [30] as const;
    expectTypeOf(pool.apply('fib', fibArgs)).toEqualTypeOf<Promise<number>>();
    expectTypeOf(pool.applyAsync('fib', [3] as const)).toEqualTypeOf<AsyncResult<number>>();
    expectTypeOf(pool.map('fib', [1, 2, 3] as const)).toEqualTypeOf<Promise<number[]>>();
    expectTypeOf(pool.imap('fib', [1, 2] as const)).toEqualTypeOf<ImapIterator<number>>();
    expectTypeOf(pool.starmap('add', [[1, 'a'], [2, 'b']] as const)).toEqualTypeOf<Promise<string[]>>();
    const pairs: readonly (readonly [number, string])[] = [[1, 'a']];
    expectTypeOf(pool.starmapAsync('add', pairs)).toEqualTypeOf<AsyncResult<string[]>>();
    new Process<Tasks>({ module: url, target: 'add', args: [1, 'x'] as const });
    new Pool<Tasks>(url, { initializer: 'init', initargs: ['p'] as const });
    // @ts-expect-error: readonly or not, 'x' is not a number
    pool.apply('fib', ['x'] as const);
    // @ts-expect-error: readonly or not, add takes (number, string)
    pool.starmap('add', [[1, 2]] as const);
    // @ts-expect-error: readonly or not, fib takes a number
    new Process<Tasks>({ module: url, target: 'fib', args: ['3'] as const });
  });

  it('an untyped pool accepts any name and yields unknown', () => {
    const loose = new Pool(new URL('file:///t.js'));
    expectTypeOf(loose.apply('anything', [1, 2])).toEqualTypeOf<Promise<unknown>>();
  });
});

describe('synchronization primitive types', () => {
  it('types values, arrays and queue items', () => {
    expectTypeOf(new Value('bigint64').value).toEqualTypeOf<bigint>();
    expectTypeOf(new Value('float64', 1.5).value).toEqualTypeOf<number>();
    expectTypeOf(new SharedArray('float64', 3).array).toEqualTypeOf<Float64Array<ArrayBufferLike>>();
    expectTypeOf(new SharedArray('int32', [1, 2]).array).toEqualTypeOf<Int32Array<ArrayBufferLike>>();
    expectTypeOf(new Queue<number>().get()).toEqualTypeOf<Promise<number>>();
    expectTypeOf(new JoinableQueue<string>().join()).toEqualTypeOf<Promise<boolean>>();
    expectTypeOf(new SimpleQueue<{ a: 1 }>().get()).toEqualTypeOf<Promise<{ a: 1 }>>();
    expectTypeOf(Pipe<string>()).toEqualTypeOf<[Connection<string>, Connection<string>]>();
    expectTypeOf(new Connection<number>().poll()).toEqualTypeOf<boolean>();
    expectTypeOf(new Connection<number>().poll({ timeout: 1 })).toEqualTypeOf<Promise<boolean>>();
    expectTypeOf(new Lock().hold()).toEqualTypeOf<Promise<HeldLock>>();
    // @ts-expect-error: a bigint Value holds bigints
    new Value('bigint64', 1);
    // @ts-expect-error: no such element type
    new Value('int128');
    // @ts-expect-error: items are typed
    void new Queue<number>().put('x');
  });
});

describe('Pool and Process made by defineRuntime stay classes', () => {
  it('narrow with instanceof, extend, and bind a context', () => {
    const v: unknown = undefined;
    if (v instanceof Pool) expectTypeOf(v).toEqualTypeOf<Pool>();
    if (v instanceof Process) expectTypeOf(v).toEqualTypeOf<Process>();
    class MyPool extends Pool<Tasks> {
      fibOf(n: number): Promise<number> {
        return this.apply('fib', [n]);
      }
    }
    expectTypeOf(new MyPool(new URL('file:///t.js'), { env: {}, context: 'process' }).fibOf(3)).toEqualTypeOf<Promise<number>>();
    const ctx = getContext('process');
    expectTypeOf(ctx.context).toEqualTypeOf<'thread' | 'process'>();
    expectTypeOf(new ctx.Pool<Tasks>(new URL('file:///t.js'), { execArgv: [] })).toEqualTypeOf<Pool<Tasks>>();
    // @ts-expect-error: Node has no such context
    getContext('fork');
    // @ts-expect-error: serialization is 'advanced' or 'json'
    new Pool<Tasks>(new URL('file:///t.js'), { serialization: 'v8' });
  });
});
