/**
 * A worker's line to its parent's broker, on the same channel as its task
 * results. Proxies (remote primitives) send their operations here: a request
 * waits for a `sync-reply`; a synchronous mutation (`release()`, `set()`,
 * `taskDone()`...) is posted at once and needs no reply. Because it is posted
 * directly, before serve's outbox flushes the running task's result, it has
 * taken effect in the parent before that result settles.
 *
 * With shared memory the line only carries `publish`/`resolve` for primitives
 * that travel inside queue items.
 */
import { decodeError } from '../../protocol/error-codec.js';
import { EncodingError } from '../../errors.js';
import type { SyncReplyMessage } from '../../protocol/messages.js';
import { syncState, type WorkerLine } from '../../sync-bridge.js';
import { outgoing, incoming } from './wire.js';

/**
 * The broker's own operations, beside each primitive's (`OpTable` in
 * primitive.ts): a worker's `new` (args: the kind, then the constructor's),
 * a handle published up the tree of agents sharing memory, a handle looked
 * up by id. Written as `BrokerOp.new` by sender and broker alike.
 */
export const BrokerOp = { new: 'new', publish: 'publish', resolve: 'resolve' } as const;

/** What a proxy or the codec needs from the parent. */
export interface ParentLink {
  /** Whether this worker shares memory with its parent. */
  readonly shared: boolean;
  request(prim: string, op: string, args: readonly unknown[], owner: number): Promise<unknown>;
  /** Posts at once, no reply; throws (EncodingError) synchronously when an argument cannot be sent. */
  fire(prim: string, op: string, args: readonly unknown[], owner: number): void;
}

class Link implements ParentLink {
  readonly shared: boolean;
  readonly #line: WorkerLine;
  readonly #pending = new Map<number, { resolve(v: unknown): void; reject(e: unknown): void }>();
  #next = 1;

  constructor(line: WorkerLine) {
    this.#line = line;
    this.shared = line.shared;
  }

  request(prim: string, op: string, args: readonly unknown[], owner: number): Promise<unknown> {
    const req = this.#next++;
    return new Promise((resolve, reject) => {
      this.#pending.set(req, { resolve, reject });
      try {
        this.#send(req, prim, op, args, owner);
      } catch (err) {
        this.#pending.delete(req);
        reject(err);
      }
    });
  }

  fire(prim: string, op: string, args: readonly unknown[], owner: number): void {
    this.#send(0, prim, op, args, owner);
  }

  receive(msg: SyncReplyMessage): void {
    const p = this.#pending.get(msg.req);
    if (p === undefined) return;
    this.#pending.delete(msg.req);
    if (msg.error !== undefined) p.reject(decodeError(msg.error));
    else p.resolve(incoming(msg.value, 'parent'));
  }

  #send(req: number, prim: string, op: string, args: readonly unknown[], owner: number): void {
    const wire = outgoing(args, this.shared) as unknown[];
    try {
      this.#line.post({ type: 'sync', req, prim, op, args: wire, owner, task: this.#line.taskId() });
    } catch (err) {
      throw new EncodingError(`A value cannot be sent to the parent: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
    }
  }
}

let link: Link | null = null;

/**
 * This worker's line to its parent, or null in the main thread (and in
 * in-process test workers). Opened on first use from the line serve() set
 * at init (sync-bridge.ts), so serve need not load this module.
 */
export function parentLink(): ParentLink | null {
  if (link === null && syncState.line !== undefined) link = new Link(syncState.line);
  return link;
}

/** @internal serve() hands every `sync-reply` here. */
export function receiveSyncReply(msg: SyncReplyMessage): void {
  link?.receive(msg);
}
