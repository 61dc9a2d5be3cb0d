/**
 * `Event`: Python's `multiprocessing.Event`, a flag every agent can set,
 * clear and wait for (SEMANTICS E01–E05). `set()` wakes every waiter in every
 * agent; `wait()` resolves with the flag, never undefined.
 *
 * State (4 bytes): [0] the flag.
 */
import { futexNotify } from './shared-memory/futex.js';
import { waitUntil, waitUntilSync, type WaitStep } from './shared-memory/wait-loop.js';
import { fromWireTimeout, timeoutOf, wireTimeout, type WaitOptions, type WireTimeout } from './options.js';
import { checkBlocking, initialHandle, type OpName, Primitive, unknownOp } from './primitive.js';
import { defineKind } from './transport/kinds.js';

const KIND = defineKind('event', { revive: () => new Event(), create: () => [new Event()] });

/** The wait of both forms of `wait`: done once the flag is set; sleep while it is 0. */
const IS_SET: WaitStep = { attempt: (i32) => Atomics.load(i32, 0) === 1, sleepOn: 0 };

/** Event's brokered operations (see `OpTable` in primitive.ts): name: [arguments, result]. */
export type EventOps = {
  set: [[], undefined];
  clear: [[], undefined];
  wait: [[timeout: WireTimeout], boolean];
};


/**
 * A flag shared by the parent and every worker it is passed to.
 *
 * @example
 * ```ts
 * const ready = new Event();
 * const r = pool.applyAsync('waitThenWork', [ready]);   // the task awaits ready.wait()
 * ready.set();
 * await r;
 * ```
 */
export class Event extends Primitive<EventOps> {
  readonly #i32: Int32Array | undefined;

  constructor() {
    const h = initialHandle(KIND, 4, []);
    super(h);
    this.#i32 = h.s === undefined ? undefined : new Int32Array(h.s);
  }

  /**
   * Whether the flag is set (synchronous).
   *
   * @example
   * ```ts
   * if (!stop.isSet()) step();
   * ```
   */
  isSet(): boolean {
    if (this.#i32 === undefined) this._needsShared('isSet()', 'await event.wait({ timeout: 0 })');
    return Atomics.load(this.#i32, 0) === 1;
  }

  /**
   * Sets the flag and wakes every waiter. Idempotent.
   *
   * @example
   * ```ts
   * done.set();
   * ```
   */
  set(): void {
    if (this.#i32 === undefined) {
      this._fire('set', []);
      return;
    }
    this.#set();
  }

  /**
   * Clears the flag.
   *
   * @example
   * ```ts
   * gate.clear();
   * ```
   */
  clear(): void {
    if (this.#i32 === undefined) {
      this._fire('clear', []);
      return;
    }
    Atomics.store(this.#i32, 0, 0);
  }

  /**
   * Waits until the flag is set or `timeout` ms pass; resolves with the flag.
   *
   * @example
   * ```ts
   * if (!(await started.wait({ timeout: 5_000 }))) throw new Error('never started');
   * ```
   */
  wait(options?: WaitOptions): Promise<boolean> {
    const timeout = timeoutOf(options, 'wait');
    if (this.#i32 === undefined) return this._request('wait', [wireTimeout(timeout)]);
    return this.#wait(timeout, undefined);
  }

  /**
   * `wait` blocking the thread (workers with shared memory only).
   *
   * @example
   * ```ts
   * export function worker(go: Event) { go.waitSync(); ... }
   * ```
   */
  waitSync(options?: WaitOptions): boolean {
    const timeout = timeoutOf(options, 'waitSync');
    checkBlocking(this, 'waitSync()', 'await event.wait()');
    return waitUntilSync(IS_SET, this.#i32 as Int32Array, 0, timeout);
  }

  #set(): void {
    const i32 = this.#i32 as Int32Array;
    if (Atomics.exchange(i32, 0, 1) !== 1) futexNotify(i32, 0);
  }

  #wait(timeout: number, signal: AbortSignal | undefined): Promise<boolean> {
    return waitUntil(IS_SET, this.#i32 as Int32Array, 0, timeout, signal);
  }

  /** @internal */
  protected _run(op: OpName<EventOps>, args: unknown[], _owner: number, signal: AbortSignal | undefined): unknown {
    switch (op) {
      case 'set':
        return this.#set();
      case 'clear':
        Atomics.store(this.#i32 as Int32Array, 0, 0);
        return undefined;
      case 'wait':
        return this.#wait(fromWireTimeout(args[0]), signal);
      default:
        return unknownOp('Event', op);
    }
  }
}
