/**
 * `Value`: Python's `multiprocessing.Value`, one number in shared memory
 * (SEMANTICS V01–V06). `.value` reads and writes it directly; `v.value += 1`
 * is not atomic (V04): take `getLock()` around it. By default the lock is a
 * new `RLock`; `{ lock: false }` gives none; `{ lock: someLock }` uses yours.
 *
 * A Value needs shared memory to be shared: passing one to a worker that
 * does not share memory with its parent (a child process, the brokered
 * backend) is refused when the task is submitted, with an `EncodingError`
 * whose code is `MP_NEEDS_SHARED_MEMORY`. In a runtime without shared
 * memory at all, a Value works within its own agent.
 */
import { StateError } from '../errors.js';
import { checkOptions, optionKeys } from '../util/validate.js';
import { Lock } from './lock.js';
import { initialHandle, type NoOps, Primitive, unknownOp } from './primitive.js';
import { defineKind } from './transport/kinds.js';
import { RLock } from './rlock.js';
import { checkElement, checkType, viewOf, type TypedArrayOf, type ValueOf, type ValueType } from './value-types.js';

/**
 * Options of `new Value` and `new SharedArray`.
 *
 * @example
 * ```ts
 * const fast = new Value('int32', 0, { lock: false });      // no lock: the caller synchronizes
 * const shared = new Value('float64', 0, { lock: myLock });  // guarded by a lock of your own
 * ```
 */
export interface SharedValueOptions {
  /** `true` (default): a new RLock; `false`: none; or the Lock/RLock to use. */
  lock?: boolean | Lock | RLock;
}

interface ValueExtra {
  readonly type: ValueType;
  readonly lock: Lock | RLock | null;
}

const VALUE_OPTION_KEYS = optionKeys<SharedValueOptions>({ lock: true });

/** Resolves the `lock` option. */
export function lockOption(options: SharedValueOptions | undefined, what: string): Lock | RLock | null {
  const lock = checkOptions(options, `${what} options`, VALUE_OPTION_KEYS).lock;
  if (lock === undefined || lock === true) return new RLock();
  if (lock === false || lock === null) return null;
  if (lock instanceof Lock || lock instanceof RLock) return lock;
  throw new TypeError(`${what} options.lock must be a boolean, a Lock or an RLock`);
}

const KIND = defineKind('value', { revive: (x) => new Value(x.type as ValueType) });


/**
 * One number shared by every agent it is passed to.
 *
 * @example
 * ```ts
 * const counter = new Value('int32', 0);
 * await pool.map('increment', Array.from({ length: 4 }, () => [counter, 1000]));
 * // in the task: await counter.getLock().withLock(() => { counter.value += 1; });
 * console.log(counter.value); // 4000
 * ```
 */
export class Value<K extends ValueType = ValueType> extends Primitive<NoOps> {
  readonly #view: TypedArrayOf<K>;
  readonly #x: ValueExtra;

  constructor(type: K, initial?: ValueOf<K>, options?: SharedValueOptions) {
    const t = checkType(type, 'Value');
    const bigint = t === 'bigint64' || t === 'biguint64';
    const first = checkElement(t, initial ?? (bigint ? 0n : 0), 'Value initial value');
    const h = initialHandle(
      KIND,
      8,
      [],
      () => ({ type: t, lock: lockOption(options, 'Value') }),
      (s) => {
        viewOf(t, s, 1)[0] = first;
      },
      false,
    );
    super(h);
    this.#x = h.x as ValueExtra;
    this.#view = viewOf(this.#x.type, h.s as ArrayBufferLike, 1) as unknown as TypedArrayOf<K>;
  }

  /** The element type. */
  get type(): K {
    return this.#x.type as K;
  }

  /** The number now; assigning writes it (not atomic with a read: use the lock). */
  get value(): ValueOf<K> {
    return this.#view[0] as ValueOf<K>;
  }

  set value(v: ValueOf<K>) {
    (this.#view as { [i: number]: number | bigint })[0] = checkElement(this.#x.type, v, 'Value.value');
  }

  /**
   * The value, as a promise (the async form of `.value`).
   *
   * @example
   * ```ts
   * const n = await v.get();
   * ```
   */
  async get(): Promise<ValueOf<K>> {
    return this.value;
  }

  /**
   * Writes the value (the async form of `.value = x`).
   *
   * @example
   * ```ts
   * await v.set(42);
   * ```
   */
  async set(v: ValueOf<K>): Promise<void> {
    this.value = v;
  }

  /**
   * The lock that guards read-modify-write; throws `StateError` for a Value made with `{ lock: false }`.
   *
   * @example
   * ```ts
   * await v.getLock().withLock(() => { v.value += 1; });
   * ```
   */
  getLock(): Lock | RLock {
    if (this.#x.lock === null) throw new StateError('this Value was made with { lock: false } and has no lock');
    return this.#x.lock;
  }

  /** @internal */
  override get _sharedOnly(): boolean {
    return true;
  }

  /** @internal */
  protected _run(op: never): unknown {
    return unknownOp('Value', op);
  }
}
