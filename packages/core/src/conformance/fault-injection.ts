/**
 * Fault injection: names that are `Object.prototype` keys wherever a name is
 * looked up, malformed messages from a worker's own code, stray rejections.
 * Nothing a worker sends may crash the parent; the caller gets a precise
 * error and the pool goes on (DESIGN:errors, SEMANTICS X06, X08, L27).
 */
import { ProtocolError, UnknownTaskError, WorkerExitedError } from '../errors.js';
import { PROTOCOL_VERSION } from '../protocol/messages.js';
import { BoundedSemaphore, Semaphore } from '../sync/semaphore.js';
import { Barrier } from '../sync/barrier.js';
import { Queue } from '../sync/queue.js';
import { deepEqual, equal, ok, rejects, throws, within } from './assert.js';
import { area } from './define.js';

const { cases, define } = area('Fault injection');
export { cases as faultInjectionCases };

const protoKeys = ['toString', '__proto__', 'hasOwnProperty', 'constructor', 'valueOf'];

define('an error, its cause and an AggregateError member named like Object.prototype keys arrive intact; the pool goes on', ['X06', 'X08', 'DESIGN:errors'], async (ctx) => {
  const pool = ctx.pool({ processes: 1 });
  for (const name of protoKeys) {
    const err = await rejects(pool.apply('throwNamed', [name, name]), Error, name);
    equal(err.name, name, `the name ${name} is kept`);
    equal(err.message, 'named');
    ok(Object.getPrototypeOf(err) === Error.prototype, `an own property named __proto__ does not change the prototype (${name})`);
    ok(err.cause instanceof Error, `the cause is an Error (${name})`);
    equal((err.cause as Error).name, name, 'the cause keeps its name');
    for (const key of protoKeys) {
      const own = Object.getOwnPropertyDescriptor(err, key);
      equal(own?.value, `own ${key}`, `own property ${key} (${name})`);
    }
    const agg = await rejects(pool.apply('throwNamed', [name, undefined, name]), AggregateError, name);
    equal(agg.name, name);
    equal(agg.errors.length, 1);
    equal((agg.errors[0] as Error).name, name, 'the member keeps its name');
  }
  equal(await pool.apply('square', [7]), 49, 'the pool still works');
});

define('a task named like an Object.prototype key rejects with UnknownTaskError; the pool goes on', ['D6', 'DESIGN:errors'], async (ctx) => {
  const pool = ctx.pool({ processes: 1 });
  for (const name of [...protoKeys, 'isPrototypeOf', 'propertyIsEnumerable', 'toLocaleString', '__defineGetter__']) {
    await rejects(pool.apply(name as never, [] as never), UnknownTaskError, name);
    const chunk = await rejects(pool.map(name as never, [1, 2] as never), UnknownTaskError, `map ${name}`);
    ok(chunk.message.includes('No task named'), 'the message names the missing task');
  }
  equal(await pool.apply('square', [8]), 64, 'the pool still works');
});

/** Messages a worker's own code might post to its parent, none of them the protocol's. */
const malformed: [string, unknown][] = [
  ['null', null],
  ['a number', 42],
  ['a string', 'results'],
  ['an array', [1, 2, 3]],
  ['an object without type', {}],
  ['an unknown type', { type: 'nope' }],
  ['a prototype-key type', { type: 'toString' }],
  ['results without a batch', { type: 'results' }],
  ['results with a string batch', { type: 'results', batch: 'x' }],
  ['results with a batch of odd length', { type: 'results', batch: [1, 0] }],
  ['results with a non-number id', { type: 'results', batch: ['x', 0, 1] }],
  ['results with an unknown status', { type: 'results', batch: [-1, 9, 1] }],
  ['results with an error that is not an encoded error', { type: 'results', batch: [-1, 1, null] }],
  ['results with a chunk that is not a chunk', { type: 'results', batch: [-1, 2, 'x'] }],
  ['a ready with an error after start', { type: 'ready', version: PROTOCOL_VERSION, error: { name: 'Error', message: 'late', stack: undefined, props: undefined, cause: undefined } }],
  ['a second ready', { type: 'ready', version: PROTOCOL_VERSION }],
  ['an exit with a string code', { type: 'exit', code: 'x' }],
  ['a sync of the wrong shape', { type: 'sync' }],
  ['a sync with a string req', { type: 'sync', req: 'x', prim: 'p', op: 'acquire', args: [], owner: 1, task: -1 }],
];

define('a malformed message from task code is reported and its worker replaced: that task fails with WorkerExitedError (cause ProtocolError), the pool goes on', ['L27', 'X08', 'DESIGN:errors'], async (ctx) => {
  const pool = ctx.pool({ processes: 1 });
  const printed = captureConsoleError();
  try {
    for (const [what, message] of malformed) {
      const before = pool.pids[0];
      // The task waits long after posting: it is still running when the message arrives.
      const err = await rejects(pool.apply('postRaw', [message, 60_000]), WorkerExitedError, what);
      ok(err.cause instanceof ProtocolError, `the cause is a ProtocolError (${what})`);
      equal((err.cause as ProtocolError).code, 'MP_PROTOCOL');
      equal(err.taskName, 'postRaw');
      equal(await pool.apply('square', [3]), 9, `the pool works after ${what}`);
      ok(pool.pids[0] !== before, `the worker was replaced after ${what}`);
    }
  } finally {
    printed.restore();
  }
  ok(printed.lines.some((l) => l.includes('malformed')), 'the bad message was reported');
}, { requires: ['stableWorkers'], timeout: 120_000 });

define('tasks sent ahead to a worker that posts a malformed message run elsewhere and succeed', ['L27', 'DESIGN:dispatch'], async (ctx) => {
  const pool = ctx.pool({ processes: 2 });
  const printed = captureConsoleError();
  try {
    const all: Promise<unknown>[] = [];
    for (let i = 0; i < 200; i++) all.push(i === 50 ? pool.apply('postRaw', [{ type: 'results', batch: 'x' }, 60_000]) : pool.apply('square', [i]));
    const settled = await Promise.allSettled(all);
    for (let i = 0; i < 200; i++) {
      const s = settled[i];
      if (i === 50) ok(s.status === 'rejected' && s.reason instanceof WorkerExitedError, 'the posting task fails');
      else ok(s.status === 'fulfilled' && s.value === i * i, `task ${i} gets its own value`);
    }
  } finally {
    printed.restore();
  }
}, { timeout: 60_000 });

define('a Process whose target posts a malformed message is reported and stopped; join() resolves', ['P01', 'DESIGN:errors'], async (ctx) => {
  const printed = captureConsoleError();
  try {
    const p = ctx.process({ target: 'postRaw', args: [{ type: 'results', batch: 7 }, 60_000] });
    p.start();
    await p.join();
    ok(p.exitCode !== null && p.exitCode !== 0, `a non-zero exit code, got ${String(p.exitCode)}`);
  } finally {
    printed.restore();
  }
});

define('a finished task\'s stray rejection is reported and never fails another task', ['L27', 'X08'], async (ctx) => {
  const pool = ctx.pool({ processes: 1 });
  const printed = captureConsoleError();
  try {
    equal(await pool.apply('strayRejection', [20]), 'returned');
    // Runs while the stray promise rejects in the same worker.
    equal(await pool.apply('sleep', [300, 'next']), 'next', 'the next task is not blamed');
    equal(await pool.apply('square', [4]), 16);
  } finally {
    printed.restore();
  }
}, { requires: ['isolatedGlobals'] });

define('an error\'s cause chain survives the trip', ['X06'], async (ctx) => {
  const pool = ctx.pool({ processes: 1 });
  const err = await rejects(pool.apply('throwWithCause', []), TypeError);
  ok(err.cause instanceof RangeError, 'the cause keeps its class');
  equal((err.cause as RangeError).message, 'middle');
  ok((err.cause as RangeError).cause instanceof Error, 'and its own cause');
  equal(((err.cause as RangeError).cause as Error).message, 'inner');
});

/** Numbers that break code which forgets that a JS number is a double. */
const oddNumbers = [Infinity, -Infinity, NaN, -0, 1.5, -1, 1e308, 2 ** 31, 2 ** 53];

define('odd numbers in every numeric pool option are refused at once with a precise error, or mean what they say', ['DESIGN:errors', 'L10'], async (ctx) => {
  const pool = ctx.pool({ processes: 1 });
  for (const n of oddNumbers) {
    const tag = String(Object.is(n, -0) ? '-0' : n);
    if (!(n >= 1 && n <= 1024 && Number.isInteger(n))) throws(() => ctx.pool({ processes: n }), Error, `processes ${tag}`);
    if (!(n >= 1 && Number.isInteger(n))) {
      throws(() => ctx.pool({ processes: 1, maxTasksPerChild: n }), Error, `maxTasksPerChild ${tag}`);
      await within(rejects(Promise.resolve().then(() => pool.map('square', [1, 2], { chunksize: n })), Error, `chunksize ${tag}`), `map chunksize ${tag}`);
      await within(rejects((async () => { for await (const _ of pool.imap('square', [1, 2], { buffersize: n })); })(), Error, `buffersize ${tag}`), `imap buffersize ${tag}`);
    } else {
      // Huge but whole: a bound never reached, which is what it says.
      deepEqual(await within(pool.map('square', [1, 2, 3], { chunksize: n }), `chunksize ${tag}`), [1, 4, 9]);
      const got: number[] = [];
      for await (const v of pool.imap('square', [1, 2, 3], { buffersize: n })) got.push(v);
      deepEqual(got, [1, 4, 9], `buffersize ${tag}`);
    }
    if (!(n >= 0 && Number.isInteger(n))) await within(rejects(Promise.resolve().then(() => pool.apply('square', [2], { retries: n })), Error, `retries ${tag}`), `retries ${tag}`);
    else equal(await within(pool.apply('square', [2], { retries: n }), `retries ${tag}`), 4);
  }
  equal(await pool.apply('square', [3]), 9, 'the pool still works');
});

define('odd numbers as a Semaphore value, Barrier parties or Queue maxsize are refused precisely or mean what they say; a count never wraps', ['S01', 'B01', 'Q01', 'DESIGN:errors'], async () => {
  for (const n of oddNumbers) {
    const tag = String(Object.is(n, -0) ? '-0' : n);
    for (const Sem of [Semaphore, BoundedSemaphore]) {
      if (Number.isInteger(n) && n >= 0 && n <= 2 ** 31 - 1) equal(new Sem(n).getValue(), n + 0, `${Sem.name}(${tag})`);
      else throws(() => new Sem(n), Number.isInteger(n) ? RangeError : TypeError, `${Sem.name}(${tag})`);
    }
    if (Number.isInteger(n) && n >= 1 && n <= 2 ** 20) equal(new Barrier(n).parties, n);
    else {
      const err = throws(() => new Barrier(n), Error, `Barrier(${tag})`);
      ok(err.message.includes('parties'), `Barrier(${tag}) names parties: ${err.message}`);
    }
    if (Number.isInteger(n)) {
      const q = new Queue<number>(n);
      q.putNowait(1);
      equal(q.getNowait(), 1, `Queue(${tag}) works`);
    } else throws(() => new Queue(n), TypeError, `Queue(${tag})`);
  }
  const sem = new Semaphore(2 ** 31 - 1);
  throws(() => sem.release(), RangeError, 'a release past the largest value');
  equal(sem.getValue(), 2 ** 31 - 1, 'the value is unchanged');
  const zero = new Semaphore(0);
  throws(() => zero.release(2 ** 32), RangeError, 'release(2 ** 32)');
  equal(zero.getValue(), 0);
  zero.release(2 ** 31 - 1);
  equal(zero.getValue(), 2 ** 31 - 1);
}, { requires: ['sharedMemory'] });

/** Collects what is printed with console.error (in the parent, and in workers that share it) until restored. */
function captureConsoleError(): { lines: string[]; restore(): void } {
  const lines: string[] = [];
  const original = console.error;
  console.error = (...args: unknown[]) => {
    lines.push(args.map((a) => (a instanceof Error ? `${a.name}: ${a.message}` : String(a))).join(' '));
  };
  return {
    lines,
    restore: () => {
      console.error = original;
    },
  };
}
