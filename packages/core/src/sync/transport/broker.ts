/**
 * The parent side of the brokered backend. A worker that does not share
 * memory with its parent sends `sync` messages on its channel; its
 * `WorkerHost` hands them here. The broker runs each operation on the real
 * instance (shared, local, or itself a proxy one level up) on behalf of the
 * calling agent, and answers with a `sync-reply`.
 *
 * Synchronous mutations (`req` 0) run at once, as the message arrives, so
 * they have taken effect before the task result that follows them on the same
 * channel. One that fails (releasing an unlocked lock, `taskDone()` too
 * often) fails the task that was running when it was sent.
 *
 * When a worker dies, its operations still waiting (an `acquire`, a `get`)
 * are cancelled: a lock is never granted to, and no item is taken for, a
 * worker that is gone. What a dead worker already holds stays held (see
 * docs/api.md).
 */
import { StateError } from '../../errors.js';
import { RESULT_STRIDE, ResultSlot } from '../../protocol/batch.js';
import { encodeError } from '../../protocol/error-codec.js';
import { ResultStatus, type SyncMessage } from '../../protocol/messages.js';
import type { BrokerHost } from '../../sync-bridge.js';
import { constructWithId } from './construct.js';
import { createKind } from './kinds.js';
import { BrokerOp, parentLink } from './link.js';
import { directorySet, findPrimitive, publish, publishedHandle, whenPublished } from './registry.js';
import { incoming, outgoing } from './wire.js';
import type { Handle } from './handle.js';

const waiting = new WeakMap<BrokerHost, Set<AbortController>>();
/** Synchronous mutations that failed, by host and by the task they fail. */
const failures = new WeakMap<BrokerHost, Map<number, unknown>>();
/** How many hosts have failures waiting for their task's result (the results path checks this first). */
let failingHosts = 0;

/** Runs one `sync` message from `host`'s worker. */
export function handleSync(host: BrokerHost, msg: SyncMessage): void {
  if (msg.req === 0) {
    try {
      const r = run(host, msg, undefined, false);
      if (isThenable(r)) r.then(undefined, (err: unknown) => syncFailed(host, msg.task, err));
    } catch (err) {
      syncFailed(host, msg.task, err);
    }
    return;
  }
  const ac = new AbortController();
  let set = waiting.get(host);
  if (set === undefined) waiting.set(host, (set = new Set()));
  const pending = set;
  pending.add(ac);
  // Started at once, like the mutations around it, so operations take effect in the order sent.
  let started: unknown;
  try {
    started = run(host, msg, ac.signal, true);
  } catch (err) {
    started = Promise.reject(err);
  }
  Promise.resolve(started)
    .then(
      (value) => {
        if (ac.signal.aborted) return;
        reply(host, msg.req, () => ({ type: 'sync-reply', req: msg.req, value: outgoing(value, host.sharesMemory) }));
      },
      (err: unknown) => {
        if (ac.signal.aborted) return;
        reply(host, msg.req, () => ({ type: 'sync-reply', req: msg.req, error: encodeError(err) }));
      },
    )
    .finally(() => pending.delete(ac));
}

/** A synchronous mutation sent during `task` failed: that task fails with `error`. */
function syncFailed(host: BrokerHost, task: number, error: unknown): void {
  if (task < 0 || host.exited) {
    console.error('multiproc: a synchronous operation in a worker failed after its task ended:', error);
    return;
  }
  let map = failures.get(host);
  if (map === undefined) {
    failures.set(host, (map = new Map()));
    failingHosts++;
  }
  map.set(task, error);
}

/** Replaces the results of tasks whose synchronous mutations failed by those errors. */
export function rewriteResults(host: BrokerHost, batch: unknown[]): void {
  if (failingHosts === 0) return;
  const errors = failures.get(host);
  if (errors === undefined) return;
  for (let i = 0; i < batch.length; i += RESULT_STRIDE) {
    const id = batch[i + ResultSlot.ID] as number;
    const error = errors.get(id);
    if (error === undefined) continue;
    errors.delete(id);
    batch[i + ResultSlot.STATUS] = ResultStatus.ERROR;
    batch[i + ResultSlot.VALUE] = encodeError(error);
  }
  if (errors.size === 0) {
    failures.delete(host);
    failingHosts--;
  }
}

/** The worker behind `host` is gone: cancel everything it was waiting for; report failures no result carried. */
export function hostGone(host: BrokerHost): void {
  const errors = failures.get(host);
  if (errors !== undefined) {
    failures.delete(host);
    failingHosts--;
    for (const e of errors.values()) console.error('multiproc: a synchronous operation in a worker failed:', e);
  }
  const set = waiting.get(host);
  if (set === undefined) return;
  waiting.delete(host);
  for (const ac of set) ac.abort();
}

function reply(host: BrokerHost, req: number, make: () => unknown): void {
  let message: unknown;
  try {
    message = make();
  } catch (err) {
    message = { type: 'sync-reply', req, error: encodeError(err) };
  }
  try {
    host.post(message);
  } catch {
    // the worker is gone; its exit settles the rest
  }
}

function run(host: BrokerHost, msg: SyncMessage, signal: AbortSignal | undefined, wantsReply: boolean): unknown {
  switch (msg.op) {
    case BrokerOp.new: {
      const [kind, ...args] = incoming(msg.args, 'child') as [string, ...unknown[]];
      const made = constructWithId(msg.prim, () => createKind(kind, args));
      // Keep them reachable by id: the worker holds only proxies.
      for (const p of made) directorySet(p, p._handle.id);
      return undefined;
    }
    case BrokerOp.publish:
      publishUp(msg.args[0] as Handle);
      return undefined;
    case BrokerOp.resolve:
      return resolveForChild(msg.prim);
  }
  const target = findPrimitive(msg.prim);
  if (target === undefined) throw new StateError(`multiproc: no primitive ${msg.prim} in this agent (it was created elsewhere and never shared with it)`);
  const args = incoming(msg.args, 'child') as unknown[];
  return target._serve(msg.op, args, msg.owner, signal, wantsReply);
}

/** Records a handle a worker wrote into a shared queue, and passes it up while memory is shared. */
export function publishUp(handle: Handle): void {
  if (publishedHandle(handle.id) !== undefined) return;
  publish(handle);
  const link = parentLink();
  if (link !== null && link.shared) link.fire(handle.id, BrokerOp.publish, [handle], 0);
}

/** A worker decoded a queue item naming a primitive it has never seen: find its handle here or above. */
async function resolveForChild(id: string): Promise<Handle> {
  const known = findPrimitive(id);
  if (known !== undefined && known._shareable) return known._handle;
  const h = publishedHandle(id);
  if (h !== undefined) return h;
  const link = parentLink();
  if (link !== null && link.shared) return (await link.request(id, BrokerOp.resolve, [], 0)) as Handle;
  // The top of the shared tree: the producer's publish is on its way.
  return whenPublished(id);
}

/** A consumer's own lookup of a handle by id (used by the queue codec). */
export async function resolveHandle(id: string): Promise<Handle> {
  const h = publishedHandle(id);
  if (h !== undefined) return h;
  const link = parentLink();
  if (link !== null && link.shared) return (await link.request(id, BrokerOp.resolve, [], 0)) as unknown as Handle;
  return whenPublished(id);
}

function isThenable(v: unknown): v is PromiseLike<unknown> {
  return typeof v === 'object' && v !== null && typeof (v as { then?: unknown }).then === 'function';
}

