/**
 * Calling task code on a worker: one task (`fn(...args)`) or one chunk
 * (`fn(item)` or `fn(...tuple)` per item), its outcome put in the
 * {@link Outbox}. Synchronous code never touches a promise; when a call
 * returns one, the outbox is flushed (the parent gets what is finished while
 * this one is awaited) and the rest goes on asynchronously. An error thrown
 * becomes an encoded error result; only a {@link WorkerExit} (or any throw
 * once the worker has ended) goes through, to the task runner.
 */
import { UnknownTaskError } from '../errors.js';
import { setWorkerScope, type WorkerScope } from '../worker-scope.js';
import { encodeError, type EncodedError } from './error-codec.js';
import { ResultStatus, TaskKind } from './messages.js';
import type { Outbox } from './outbox.js';
import { packNumbers } from './packed-numbers.js';

/** Thrown through user code by `exit()` when the worker cannot stop the thread itself; the runners let it through. */
export class WorkerExit {}

/**
 * Calls the task functions of a worker, with its identity in scope where it
 * shares its globals.
 *
 * @example
 * ```ts
 * const caller = new TaskCaller(outbox, server, true);
 * caller.setTasks(table);
 * const pending = caller.runOne(id, 'double', [21]);
 * if (pending !== undefined) await pending;
 * ```
 */
export class TaskCaller {
  readonly #outbox: Outbox;
  readonly #host: { readonly dead: boolean };
  readonly #ownsGlobals: boolean;
  #packNumbers = false;
  #tasks: Readonly<Record<string, unknown>> | null = null;
  #scope: WorkerScope | null = null;

  /** `host.dead` says the worker has ended (then any throw goes through); `ownsGlobals` as in `ServeOptions`. */
  constructor(outbox: Outbox, host: { readonly dead: boolean }, ownsGlobals: boolean) {
    this.#outbox = outbox;
    this.#host = host;
    this.#ownsGlobals = ownsGlobals;
  }

  /** The channel carries a `Float64Array` (the init's `packNumbers`): a chunk of number values goes packed. */
  setPackNumbers(packs: boolean): void {
    this.#packNumbers = packs;
  }

  /** This worker's scope, set around each call where the worker does not own its globals. */
  setScope(scope: WorkerScope): void {
    this.#scope = scope;
  }

  /** The task functions, once the task module has loaded. */
  setTasks(tasks: Readonly<Record<string, unknown>>): void {
    this.#tasks = tasks;
  }

  /** Calls task `name` with `args` (the initializer, a Process target): its value, or what it throws. */
  call(name: string, args: readonly unknown[]): unknown {
    return this.#invoke(this.#lookup(name), args, undefined, false);
  }

  /**
   * Runs an `APPLY` task; a promise only when its code returned one (then
   * awaited by the runner). Called straight from the runner's loop, so the
   * JIT inlines it there: keep this path shallow.
   */
  runOne(id: number, name: string, args: unknown[]): Promise<void> | undefined {
    let value: unknown;
    try {
      value = this.call(name, args);
    } catch (err) {
      if (err instanceof WorkerExit || this.#host.dead) throw err;
      this.#outbox.add(id, ResultStatus.ERROR, encodeError(err));
      return undefined;
    }
    if (isThenable(value)) {
      this.#outbox.flush();
      return this.#settleOne(id, value);
    }
    this.#outbox.add(id, ResultStatus.OK, this.#outbox.unwrap(value));
    return undefined;
  }

  async #settleOne(id: number, pending: PromiseLike<unknown>): Promise<void> {
    let value: unknown;
    try {
      value = await pending;
    } catch (err) {
      if (err instanceof WorkerExit || this.#host.dead) throw err;
      this.#outbox.add(id, ResultStatus.ERROR, encodeError(err));
      return;
    }
    this.#outbox.add(id, ResultStatus.OK, this.#outbox.unwrap(value));
  }

  /** Runs a `MAP_CHUNK` or `STAR_CHUNK` task; a promise only when an item's code returned one. */
  runChunk(id: number, name: string, kind: TaskKind, items: unknown[]): Promise<void> | undefined {
    return this.#runChunk(id, name, kind, items, 0, undefined, undefined);
  }

  /** Runs items from `from` on; synchronous until an item returns a promise, then continues async. */
  #runChunk(
    id: number,
    name: string,
    kind: TaskKind,
    items: unknown[],
    from: number,
    values: unknown[] | undefined,
    errors: Record<number, EncodedError> | undefined,
  ): Promise<void> | undefined {
    const out = values ?? new Array<unknown>(items.length);
    let errs = errors;
    let fn: (...a: unknown[]) => unknown;
    try {
      fn = this.#lookup(name);
    } catch (err) {
      // Every item fails the same way.
      errs ??= {};
      for (let i = from; i < items.length; i++) errs[i] = encodeError(err);
      this.#outbox.add(id, ResultStatus.CHUNK, { values: out, errors: errs });
      return undefined;
    }
    const single = kind === TaskKind.MAP_CHUNK;
    for (let i = from; i < items.length; i++) {
      let value: unknown;
      try {
        value = single ? this.#invoke(fn, undefined, items[i], true) : this.#invoke(fn, items[i] as unknown[], undefined, false);
      } catch (err) {
        if (err instanceof WorkerExit || this.#host.dead) throw err;
        (errs ??= {})[i] = encodeError(err);
        continue;
      }
      if (isThenable(value)) {
        this.#outbox.flush();
        return this.#settleChunkItem(id, name, kind, items, i, value, out, errs);
      }
      out[i] = this.#outbox.unwrap(value);
    }
    this.#outbox.add(id, ResultStatus.CHUNK, errs ? { values: out, errors: errs } : { values: this.#packNumbers ? packNumbers(out) : out });
    return undefined;
  }

  async #settleChunkItem(
    id: number,
    name: string,
    kind: TaskKind,
    items: unknown[],
    i: number,
    pending: PromiseLike<unknown>,
    values: unknown[],
    errors: Record<number, EncodedError> | undefined,
  ): Promise<void> {
    let errs = errors;
    try {
      values[i] = this.#outbox.unwrap(await pending);
    } catch (err) {
      if (err instanceof WorkerExit || this.#host.dead) throw err;
      (errs ??= {})[i] = encodeError(err);
    }
    await this.#runChunk(id, name, kind, items, i + 1, values, errs);
  }

  #lookup(name: string): (...a: unknown[]) => unknown {
    const fn = this.#tasks?.[name];
    if (typeof fn !== 'function') throw new UnknownTaskError(`No task named "${name}" is exported by the task module`);
    return fn as (...a: unknown[]) => unknown;
  }

  /** Calls `fn(item)` (single) or `fn(...args)`, with this worker's identity in scope where it shares globals. */
  #invoke(fn: (...a: unknown[]) => unknown, args: readonly unknown[] | undefined, item: unknown, single: boolean): unknown {
    if (this.#ownsGlobals) return single ? fn(item) : fn(...(args as unknown[]));
    const prev = setWorkerScope(this.#scope);
    try {
      return single ? fn(item) : fn(...(args as unknown[]));
    } finally {
      setWorkerScope(prev);
    }
  }
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return typeof value === 'object' && value !== null && typeof (value as { then?: unknown }).then === 'function';
}
