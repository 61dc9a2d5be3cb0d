// The broker's side of the typed brokered operations (OpTable in
// sync/primitive.ts): every name a proxy sends runs its operation on the real
// instance, and a name off the wire that the primitive does not declare
// (a typo from another version, a prototype key) fails with StateError and
// leaves the primitive working. `_serve` is the entry broker.ts calls.
import { describe, expect, it } from 'vitest';
import { StateError } from '../src/errors.js';
import { Barrier } from '../src/sync/barrier.js';
import { Condition } from '../src/sync/condition.js';
import { Event } from '../src/sync/event.js';
import { JoinableQueue } from '../src/sync/joinable-queue.js';
import { Lock } from '../src/sync/lock.js';
import { Pipe } from '../src/sync/pipe.js';
import { RLock } from '../src/sync/rlock.js';
import { Semaphore } from '../src/sync/semaphore.js';
import { SharedArray } from '../src/sync/shared-array.js';
import { SimpleQueue } from '../src/sync/simple-queue.js';
import { Value } from '../src/sync/value.js';

/** The broker's view of a primitive. */
interface Served {
  _serve(op: string, args: unknown[], owner: number, signal: AbortSignal | undefined, reply: boolean): unknown;
}
const serve = (p: object, op: string, ...args: unknown[]): unknown => (p as Served)._serve(op, args, 7, undefined, true);

describe('brokered operations', () => {
  it('each declared operation runs on the real instance', async () => {
    const lock = new Lock();
    expect(await serve(lock, 'acquire', null)).toBe(true);
    expect(await serve(lock, 'acquire', 0)).toBe(false);
    serve(lock, 'release');
    expect(lock.tryAcquire()).toBe(true);

    const rlock = new RLock();
    expect(await serve(rlock, 'acquire', null)).toBe(true);
    serve(rlock, 'release');
    expect(rlock.tryAcquire()).toBe(true);

    const sem = new Semaphore(0);
    serve(sem, 'release', 2);
    expect(await serve(sem, 'acquire', 0)).toBe(true);
    expect(sem.getValue()).toBe(1);

    const ev = new Event();
    serve(ev, 'set');
    expect(await serve(ev, 'wait', 0)).toBe(true);
    serve(ev, 'clear');
    expect(ev.isSet()).toBe(false);

    const cond = new Condition(new Lock());
    expect(await serve(cond, 'acquire', null)).toBe(true);
    serve(cond, 'notify', 1);
    expect(await serve(cond, 'wait', 0)).toBe(false);
    serve(cond, 'release');

    const barrier = new Barrier(1);
    expect(await serve(barrier, 'wait', null)).toBe(0);
    serve(barrier, 'abort');
    expect(barrier.broken).toBe(true);
    serve(barrier, 'reset');
    expect(barrier.broken).toBe(false);

    const q = new JoinableQueue<number>();
    await serve(q, 'put', 5, null);
    expect(await serve(q, 'get', 0)).toBe(5);
    serve(q, 'taskDone');
    expect(await serve(q, 'join', 0)).toBe(true);

    const sq = new SimpleQueue<string>();
    serve(sq, 'put', 'x');
    expect(await serve(sq, 'get')).toBe('x');

    const [a, b] = Pipe<string>();
    serve(a, 'send', 'hi');
    expect(await serve(b, 'poll', 0)).toBe(true);
    expect(await serve(b, 'recv')).toBe('hi');
  });

  it('a name the primitive does not declare fails with StateError, and the primitive goes on', async () => {
    const [conn] = Pipe();
    const all = [new Lock(), new RLock(), new Semaphore(), new Event(), new Condition(), new Barrier(2), new JoinableQueue(), new SimpleQueue(), conn, new Value('int32'), new SharedArray('int32', 2)];
    for (const p of all) {
      for (const op of ['acquir', 'constructor', '__proto__', 'toString', 'new']) {
        expect(() => serve(p, op), `${p.constructor.name}.${op}`).toThrow(StateError);
        expect(() => serve(p, op), `${p.constructor.name}.${op}`).toThrow(/has no brokered operation/);
      }
    }
    const lock = all[0] as Lock;
    expect(await serve(lock, 'acquire', null)).toBe(true);
    serve(lock, 'release');
  });
});
