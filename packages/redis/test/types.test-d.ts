// Types of a Redis context: the same Pool, Process and executor as one machine's, with string
// pids, and its own primitives (async where an answer needs Redis).
import { describe, expectTypeOf, it } from 'vitest';
import type { AsyncResult, Pid, Pool } from '@multiproc/core';
import { redisContext } from '../src/index.js';

type Tasks = typeof import('./fixtures/types-tasks.js');
const mp = redisContext({ connection: 'redis://127.0.0.1:1' });

describe('redisContext() types', () => {
  it('types results from the task module and pids as strings', () => {
    const pool = new mp.Pool<Tasks>('tasks');
    expectTypeOf(pool).toEqualTypeOf<Pool<Tasks, string>>();
    expectTypeOf(pool.apply('double', [2])).toEqualTypeOf<Promise<number>>();
    expectTypeOf(pool.applyAsync('greet', ['a'])).toEqualTypeOf<AsyncResult<string>>();
    expectTypeOf(pool.pids).toEqualTypeOf<string[]>();
    // @ts-expect-error: 'x' is not a number
    pool.apply('double', ['x']);
    const p = new mp.Process<Tasks, 'greet'>({ module: 'tasks', target: 'greet', args: ['b'] });
    expectTypeOf(p.pid).toEqualTypeOf<string | null>();
    expectTypeOf(new mp.ThreadPoolExecutor<Tasks>('tasks').pids).toEqualTypeOf<string[]>();
    expectTypeOf<string>().toExtend<Pid>();
  });

  it('offers its primitives, async where Redis must answer', () => {
    const lock = new mp.Lock({ lease: 5_000 });
    expectTypeOf(lock.acquire({ timeout: 10 })).toEqualTypeOf<Promise<boolean>>();
    expectTypeOf(lock.fence).toEqualTypeOf<number>();
    expectTypeOf(new mp.Queue<number>().get()).toEqualTypeOf<Promise<number>>();
    expectTypeOf(new mp.Value('int32', 1).get()).toEqualTypeOf<Promise<number | bigint>>();
    // @ts-expect-error: a Value's type is one of the typecodes
    new mp.Value('int33');
  });
});
