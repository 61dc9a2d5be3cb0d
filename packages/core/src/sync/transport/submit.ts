/**
 * What the pool and `Process` do with primitives at submission: find them in
 * the arguments, prepare them for the worker's channel (shared memory or
 * not), flag the task so the worker revives them, or refuse it (a Value that
 * cannot be shared) before anything runs. Tasks without primitives are left
 * exactly as they were, and this is not even called until this agent has
 * seen a primitive.
 */
import { SYNC_ARGS } from '../../protocol/messages.js';
import type { PreparedTask } from '../../sync-bridge.js';
import { outgoingFound } from './wire.js';

/** Prepares a task's arguments (or a chunk's items) for a channel. */
export function prepareTask(args: unknown[], kind: number, shared: boolean): PreparedTask {
  // Most arguments are numbers and strings: nothing to search.
  let objects = false;
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (typeof a === 'object' && a !== null) {
      objects = true;
      break;
    }
  }
  if (!objects) return { args, kind };
  try {
    const r = outgoingFound(args, shared);
    return r.found ? { args: r.value as unknown[], kind: kind + SYNC_ARGS } : { args, kind };
  } catch (err) {
    return { args, kind, refused: err };
  }
}

/** Prepares `initargs` or `Process` args; throws EncodingError at once. */
export function prepareArgs(args: readonly unknown[], shared: boolean): unknown[] {
  return outgoingFound(args, shared).value as unknown[];
}
