/**
 * The adapter contract's lifecycle rules, decided once in core
 * (docs/writing-an-adapter.md): an adapter may report a worker's exit from
 * inside `terminate()`, and a message it cannot read (`messageerror`) is only
 * reported, after which core fails that worker. Each case wraps the adapter
 * under test so it behaves at the edge the rule allows, on every runtime.
 */
import type { ExitInfo, RuntimeAdapter, WorkerSink } from '../adapter.js';
import { PoolClosedError, ProtocolError, WorkerExitedError } from '../errors.js';
import { equal, ok, rejects, within } from './assert.js';
import { ConformanceContext } from './context.js';
import { area } from './define.js';

const { cases, define } = area('Adapter contract');
export { cases as adapterContractCases };

/**
 * `adapter`, changed by `edit`: each worker's sink passes through
 * `wrapSink`, and `terminate` may be followed by `afterTerminate`.
 */
function wrapAdapter(
  adapter: RuntimeAdapter,
  wrapSink: (sink: WorkerSink) => WorkerSink,
  afterTerminate?: (sink: WorkerSink) => void,
): RuntimeAdapter {
  return {
    ...adapter,
    name: `${adapter.name} (wrapped)`,
    spawn(options, sink) {
      const wrapped = wrapSink(sink);
      const handle = adapter.spawn(options, wrapped);
      if (afterTerminate === undefined) return handle;
      return {
        pid: handle.pid,
        packNumbers: handle.packNumbers,
        postMessage: (message, transfer) => handle.postMessage(message, transfer),
        terminate: () => {
          handle.terminate();
          afterTerminate(wrapped);
        },
        kill: handle.kill && (() => handle.kill?.()),
        ref: handle.ref && (() => handle.ref?.()),
        unref: handle.unref && (() => handle.unref?.()),
      };
    },
  };
}

/** A sink that forwards the first exit only, so a wrapper may report one early. */
function onceExit(sink: WorkerSink): WorkerSink {
  let exited = false;
  return {
    message: (data) => {
      if (!exited) sink.message(data);
    },
    messageError: (error) => {
      if (!exited) sink.messageError(error);
    },
    exit: (info: ExitInfo) => {
      if (exited) return;
      exited = true;
      sink.exit(info);
    },
  };
}

define('an adapter may report an exit from inside terminate(): pool.terminate() still stops every worker and settles', ['L23', 'ADAPTER:exit'], async (ctx) => {
  const wrapped = new ConformanceContext(
    wrapAdapter(ctx.adapter, onceExit, (sink) => sink.exit({ code: null, signal: null })),
    ctx.tasksUrl,
  );
  try {
    const pool = wrapped.pool({ processes: 3 });
    equal((await pool.map('square', [1, 2, 3, 4, 5, 6])).length, 6);
    const running = [1, 2, 3].map(() => pool.applyAsync('sleep', [60_000]));
    await within(pool.terminate(), 'terminate() of three workers that report their exit from inside terminate');
    for (const r of running) await rejects(r.get(), PoolClosedError);
    await within(pool.join(), 'join() after terminate()');
    equal(pool.pids.length, 0, 'no worker is left');
  } finally {
    await wrapped.cleanup();
  }
});

define('a message the parent cannot read (messageerror) fails its worker: that task rejects with WorkerExitedError (cause ProtocolError), the pool goes on', ['L27', 'ADAPTER:messageerror'], async (ctx) => {
  const marker = { type: 'results', batch: 'unreadable: stands for a message that could not be deserialized' };
  const lost = new Error('could not deserialize');
  const wrapped = new ConformanceContext(
    wrapAdapter(ctx.adapter, (sink) => ({
      message: (data) => {
        if ((data as { batch?: unknown } | null)?.batch === marker.batch) sink.messageError(lost);
        else sink.message(data);
      },
      messageError: (error) => sink.messageError(error),
      exit: (info) => sink.exit(info),
    })),
    ctx.tasksUrl,
  );
  const printed: string[] = [];
  const original = console.error;
  console.error = (...args: unknown[]) => void printed.push(args.map(String).join(' '));
  try {
    const pool = wrapped.pool({ processes: 1 });
    equal(await within(pool.apply('square', [2]), 'a first task'), 4);
    const before = pool.pids[0];
    // The task waits long after posting: it is still running when the unreadable message arrives.
    const err = await rejects(within(pool.apply('postRaw', [marker, 60_000]), 'the task whose worker sent the unreadable message'), WorkerExitedError);
    ok(err.cause instanceof ProtocolError, 'the cause is a ProtocolError');
    equal((err.cause as ProtocolError).cause, lost, "the ProtocolError's cause is the adapter's error");
    equal(await pool.apply('square', [3]), 9, 'the pool works after it');
    ok(pool.pids[0] !== before, 'the worker was replaced');
  } finally {
    console.error = original;
    await wrapped.cleanup();
  }
  ok(printed.some((l) => l.includes('could not be deserialized')), 'the broken worker was reported');
}, { requires: ['stableWorkers'] });
