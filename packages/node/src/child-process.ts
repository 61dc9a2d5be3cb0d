/**
 * The parent side of a child process (`child_process.fork`): start it from
 * our entry, forward its IPC messages and exit to core's sink, stop it with
 * SIGTERM (`terminate`) or SIGKILL (`kill`); when to escalate from one to the
 * other is core's decision (WorkerHost). Children die with the parent:
 * they exit when their IPC channel closes, and any still alive when this
 * process exits are killed.
 */
import type { ChildProcess, Serializable } from 'node:child_process';
import type { SpawnOptions, WorkerHandle, WorkerSink } from '@multiproc/core';
import { childExecArgv } from './exec-argv.js';
import { checkSendable } from './ipc-check.js';
import { childProcess } from './builtins.js';

const entry = new URL('./entry/child-process.js', import.meta.url);

/** Longest wait, after a child exits, for its IPC channel to deliver what it still holds. */
const CHANNEL_DRAIN_MS = 500;

const live = new Set<ChildProcess>();
let exitHookInstalled = false;

function killAllOnExit(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', () => {
    for (const child of live) child.kill('SIGKILL');
  });
}

export function spawnChild(options: SpawnOptions, sink: WorkerSink): WorkerHandle {
  if (options.source.kind === 'factory') {
    throw new TypeError("A worker factory makes threads; context 'process' needs a module URL");
  }
  const extra = options.extra ?? {};
  const serialization = (extra.serialization as 'advanced' | 'json' | undefined) ?? 'advanced';
  if (serialization !== 'advanced' && serialization !== 'json') throw new TypeError("serialization must be 'advanced' or 'json'");
  const child = childProcess().fork(entry, [], {
    serialization,
    env: (extra.env as NodeJS.ProcessEnv | undefined) ?? process.env,
    // A user's explicit execArgv is taken as given; the inherited one loses the flags that would re-run the parent's program.
    execArgv: (extra.execArgv as string[] | undefined) ?? childExecArgv(process.execArgv),
    stdio: ['inherit', 'inherit', 'inherit', 'ipc'],
  });
  live.add(child);
  killAllOnExit();
  let error: unknown;
  child.on('message', (data: unknown) => sink.message(data));
  child.on('error', (err) => {
    error = err;
  });
  // The exit is reported once the IPC channel has closed too, so results sent just before a death
  // (a SIGKILL right after a flush) are read before core decides which task was running. A
  // grandchild that inherited the channel could keep it open: then after CHANNEL_DRAIN_MS.
  child.on('exit', (code, signal) => {
    live.delete(child);
    let reported = false;
    const report = (): void => {
      if (reported) return;
      reported = true;
      clearTimeout(timer);
      sink.exit({ code, signal, error });
    };
    const timer = setTimeout(report, child.connected ? CHANNEL_DRAIN_MS : 0);
    // A waiting join() is kept alive by the channel (referenced while the worker is busy or closing).
    if (child.connected) {
      timer.unref();
      child.once('disconnect', report);
    }
  });
  const setRef = (ref: boolean): void => {
    // A child that has exited holds nothing to ref or unref. Deno throws there ("Bad resource ID",
    // docs/runtimes.md), also before its exit event when the child died at once (seen in CI under
    // load): the exit is being reported anyway, so the error is dropped.
    if (child.exitCode !== null || child.signalCode !== null) return;
    const channel = child.channel as { ref?: () => void; unref?: () => void } | undefined;
    try {
      if (ref) {
        child.ref();
        channel?.ref?.();
      } else {
        child.unref();
        channel?.unref?.();
      }
    } catch {
      // Only keeping the event loop alive was at stake: nothing to undo.
    }
  };
  if (!options.ref) setRef(false);
  const alive = (): boolean => child.exitCode === null && child.signalCode === null;
  return {
    pid: child.pid ?? -1,
    // V8's serializer carries a Float64Array; JSON would turn it into an object.
    packNumbers: serialization === 'advanced',
    // Structured data is copied by the IPC serializer; transfer lists do not apply across processes.
    postMessage: (message) => {
      // A disconnected child is exiting: its exit event follows, and core re-queues what it was
      // sent ahead. Throwing here would read as "cannot be cloned" and fail those tasks with
      // EncodingError (seen when another worker's results made core dispatch to it meanwhile).
      if (!child.connected) return;
      checkSendable(message);
      child.send(message as Serializable);
    },
    terminate: () => {
      if (alive()) child.kill('SIGTERM');
    },
    kill: () => {
      if (alive()) child.kill('SIGKILL');
    },
    ref: () => setRef(true),
    unref: () => setRef(false),
  };
}
