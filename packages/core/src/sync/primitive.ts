/**
 * The base of every synchronization primitive: its handle (how it travels),
 * its backend, and the plumbing of the brokered backend.
 *
 * Three backends, one API (see docs/api.md, "Synchronization primitives"):
 * - shared: the state is a `SharedArrayBuffer` every agent operates on with
 *   `Atomics` (threads, isolated pages, Deno, Bun);
 * - local: the same code on a plain buffer, where the runtime has no shared
 *   memory (a page without cross-origin isolation); it never leaves the agent
 *   except as a remote handle;
 * - remote: a proxy in a worker that does not share memory with its parent
 *   (a child process, or threads with the brokered backend forced); every
 *   operation is a message to the parent's broker, which runs it on the real
 *   instance on this agent's behalf.
 */
import { EncodingError, StateError } from '../errors.js';
import { agentId, blockingAllowed, newPrimitiveId } from '../agent/agent.js';
import { activateSync } from './transport/bridge.js';
import { takeAdopting, takeForcedId } from './transport/construct.js';
import { BRAND, LIVE, type Handle } from './transport/handle.js';
import { BrokerOp, parentLink } from './transport/link.js';
import { cacheSet, directorySet } from './transport/registry.js';

/**
 * The handle a constructor starts from: the one being revived, or a new one.
 * In a worker that does not share memory with its parent the primitive is
 * created in the parent (so every agent can reach it), and this agent holds a
 * proxy; `args` are the constructor arguments sent along. `init` fills a
 * freshly allocated state buffer (never a revived one). `extra` may be a
 * function, called only when the state is made here (a proxy has none);
 * `bytes` may be an allocator instead of a size.
 */
export function initialHandle(
  kind: string,
  bytes: number | (() => SharedArrayBuffer | ArrayBuffer),
  args: readonly unknown[],
  extra?: unknown,
  init?: (state: SharedArrayBuffer | ArrayBuffer) => void,
  brokerable = true,
): Handle {
  const h = takeAdopting();
  if (h !== undefined) return h;
  const id = takeForcedId() ?? newPrimitiveId();
  const link = parentLink();
  if (brokerable && link !== null && !link.shared) {
    link.fire(id, BrokerOp.new, [kind, ...args], agentId());
    return { k: kind, id, r: 1, x: typeof extra === 'function' ? undefined : extra };
  }
  const s = typeof bytes === 'number' ? allocState(bytes) : bytes();
  init?.(s);
  return { k: kind, id, s, x: typeof extra === 'function' ? (extra as () => unknown)() : extra };
}

/** A zeroed state buffer: shared where the runtime has shared memory, local otherwise. */
export function allocState(bytes: number): SharedArrayBuffer | ArrayBuffer {
  return typeof SharedArrayBuffer === 'function' ? new SharedArrayBuffer(bytes) : new ArrayBuffer(bytes);
}

/**
 * A primitive's brokered operations, declared once per class: each name with
 * its arguments (as a proxy sends them) and its result. A proxy's
 * `_request`/`_fire` and the broker's `_run` both take the names from it, so
 * an operation name the other side does not know is a compile error. The
 * names travel as strings (`SyncMessage.op`).
 */
export type OpTable = { readonly [op: string]: readonly [args: readonly unknown[], result: unknown] };

/** The table of a primitive with no brokered operation (Value, SharedArray: shared memory only). */
export type NoOps = Record<never, never>;

/** The names of an {@link OpTable}. */
export type OpName<Ops extends OpTable> = keyof Ops & string;

/** Base class of every primitive; see the module comment. */
export abstract class Primitive<Ops extends OpTable = OpTable> {
  /** @internal how this primitive travels (the one own enumerable property). */
  declare readonly __multiproc__: Handle;

  protected constructor(handle: Handle) {
    Object.defineProperty(this, BRAND, { value: handle, enumerable: true });
    activateSync();
    cacheSet(this, handle.id);
  }

  /** @internal a brand instead of `instanceof`: transport/wire.ts need not import this class (no cycle), and a second copy of core still recognises it. */
  get [LIVE](): true {
    return true;
  }

  /** @internal */
  get _handle(): Handle {
    return this.__multiproc__;
  }

  /** @internal true for a proxy whose state lives in the parent. */
  get _remote(): boolean {
    return this.__multiproc__.r === 1;
  }

  /** @internal true when the state is in shared memory (it can travel to threads by reference). */
  get _shareable(): boolean {
    const s = this.__multiproc__.s;
    return s !== undefined && typeof SharedArrayBuffer === 'function' && s instanceof SharedArrayBuffer;
  }

  /** @internal Value and SharedArray: only shared memory will do. */
  get _sharedOnly(): boolean {
    return false;
  }

  /**
   * @internal what goes on the wire for this primitive: itself where memory is
   * shared (structured clone copies its handle), else a remote handle, the
   * instance kept in the directory for the broker.
   */
  _outgoing(shared: boolean): object {
    this._sending();
    if (shared && this._shareable) return this;
    if (this._sharedOnly) {
      throw new EncodingError(
        `A ${this.constructor.name} needs shared memory, and this worker does not share memory with its parent (a child process, or the brokered backend): use a Queue or pass plain values instead`,
        { code: 'MP_NEEDS_SHARED_MEMORY' },
      );
    }
    directorySet(this, this.__multiproc__.id);
    return { [BRAND]: { k: this.__multiproc__.k, id: this.__multiproc__.id, r: 1, x: this._remoteExtra() } };
  }

  /** @internal extras a proxy needs locally (flags, parties...); no buffers or instances. */
  protected _remoteExtra(): unknown {
    return undefined;
  }

  /** @internal called each time this primitive is written for another agent (pipe ends count copies). */
  protected _sending(): void {}

  /** @internal called when a copy sent by {@link _sending} arrives here; `fresh` when this agent had none. */
  _adopted(_fresh: boolean): void {}

  /** @internal sends an operation to the parent's broker and waits for its answer. */
  protected _request<K extends OpName<Ops>>(op: K, args: Ops[K][0]): Promise<Ops[K][1]> {
    const link = parentLink();
    if (link === null) return Promise.reject(new StateError(`This ${this.constructor.name} lives in another agent that this one cannot reach`));
    return link.request(this.__multiproc__.id, op, args, agentId()) as Promise<Ops[K][1]>;
  }

  /** @internal sends a synchronous mutation to the parent's broker; it travels before the task's result. */
  protected _fire<K extends OpName<Ops>>(op: K, args: Ops[K][0]): void {
    const link = parentLink();
    if (link === null) throw new StateError(`This ${this.constructor.name} lives in another agent that this one cannot reach`);
    link.fire(this.__multiproc__.id, op, args, agentId());
  }

  /** @internal throws the StateError of a synchronous call that needs shared memory this agent lacks. */
  protected _needsShared(call: string, instead: string): never {
    throw new StateError(
      `${this.constructor.name}.${call} needs shared memory, which this worker does not share with its parent (a child process, or the brokered backend); use ${instead}`,
    );
  }

  /**
   * @internal the broker's entry: runs `op` for `owner` (another agent). A
   * proxy in the middle of a chain forwards it to its own parent. `op` and
   * `args` come off the wire: `_run` refuses an unknown name and checks the
   * arguments.
   */
  _serve(op: string, args: unknown[], owner: number, signal: AbortSignal | undefined, reply: boolean): unknown {
    if (!this._remote) return this._run(op as OpName<Ops>, args, owner, signal);
    const link = parentLink();
    if (link === null) throw new StateError('no parent to forward to');
    if (!reply) {
      link.fire(this.__multiproc__.id, op, args, owner);
      return undefined;
    }
    return link.request(this.__multiproc__.id, op, args, owner);
  }

  /**
   * @internal runs one brokered operation on the local state: a `switch` over
   * `op` whose `default` is {@link unknownOp} (so every name must have its case).
   * `args` are as the wire delivered them, unchecked.
   */
  protected abstract _run(op: OpName<Ops>, args: unknown[], owner: number, signal: AbortSignal | undefined): unknown;
}

/**
 * The error of an operation name the broker does not know (the `default` of
 * a `_run` switch: `op` is `never` there once every declared name has its case).
 */
export function unknownOp(kind: string, op: never): never {
  throw new StateError(`multiproc: ${kind} has no brokered operation "${String(op)}"`);
}

/** Throws unless this agent may block in `Atomics.wait` on this primitive (a worker, shared memory); returns true. */
export function checkBlocking(p: Primitive, call: string, instead: string): true {
  if (!blockingAllowed() || !p._shareable) {
    throw new StateError(`${p.constructor.name}.${call} blocks the thread, which only a worker sharing memory with its parent may do; use ${instead}`);
  }
  return true;
}
