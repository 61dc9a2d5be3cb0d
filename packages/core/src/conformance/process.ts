/**
 * Process: lifecycle, misuse, exit codes, names (SEMANTICS §2).
 */
import { EncodingError, StateError } from '../errors.js';
import { currentProcess, parentProcess } from '../worker-scope.js';
import { activeChildren } from '../process/process.js';
import { equal, ok, throws } from './assert.js';
import { area } from './define.js';

const { cases, define } = area('Process');
export { cases as processCases };

/** Timeouts past setTimeout's 2³¹−1 ms limit, which it would fire after 1 ms (issue #9). */
const LONG_TIMEOUTS = [Infinity, 2 ** 31, 1e10];

define('lifecycle: not alive before start, alive while running, exit code 0 after join', ['P03', 'P16'], async (ctx) => {
  const p = ctx.process({ target: 'targetSleep', args: [100] });
  equal(p.isAlive(), false);
  equal(p.exitCode, null);
  equal(p.pid, null);
  ok(!activeChildren().includes(p as never));
  p.start();
  equal(p.isAlive(), true);
  equal(p.exitCode, null);
  equal(typeof p.pid, ctx.capabilities.stringPids === true ? 'string' : 'number', 'a pid is a string exactly where the adapter declares stringPids');
  ok(activeChildren().includes(p as never), 'a started process is an active child');
  await p.join();
  equal(p.exitCode, 0);
  equal(p.isAlive(), false);
  ok(!activeChildren().includes(p as never), 'a finished process is no longer an active child');
});

define('start() twice and join() before start() throw StateError', ['P04'], async (ctx) => {
  const p = ctx.process({ target: 'targetOk' });
  throws(() => p.join(), StateError);
  p.start();
  throws(() => p.start(), StateError);
  await p.join();
  throws(() => p.start(), StateError);
});

define('join({ timeout: 0 }) and a negative timeout return at once and leave it running; join twice is fine', ['P05', 'X01'], async (ctx) => {
  const p = ctx.process({ target: 'targetSleep', args: [30_000] });
  p.start();
  await p.join({ timeout: 0 });
  equal(p.isAlive(), true);
  await p.join({ timeout: -1 });
  equal(p.isAlive(), true);
  await p.join({ timeout: 20 });
  equal(p.exitCode, null);
  p.terminate();
  await p.join();
  await p.join();
  equal(p.exitCode, -15);
});

define('exit codes: return → 0, uncaught error → 1, exit(n) → n, rejected async target → 1', ['P06', 'X11'], async (ctx) => {
  const ok0 = ctx.process({ target: 'targetOk' });
  const err1 = ctx.process({ target: 'targetThrows' });
  const exit7 = ctx.process({ target: 'targetExit', args: [7] });
  const exit0 = ctx.process({ target: 'targetExit', args: [0] });
  for (const p of [ok0, err1, exit7, exit0]) p.start();
  await Promise.all([ok0.join(), err1.join(), exit7.join(), exit0.join()]);
  equal(ok0.exitCode, 0);
  equal(err1.exitCode, 1);
  equal(exit7.exitCode, 7);
  equal(exit0.exitCode, 0);
});

define('terminate() gives -15 and kill() gives -9; both are no-ops after exit; before start they throw StateError', ['P07'], async (ctx) => {
  const t = ctx.process({ target: 'targetSleep', args: [10_000] });
  const k = ctx.process({ target: 'targetSleep', args: [10_000] });
  throws(() => t.terminate(), StateError);
  t.start();
  k.start();
  t.terminate();
  k.kill();
  await Promise.all([t.join(), k.join()]);
  equal(t.exitCode, -15);
  equal(k.exitCode, -9);
  t.kill();
  equal(t.exitCode, -15, 'kill after exit changes nothing');
});

define('names: Process-N by default, settable; the child sees its own name and MainProcess as parent', ['P12', 'P14'], async (ctx) => {
  const a = ctx.process({ target: 'targetOk' });
  ok(/^Process-\d+$/.test(a.name), `default name, got ${a.name}`);
  const b = ctx.process({ target: 'targetCheckName', args: ['worker-b'], name: 'worker-b' });
  b.start();
  await b.join();
  equal(b.exitCode, 0, 'the child saw name worker-b and parent MainProcess');
});

define('currentProcess() is MainProcess in the parent and parentProcess() is null', ['P14', 'P15'], async () => {
  equal(currentProcess().name, 'MainProcess');
  equal(currentProcess().daemon, false);
  equal(parentProcess(), null);
});

define('bad arguments throw TypeError at once', ['P01', 'P04'], async (ctx) => {
  throws(() => ctx.process({ target: 'targetOk', args: 5 as never }), TypeError);
  throws(() => ctx.process({ target: '' as never }), TypeError);
  throws(() => ctx.process({ target: 'targetOk', name: 3 as never }), TypeError);
  const p = ctx.process({ target: 'targetSleep', args: [50] });
  p.start();
  throws(() => {
    p.daemon = true;
  }, StateError);
  await p.join();
});

define('close(): refused while running, then every method says the object is closed', ['P09'], async (ctx) => {
  const p = ctx.process({ target: 'targetSleep', args: [50] });
  p.start();
  throws(() => p.close(), StateError);
  await p.join();
  p.close();
  p.close();
  throws(() => p.isAlive(), StateError);
  equal(p.name.length > 0, true);
});

define('start() with an argument that cannot be cloned throws EncodingError and starts nothing', ['X05', 'P04'], async (ctx) => {
  for (const bad of [() => 1, Symbol('not cloneable')]) {
    const p = ctx.process({ target: 'targetOk', args: [{ nested: bad }] as never });
    throws(() => p.start(), EncodingError);
    equal(p.isAlive(), false, 'nothing is running');
    equal(p.pid, null, 'no worker was spawned');
    ok(!activeChildren().includes(p as never), 'not an active child');
    throws(() => p.join(), StateError, 'it never started');
  }
  const good = ctx.process({ target: 'targetOk' });
  good.start();
  await good.join();
  equal(good.exitCode, 0, 'the next process starts normally');
});

define('join({ timeout }) with Infinity, 2**31 or 1e10 ms waits for a 300 ms target to end', ['P05', 'D1'], async (ctx) => {
  const ps = LONG_TIMEOUTS.map(() => ctx.process({ target: 'targetSleep', args: [300] }));
  for (const p of ps) p.start();
  await Promise.all(ps.map((p, i) => p.join({ timeout: LONG_TIMEOUTS[i] })));
  equal(ps.map((p) => p.exitCode).join(), '0,0,0');
});
