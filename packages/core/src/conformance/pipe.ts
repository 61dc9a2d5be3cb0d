/**
 * Pipe and Connection (SEMANTICS §13 N): duplex and one-way pipes, message
 * boundaries, end-of-stream across agents, closed ends.
 */
import { EncodingError, EOFError, StateError } from '../errors.js';
import { now } from '../util/now.js';
import { Pipe } from '../sync/pipe.js';
import { Queue } from '../sync/queue.js';
import { deepEqual, equal, ok, rejects, throws } from './assert.js';
import { area } from './define.js';

const { cases, define } = area('Pipe');
export { cases as pipeCases };

/** Timeouts past setTimeout's 2³¹−1 ms limit, which it would fire after 1 ms (issue #9). */
const LONG_TIMEOUTS = [Infinity, 2 ** 31, 1e10];

define('a duplex pipe echoes through a worker; send returns undefined; any data round-trips', ['N01', 'N03'], async (ctx) => {
  const pool = ctx.pool({ processes: 1 });
  const [mine, theirs] = Pipe();
  const echo = pool.apply('pipeEcho', [theirs]);
  theirs.close();
  equal(mine.send([1, 2.25, null]) as unknown, undefined);
  mine.send({ m: new Map([[1, 2]]) });
  deepEqual(await mine.recv(), [1, 2.25, null]);
  const second = (await mine.recv()) as { m: Map<number, number> };
  equal(second.m.get(1), 2);
  mine.close();
  equal(await echo, 2, 'the worker saw end-of-stream after two messages');
});

define('Pipe(false) gives (reader, writer): sending on the reader or reading the writer throws StateError', ['N02'], async () => {
  const [r, w] = Pipe(false);
  deepEqual([r.readable, r.writable, w.readable, w.writable], [true, false, false, true]);
  throws(() => r.send(1), StateError);
  await rejects(w.recv(), StateError);
  throws(() => w.poll(), StateError);
  w.send('x');
  equal(await r.recv(), 'x');
});

define('poll(): at once with no argument, false at once for -1, after about t, true without consuming once data is there', ['N07'], async () => {
  const [a, b] = Pipe();
  equal(b.poll(), false);
  equal(await b.poll({ timeout: -1 }), false);
  const t0 = now();
  equal(await b.poll({ timeout: 60 }), false);
  ok(now() - t0 >= 45, 'waited about the timeout');
  a.send('x');
  equal(b.poll(), true);
  equal(b.poll(), true, 'poll does not consume');
  equal(await b.recv(), 'x');
  equal(b.poll(), false);
});

define('message boundaries hold ("a", "b", "cd", and an empty message) and end-of-stream follows the last, from a worker', ['N08', 'N10'], async (ctx) => {
  const pool = ctx.pool({ processes: 1 });
  const [r, w] = Pipe(false);
  equal(await pool.apply('pipeSend', [w, ['a', 'b', 'cd', ''], true]), 4);
  w.close();
  const got: unknown[] = [];
  for (let i = 0; i < 4; i++) got.push(await r.recv());
  deepEqual(got, ['a', 'b', 'cd', '']);
  equal(r.poll(), true, 'end-of-stream counts as readable');
  await rejects(r.recv(), EOFError);
});

define('closing the parent\'s copy of the worker\'s end right after handing it over does not break the worker', ['N12', 'N10'], async (ctx) => {
  const pool = ctx.pool({ processes: 1 });
  const [mine, theirs] = Pipe();
  const sending = pool.apply('pipeSend', [theirs, ['late', 'later'], true]);
  theirs.close();
  equal(await sending, 2);
  equal(await mine.recv(), 'late');
  equal(await mine.recv(), 'later');
  await rejects(mine.recv(), EOFError);
});

define('a closed end: send, recv and poll throw StateError; close() twice is fine; the other end sees end-of-stream', ['N11', 'N10'], async () => {
  const [a, b] = Pipe();
  a.close();
  a.close();
  equal(a.closed, true);
  throws(() => a.send(1), StateError);
  await rejects(a.recv(), StateError);
  throws(() => a.poll(), StateError);
  await rejects(b.recv(), EOFError);
  throws(() => b.send(1), StateError, 'nobody can read it any more');
});

define('sending what cannot cross throws EncodingError at once; the connection stays usable', ['N13'], async () => {
  const [a, b] = Pipe();
  throws(() => a.send(() => 1), EncodingError);
  a.send('ok');
  equal(await b.recv(), 'ok');
  equal(b.poll(), false);
});

define('several pollers of one end (here and in workers) all see the one message that arrives; none consumes it', ['N07'], async (ctx) => {
  const pool = ctx.pool({ processes: 2 });
  const [a, b] = Pipe();
  const started = new Queue<string>();
  // A poller never woken returns at its timeout (true: the data is there by then), so that is what is timed.
  const TIMEOUT = 20_000;
  const inWorkers = [pool.apply('pipePoll', [b, started, TIMEOUT]), pool.apply('pipePoll', [b, started, TIMEOUT])];
  await started.get();
  await started.get();
  const here = [b.poll({ timeout: TIMEOUT }), b.poll({ timeout: TIMEOUT })];
  const sent = now();
  a.send('x');
  deepEqual(await Promise.all(here), [true, true], 'both pollers here');
  deepEqual(await Promise.all(inWorkers), [true, true], 'both pollers in workers');
  ok(now() - sent < TIMEOUT / 2, `every poller woke when the message arrived, not at its timeout (${Math.round(now() - sent)} ms)`);
  equal(await b.recv(), 'x', 'polling took nothing');
  equal(b.poll(), false);
});

define('poll({ timeout }) with Infinity, 2**31 or 1e10 ms waits for data sent 300 ms later', ['N07', 'D1'], async (ctx) => {
  const pipes = LONG_TIMEOUTS.map(() => Pipe());
  const polls = Promise.all(pipes.map(([, b], i) => b.poll({ timeout: LONG_TIMEOUTS[i] })));
  await ctx.sleep(300);
  for (const [a] of pipes) a.send('x');
  deepEqual(await polls, [true, true, true]);
  for (const [, b] of pipes) equal(await b.recv(), 'x');
});
