/**
 * The library's error classes. Every one has `name` equal to its class name, a
 * stable `code` (`MP_*`) and, where there is one, a `cause`. Codes are the
 * contract; messages may improve. Programmer mistakes (bad arguments) throw
 * plain `TypeError`/`RangeError` instead, as built-ins do.
 *
 * These classes cross the worker boundary as themselves (see `error-codec.ts`):
 * a `StateError` thrown in a worker is a `StateError` in the parent.
 */

const kBrand = Symbol.for('multiproc.error');

/**
 * Options accepted by every multiproc error constructor.
 *
 * @example
 * ```ts
 * throw new StateError('the queue is closed', { cause: err });
 * ```
 */
export interface MultiprocErrorOptions {
  /** The error that led to this one. */
  cause?: unknown;
}

/**
 * Base class of every error the library itself raises.
 *
 * @example
 * ```ts
 * try { await pool.apply('fib', [30]); }
 * catch (err) { if (isMultiprocError(err)) console.log(err.code); }
 * ```
 */
export class MultiprocError extends Error {
  /** A stable identifier, e.g. `'MP_TIMEOUT'`. */
  readonly code: string = 'MP_ERROR';
  constructor(message: string, options?: MultiprocErrorOptions) {
    super(message, options);
    // Assigned (not a getter) so structured clone and logs show the real name.
    // From a string literal for the library's own classes: minifiers rename classes.
    this.name = libraryNames.get(new.target) ?? new.target.name;
  }
  /** @internal brand that survives duplicate installs of the package. */
  get [kBrand](): true {
    return true;
  }
}

/**
 * True for any error raised by multiproc, even from another copy of the package.
 *
 * @example
 * ```ts
 * if (isMultiprocError(err) && err.code === 'MP_WORKER_EXITED') retry();
 * ```
 */
export function isMultiprocError(value: unknown): value is MultiprocError {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[kBrand] === true;
}

/**
 * A wait ran out of time: `AsyncResult.get({ timeout })` or an `imap` `next({ timeout })`
 * (the task goes on), or a per-task `timeout` passed (the task is stopped).
 *
 * @example
 * ```ts
 * await pool.apply('slow', [], { timeout: 100 }).catch((e) => e instanceof TimeoutError);
 * ```
 */
export class TimeoutError extends MultiprocError {
  override readonly code = 'MP_TIMEOUT';
}

/**
 * A submission was made after `close()` or `terminate()`, or a task was still
 * unfinished when the pool was terminated.
 *
 * @example
 * ```ts
 * pool.close();
 * try { pool.applyAsync('fib', [1]); } catch (e) { e instanceof PoolClosedError; }
 * ```
 */
export class PoolClosedError extends MultiprocError {
  override readonly code = 'MP_POOL_CLOSED';
}

/**
 * The pool's workers cannot start (the module fails to load, or the
 * initializer throws). Pending and later tasks reject with it; the pool does
 * not respawn forever. `cause` is the underlying error.
 *
 * @example
 * ```ts
 * const pool = new Pool(url, { initializer: 'boom' });
 * await pool.apply('fib', [1]).catch((e) => e instanceof BrokenPoolError);
 * ```
 */
export class BrokenPoolError extends MultiprocError {
  override readonly code = 'MP_BROKEN_POOL';
}

/**
 * `AsyncResult.successful()` was called before the result was ready.
 *
 * @example
 * ```ts
 * const r = pool.applyAsync('slow', []);
 * try { r.successful(); } catch (e) { e instanceof NotReadyError; }
 * ```
 */
export class NotReadyError extends MultiprocError {
  override readonly code = 'MP_NOT_READY';
}

/**
 * Fields of a {@link WorkerExitedError}.
 *
 * @example
 * ```ts
 * const e = new WorkerExitedError('worker died', { exitCode: null, signal: 'SIGKILL', taskName: 'fib', attempts: 1 });
 * ```
 */
export interface WorkerExitedErrorOptions extends MultiprocErrorOptions {
  exitCode: number | null;
  signal: string | null;
  taskName: string;
  attempts: number;
}

/**
 * The worker running this task died before it finished. The pool replaced the
 * worker and went on. After `retries`, the earlier attempts' errors are in the
 * `cause` chain.
 *
 * @example
 * ```ts
 * await pool.apply('crash', [3]).catch((e) => e instanceof WorkerExitedError && e.exitCode === 3);
 * ```
 */
export class WorkerExitedError extends MultiprocError {
  override readonly code = 'MP_WORKER_EXITED';
  /** Python's exit code of the worker: its own code, or minus the signal number (-9 for SIGKILL). */
  readonly exitCode: number | null;
  /** The signal that ended the worker process (`'SIGKILL'`), or null. */
  readonly signal: string | null;
  /** The task that was running. */
  readonly taskName: string;
  /** How many times the task was run in all. */
  readonly attempts: number;
  constructor(message: string, options: WorkerExitedErrorOptions) {
    super(message, options);
    this.exitCode = options.exitCode;
    this.signal = options.signal;
    this.taskName = options.taskName;
    this.attempts = options.attempts;
  }
}

/**
 * The codes of an {@link EncodingError}: `MP_ENCODING` for a value the codec
 * refuses, `MP_NEEDS_SHARED_MEMORY` for a `Value` or `SharedArray` sent to a
 * worker that does not share memory with its sender.
 *
 * @example
 * ```ts
 * catch (err) { if (err instanceof EncodingError && err.code === 'MP_NEEDS_SHARED_MEMORY') useBrokeredCopy(); }
 * ```
 */
export type EncodingErrorCode = 'MP_ENCODING' | 'MP_NEEDS_SHARED_MEMORY';

/**
 * Options of an {@link EncodingError}: its code, `MP_ENCODING` unless given.
 *
 * @example
 * ```ts
 * throw new EncodingError('a Value needs shared memory', { code: 'MP_NEEDS_SHARED_MEMORY' });
 * ```
 */
export interface EncodingErrorOptions extends MultiprocErrorOptions {
  code?: EncodingErrorCode;
}

/**
 * An argument or a result cannot cross the worker boundary (a function, a
 * symbol, a class instance the codec refuses...): code `MP_ENCODING`. A
 * `Value` or `SharedArray` passed to a worker that does not share memory with
 * its parent is refused with code `MP_NEEDS_SHARED_MEMORY` (one class, two
 * codes: both are "this cannot cross").
 *
 * @example
 * ```ts
 * await pool.apply('echo', [() => 1]).catch((e) => e instanceof EncodingError);
 * await pool.apply('bump', [new Value('int32')]).catch((e) => e.code === 'MP_NEEDS_SHARED_MEMORY');
 * ```
 */
export class EncodingError extends MultiprocError {
  override readonly code: EncodingErrorCode;
  constructor(message: string, options?: EncodingErrorOptions) {
    super(message, options);
    this.code = options?.code ?? 'MP_ENCODING';
  }
}

/**
 * The task name is not an exported function of the task module.
 *
 * @example
 * ```ts
 * await pool.apply('nope' as never, []).catch((e) => e instanceof UnknownTaskError);
 * ```
 */
export class UnknownTaskError extends MultiprocError {
  override readonly code = 'MP_UNKNOWN_TASK';
}

/**
 * The task's `AbortSignal` fired. `cause` is `signal.reason`.
 *
 * @example
 * ```ts
 * const ac = new AbortController();
 * const p = pool.apply('slow', [], { signal: ac.signal });
 * ac.abort();
 * await p.catch((e) => e instanceof AbortError);
 * ```
 */
export class AbortError extends MultiprocError {
  override readonly code = 'MP_ABORTED';
}

/**
 * A `Future` was cancelled (`cancel()`, or `shutdown({ cancelFutures: true })`)
 * before a worker started it: its `result()`, `exception()` and `await` reject
 * with this. An executor `map` whose chunks were cancelled throws it where they
 * were. Python's `concurrent.futures.CancelledError`.
 *
 * @example
 * ```ts
 * const f = ex.submit('fib', [30]);
 * if (f.cancel()) await f.result().catch((e) => e instanceof CancelledError); // true
 * ```
 */
export class CancelledError extends MultiprocError {
  override readonly code = 'MP_CANCELLED';
}

/**
 * `Queue.get` found nothing in time (or `getNowait` found it empty).
 *
 * @example
 * ```ts
 * try { q.getNowait(); } catch (e) { e instanceof QueueEmptyError; }
 * ```
 */
export class QueueEmptyError extends MultiprocError {
  override readonly code = 'MP_QUEUE_EMPTY';
}

/**
 * `Queue.put` found no room in time (or `putNowait` found it full).
 *
 * @example
 * ```ts
 * try { q.putNowait(1); } catch (e) { e instanceof QueueFullError; }
 * ```
 */
export class QueueFullError extends MultiprocError {
  override readonly code = 'MP_QUEUE_FULL';
}

/**
 * A `Barrier` was broken (reset, aborted, or a party timed out).
 *
 * @example
 * ```ts
 * await barrier.wait({ timeout: 10 }).catch((e) => e instanceof BrokenBarrierError);
 * ```
 */
export class BrokenBarrierError extends MultiprocError {
  override readonly code = 'MP_BROKEN_BARRIER';
}

/**
 * Misuse of state: starting a process twice, joining a pool that is still
 * running, releasing an unlocked lock, `taskDone()` too often.
 *
 * @example
 * ```ts
 * p.start();
 * try { p.start(); } catch (e) { e instanceof StateError; }
 * ```
 */
export class StateError extends MultiprocError {
  override readonly code = 'MP_STATE';
}

/**
 * A worker tried to start a pool or a process while its task module was still
 * loading, i.e. the module does it at its top level without the
 * `isMainProcess()` guard. Every worker would do the same again, without end;
 * Python raises a `RuntimeError` here. The worker fails to start, and the pool
 * that started it breaks with a `BrokenPoolError` whose `cause` is this error.
 *
 * @example
 * ```ts
 * // tasks.ts: create the pool only in the main program
 * if (isMainProcess()) { const pool = new Pool(import.meta.url); ... }
 * ```
 */
export class BootstrapError extends MultiprocError {
  override readonly code = 'MP_BOOTSTRAP';
}

/**
 * `Connection.recv()` found the other end of the pipe closed and nothing left
 * to read (Python's `EOFError`).
 *
 * @example
 * ```ts
 * try { for (;;) handle(await conn.recv()); } catch (e) { if (!(e instanceof EOFError)) throw e; }
 * ```
 */
export class EOFError extends MultiprocError {
  override readonly code = 'MP_EOF';
}

/**
 * A worker sent a message that is not part of the protocol (its task code
 * posted on the worker's own channel, or the two sides disagree). The parent
 * reports it and replaces that worker; the task it was running fails with
 * `WorkerExitedError` whose `cause` is this error.
 *
 * @example
 * ```ts
 * await pool.apply('postsGarbage', []).catch((e) => e instanceof WorkerExitedError && e.cause instanceof ProtocolError);
 * ```
 */
export class ProtocolError extends MultiprocError {
  override readonly code = 'MP_PROTOCOL';
}

/**
 * Fields a {@link RemoteError} carries from the worker.
 *
 * @example
 * ```ts
 * const e = new RemoteError('boom', { remoteName: 'DbError', remoteStack: stack, properties: { table: 'users' } });
 * ```
 */
export interface RemoteErrorOptions extends MultiprocErrorOptions {
  remoteName: string;
  remoteStack?: string;
  value?: unknown;
  properties?: Record<string, unknown>;
}

/**
 * A task's error whose class is neither built-in nor registered with
 * `registerError` on this side: it keeps the remote name, message, stack and
 * own properties. A thrown non-Error (`throw 42`) arrives as one too, with the
 * thrown value in `value`.
 *
 * @example
 * ```ts
 * await pool.apply('throwsCustom', []).catch((e) => e instanceof RemoteError && e.remoteName === 'MyError');
 * ```
 */
export class RemoteError extends MultiprocError {
  override readonly code = 'MP_REMOTE';
  /** `name` of the error in the worker. */
  readonly remoteName: string;
  /** The stack as the worker printed it. */
  readonly remoteStack: string | undefined;
  /** For a thrown non-Error: the value that was thrown. */
  readonly value: unknown;
  constructor(message: string, options: RemoteErrorOptions) {
    super(message, options);
    this.remoteName = options.remoteName;
    this.remoteStack = options.remoteStack;
    this.value = options.value;
    // Defined, not assigned: a property named `__proto__` must not change the prototype.
    const props = options.properties;
    if (props) {
      for (const key of Object.keys(props)) {
        if (key !== 'name') Object.defineProperty(this, key, { value: props[key], writable: true, configurable: true, enumerable: true });
      }
    }
  }
}

/**
 * Every library error class, by name: the codec rebuilds them on arrival.
 * Keys are string literals, so they survive minification (class names do not).
 */
export const libraryErrors: ReadonlyMap<string, typeof MultiprocError> = new Map<string, typeof MultiprocError>(
  Object.entries({
    MultiprocError,
    TimeoutError,
    PoolClosedError,
    BrokenPoolError,
    NotReadyError,
    WorkerExitedError,
    EncodingError,
    UnknownTaskError,
    AbortError,
    CancelledError,
    QueueEmptyError,
    QueueFullError,
    BrokenBarrierError,
    StateError,
    BootstrapError,
    EOFError,
    ProtocolError,
    RemoteError,
  }) as [string, typeof MultiprocError][],
);

/** Each library class's name, for `MultiprocError`'s constructor. */
const libraryNames = new Map<unknown, string>([...libraryErrors].map(([name, cls]) => [cls, name]));
