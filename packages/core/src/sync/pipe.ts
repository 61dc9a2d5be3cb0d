/**
 * `Pipe()` and `Connection`: Python's `multiprocessing.Pipe` (SEMANTICS
 * N01–N13). Each direction is a shared queue of whole messages, so message
 * boundaries hold (an empty message is still a message). `send` is
 * synchronous and throws at once for what cannot cross.
 *
 * End-of-stream follows Python's rule for file handles: every copy of an end
 * counts (the original, and each copy sent to another agent, counted from
 * the moment it is sent until it arrives). When the last copy of one end is
 * closed, the other end's `recv()` returns what is left and then throws
 * `EOFError`. So the parent may close its copy of the child's end right after
 * handing it over (N12). A worker that ends normally closes the copies it
 * holds; one that crashes leaves them open.
 *
 * State: a control block ([4e] open copies of end e, [4e+1] copies in
 * transit) and one ring per direction (ring e carries what end e writes).
 */
import { EOFError, QueueEmptyError, StateError } from '../errors.js';
import { agentId, newPrimitiveId, onAgentExit } from '../agent/agent.js';
import { deadlineAfter, futexNotify, timeLeft } from './shared-memory/futex.js';
import { BrokerOp, parentLink } from './transport/link.js';
import { timeoutOf, wireTimeout, fromWireTimeout, type WaitOptions, type WireTimeout } from './options.js';
import { constructFrom, takeAdopting, takeForcedId } from './transport/construct.js';
import { allocState, checkBlocking, type OpName, Primitive, unknownOp } from './primitive.js';
import { defineKind } from './transport/kinds.js';
import { QueueCore } from './shared-memory/queue-core.js';
import { allocRing, ITEM_SEQ } from './shared-memory/ring.js';
import type { Handle } from './transport/handle.js';

interface EndExtra {
  readonly end: 0 | 1;
  readonly duplex: boolean;
  /** Ring buffers by writing end (absent on a proxy). */
  readonly rings?: readonly (SharedArrayBuffer | ArrayBuffer | null)[];
}

const openEnds = new Set<Connection>();
let exitHooked = false;


const CONNECTION = defineKind('connection', { revive: () => new Connection() });
const PIPE = defineKind('pipe', { create: (args) => Pipe(args[0] as boolean) });

/** Connection's brokered operations (see `OpTable` in primitive.ts); `sent`: a copy was written for another agent; `arrived`/`adopt`: one arrived where this end is open / was closed. */
export type ConnectionOps<T> = {
  send: [[message: T], undefined];
  recv: [[], T];
  poll: [[timeout: WireTimeout], boolean];
  close: [[], undefined];
  sent: [[], undefined];
  arrived: [[], undefined];
  adopt: [[], undefined];
};

/**
 * One end of a pipe.
 *
 * @example
 * ```ts
 * const [parentEnd, childEnd] = Pipe();
 * const p = new Process({ module: url, target: 'echo', args: [childEnd] });
 * p.start();
 * childEnd.close();                 // the child has its own copy
 * parentEnd.send('hello');
 * console.log(await parentEnd.recv());
 * ```
 */
export class Connection<T = unknown> extends Primitive<ConnectionOps<T>> {
  readonly #x: EndExtra;
  readonly #ctl: Int32Array | undefined;
  readonly #in: QueueCore | undefined;
  readonly #out: QueueCore | undefined;
  #closed: boolean;

  // Kept in the published types: without it they would show Primitive's protected constructor.
  /** Use `Pipe()`: a Connection made directly throws. */
  constructor() {
    const h = takeAdopting();
    if (h === undefined) throw new TypeError('Connections come from Pipe()');
    super(h);
    const x = h.x as EndExtra;
    this.#x = x;
    // A revived copy opens when it is adopted; an original is open from the start.
    this.#closed = fresh !== h;
    if (h.s !== undefined && x.rings !== undefined) {
      this.#ctl = new Int32Array(h.s);
      const inRing = x.rings[1 - x.end];
      const outRing = x.rings[x.end];
      this.#in = inRing ? new QueueCore(inRing, 0, false, 'Pipe') : undefined;
      this.#out = outRing ? new QueueCore(outRing, 0, false, 'Pipe') : undefined;
    }
    if (!this.#closed) track(this);
  }

  /** Whether this end can `recv`. */
  get readable(): boolean {
    return this.#x.duplex || this.#x.end === 0;
  }

  /** Whether this end can `send`. */
  get writable(): boolean {
    return this.#x.duplex || this.#x.end === 1;
  }

  /** Whether this copy was closed. */
  get closed(): boolean {
    return this.#closed;
  }

  /**
   * Sends one message (anything a queue item may be). Throws at once
   * (`EncodingError`) if it cannot cross, and `StateError` when this end is
   * closed, read-only, or the other end is gone.
   *
   * @example
   * ```ts
   * conn.send({ type: 'progress', done: 3 });
   * ```
   */
  send(message: T): void {
    this.#check('send');
    if (!this.writable) throw new StateError('connection is read-only');
    if (this.#ctl === undefined) {
      this._fire('send', [message]);
      return;
    }
    this.#send(message);
  }

  /**
   * Resolves with the next message; rejects with `EOFError` once the other
   * end is closed and nothing is left.
   *
   * @example
   * ```ts
   * const reply = await conn.recv();
   * ```
   */
  recv(): Promise<T> {
    try {
      this.#check('recv');
      if (!this.readable) throw new StateError('connection is write-only');
      if (this.#ctl === undefined) return this._request('recv', []);
      return this.#recv(undefined) as Promise<T>;
    } catch (err) {
      return Promise.reject(err);
    }
  }

  /**
   * `recv` blocking the thread (workers with shared memory only).
   *
   * @example
   * ```ts
   * const msg = conn.recvSync();
   * ```
   */
  recvSync(): T {
    this.#check('recvSync');
    if (!this.readable) throw new StateError('connection is write-only');
    checkBlocking(this, 'recvSync()', 'await conn.recv()');
    const core = this.#in as QueueCore;
    for (;;) {
      const seq = Atomics.load(core.i32, ITEM_SEQ);
      if (core.qsize() > 0) {
        try {
          return core.getSync(0) as T;
        } catch (err) {
          if (!(err instanceof QueueEmptyError)) throw err;
          continue;
        }
      }
      if (this.#peerGone()) throw new EOFError('the other end of the pipe is closed');
      core.waitItemSync(seq, Infinity);
    }
  }

  /** Whether a message (or end-of-stream) is ready now. */
  poll(): boolean;
  /** Waits up to `timeout` ms (`{}`: forever) for a message or end-of-stream. */
  poll(options: WaitOptions): Promise<boolean>;
  poll(options?: WaitOptions): boolean | Promise<boolean> {
    if (options === undefined) {
      this.#check('poll');
      if (!this.readable) throw new StateError('connection is write-only');
      if (this.#ctl === undefined) this._needsShared('poll()', 'await conn.poll({ timeout: 0 })');
      return this.#ready();
    }
    try {
      const timeout = timeoutOf(options, 'poll');
      this.#check('poll');
      if (!this.readable) throw new StateError('connection is write-only');
      if (this.#ctl === undefined) return this._request('poll', [wireTimeout(timeout)]);
      return this.#poll(timeout, undefined);
    } catch (err) {
      return Promise.reject(err);
    }
  }

  /**
   * Closes this copy of the end. Idempotent. When no copy of it is left open,
   * the other end sees end-of-stream.
   *
   * @example
   * ```ts
   * conn.close();
   * ```
   */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    openEnds.delete(this);
    if (this.#ctl === undefined) this._fire('close', []);
    else this.#release();
  }

  /** @internal */
  protected override _remoteExtra(): unknown {
    return { end: this.#x.end, duplex: this.#x.duplex };
  }

  /** @internal */
  protected override _sending(): void {
    if (this.#ctl === undefined) this._fire('sent', []);
    else Atomics.add(this.#ctl, 4 * this.#x.end + 1, 1);
  }

  /** @internal */
  override _adopted(): void {
    const reopen = this.#closed;
    if (reopen) {
      this.#closed = false;
      track(this);
    }
    if (this.#ctl === undefined) this._fire(reopen ? 'adopt' : 'arrived', []);
    else this.#arrive(reopen);
  }

  #check(call: string): void {
    if (this.#closed) throw new StateError(`${call}() on a closed connection (handle is closed)`);
  }

  #send(message: unknown): void {
    if (this.#gone(1 - this.#x.end)) throw new StateError('the other end of the pipe is closed');
    const core = this.#out as QueueCore;
    if (!core.pushNow(core.encode(message))) throw new StateError('the pipe is out of room (this runtime cannot grow shared buffers)');
  }

  #arrive(reopen: boolean): void {
    const ctl = this.#ctl as Int32Array;
    const t = 4 * this.#x.end + 1;
    for (;;) {
      const v = Atomics.load(ctl, t);
      if (v <= 0 || Atomics.compareExchange(ctl, t, v, v - 1) === v) break;
    }
    if (reopen) Atomics.add(ctl, 4 * this.#x.end, 1);
  }

  #release(): void {
    Atomics.sub(this.#ctl as Int32Array, 4 * this.#x.end, 1);
    // Readers of what this end wrote may now be at end-of-stream.
    const out = this.#out;
    if (out !== undefined) {
      Atomics.add(out.i32, ITEM_SEQ, 1);
      futexNotify(out.i32, ITEM_SEQ);
    }
  }

  /** @internal the parent's stand-in for an end a worker made: not a copy of its own. */
  _standIn(): void {
    this.#closed = true;
    openEnds.delete(this);
  }

  #gone(end: number): boolean {
    const ctl = this.#ctl as Int32Array;
    return Atomics.load(ctl, 4 * end) <= 0 && Atomics.load(ctl, 4 * end + 1) <= 0;
  }

  #peerGone(): boolean {
    return this.#gone(1 - this.#x.end);
  }

  #ready(): boolean {
    return (this.#in as QueueCore).qsize() > 0 || this.#peerGone();
  }

  async #poll(timeout: number, signal: AbortSignal | undefined): Promise<boolean> {
    const i32 = (this.#in as QueueCore).i32;
    const deadline = deadlineAfter(timeout);
    for (;;) {
      const seq = Atomics.load(i32, ITEM_SEQ);
      if (this.#ready()) return true;
      const left = timeLeft(deadline);
      if (left <= 0) return false;
      // As a looker: a send then wakes every poller, and the getters too.
      if ((await (this.#in as QueueCore).waitItem(seq, left, signal, true)) === 'aborted') return false;
    }
  }

  async #recv(signal: AbortSignal | undefined): Promise<unknown> {
    const core = this.#in as QueueCore;
    for (;;) {
      const seq = Atomics.load(core.i32, ITEM_SEQ);
      if (core.qsize() > 0) {
        try {
          return await core.get(0, signal);
        } catch (err) {
          // Another copy of this end took it first.
          if (!(err instanceof QueueEmptyError)) throw err;
          continue;
        }
      }
      if (this.#peerGone()) throw new EOFError('the other end of the pipe is closed');
      if ((await core.waitItem(seq, Infinity, signal)) === 'aborted') throw new StateError('recv() was cancelled');
    }
  }

  /** @internal */
  protected _run(op: OpName<ConnectionOps<T>>, args: unknown[], _owner: number, signal: AbortSignal | undefined): unknown {
    switch (op) {
      case 'send':
        return this.#send(args[0]);
      case 'recv':
        return this.#recv(signal);
      case 'poll':
        return this.#poll(fromWireTimeout(args[0]), signal);
      case 'close':
        return this.#release();
      case 'sent':
        Atomics.add(this.#ctl as Int32Array, 4 * this.#x.end + 1, 1);
        return undefined;
      case 'adopt':
      case 'arrived':
        return this.#arrive(op === 'adopt');
      default:
        return unknownOp('Connection', op);
    }
  }
}

/** The handle an original end is built from (open from the start). */
let fresh: Handle | undefined;

function track(c: Connection): void {
  openEnds.add(c);
  if (!exitHooked) {
    exitHooked = true;
    onAgentExit(() => {
      for (const end of [...openEnds]) end.close();
    });
  }
}

/**
 * A pipe: two connected `Connection`s. Duplex by default (both ends send and
 * receive); with `duplex` false, the first end only receives and the second
 * only sends, as Python's `(reader, writer)`.
 *
 * @example
 * ```ts
 * const [a, b] = Pipe();
 * a.send([1, 2.25, null]);
 * console.log(await b.recv());   // [1, 2.25, null]
 * ```
 */
export function Pipe<T = unknown>(duplex = true): [Connection<T>, Connection<T>] {
  if (typeof duplex !== 'boolean') throw new TypeError('Pipe(duplex): duplex must be a boolean');
  const forced = takeForcedId();
  const base = forced ?? newPrimitiveId();
  const link = parentLink();
  const end = (h: Handle): Connection<T> => {
    fresh = h;
    try {
      return constructFrom(h, () => new Connection<T>());
    } finally {
      fresh = undefined;
    }
  };
  if (forced === undefined && link !== null && !link.shared) {
    link.fire(base, BrokerOp.new, [PIPE, duplex], agentId());
    return [end({ k: CONNECTION, id: `${base}/0`, r: 1, x: { end: 0, duplex } }), end({ k: CONNECTION, id: `${base}/1`, r: 1, x: { end: 1, duplex } })];
  }
  const ctl = allocState(32);
  const counts = new Int32Array(ctl);
  // A pipe made for a worker (the broker's stand-ins) counts the worker's two originals as open.
  counts[0] = 1;
  counts[4] = 1;
  const rings = duplex ? [allocRing(), allocRing()] : [null, allocRing()];
  const a = end({ k: CONNECTION, id: `${base}/0`, s: ctl, x: { end: 0, duplex, rings } });
  const b = end({ k: CONNECTION, id: `${base}/1`, s: ctl, x: { end: 1, duplex, rings } });
  if (forced !== undefined) {
    // Made for a worker: the parent's instances are stand-ins, not copies of their own.
    a._standIn();
    b._standIn();
  }
  return [a, b];
}
