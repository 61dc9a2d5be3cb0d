/**
 * The facade every runtime package exports: `Pool` and `Process` bound to the
 * runtime's adapter and `getContext(name)` ({@link defineRuntime}), and
 * `expose(tasks)` ({@link defineExpose}). Written once here so an adapter
 * package only says which contexts it has, which adapter serves each, which of
 * its own options go to the adapter, and how a factory-made worker serves its
 * tasks (Node, the browser, and later Deno, Bun, Redis). `expose` is apart so a
 * program that never calls it does not bundle the worker side.
 */
import type { RuntimeAdapter } from './adapter.js';
import { Executor as CoreExecutor, type ExecutorOptions } from './futures/executor.js';
import { Pool as CorePool } from './pool/pool.js';
import type { PoolOptions } from './pool/pool-options.js';
import { Process as CoreProcess, type ProcessOptions, type ProcessOptionsFor } from './process/process.js';
import type { Pid, TaskName, UntypedModule } from './types.js';
import type { SourceInput } from './util/source.js';

/**
 * What a runtime package tells {@link defineRuntime}.
 *
 * @example
 * ```ts
 * const spec: RuntimeSpec<NodeContext, NodeWorkerOptions> = {
 *   defaultContext: 'thread',
 *   adapterFor: nodeAdapter,
 *   moveOptions: ['env', 'execArgv', 'serialization', 'resourceLimits'],
 * };
 * const node = defineRuntime(spec);
 * ```
 */
export interface RuntimeSpec<C extends string, X extends object = Record<never, never>> {
  /** The context used when none is named (`'thread'`). */
  readonly defaultContext: C;
  /**
   * The adapter serving a context. Throws a `TypeError` naming the contexts the
   * runtime offers for any other: it is called for every `Pool`, `Process` and
   * `getContext` (also when the caller passes its own `adapter`), so an unknown
   * context is refused at once.
   */
  adapterFor(context: C): RuntimeAdapter;
  /**
   * The runtime's own top-level options (type `X`, e.g. Node's `env`), moved
   * into `workerOptions` for the adapter's `spawn` (`SpawnOptions.extra`). Values
   * given in both places: the top-level one wins.
   */
  readonly moveOptions?: readonly (keyof X & string)[];
  /**
   * Turns what a user passes as a source (the first argument of a `Pool` or an
   * executor, a `Process`'s `module`) into one core takes. Redis maps a module id
   * (`'tasks'`, which names no file here) to a URL naming it; other runtimes leave
   * this out. It throws a `TypeError` for what it refuses.
   */
  readonly source?: (input: unknown) => SourceInput;
}

/**
 * `PoolOptions` as a runtime takes them: its contexts `C` and its own options `X`.
 *
 * @example
 * ```ts
 * const o: RuntimePoolOptions<Tasks, 'thread' | 'process', NodeWorkerOptions> = { processes: 2, context: 'process', execArgv: [] };
 * ```
 */
export type RuntimePoolOptions<M extends object = UntypedModule, C extends string = 'thread' | 'process', X extends object = Record<never, never>> = Omit<
  PoolOptions<M>,
  'context'
> & { context?: C } & X;

/**
 * `ProcessOptions` as a runtime takes them: its contexts `C` and its own options `X`. One member per target.
 *
 * @example
 * ```ts
 * const o: RuntimeProcessOptions<Tasks, 'fib', NodeContext, NodeWorkerOptions> = { module: url, target: 'fib', args: [30], env: {} };
 * ```
 */
export type RuntimeProcessOptions<
  M extends object = UntypedModule,
  K extends TaskName<M> = TaskName<M>,
  C extends string = 'thread' | 'process',
  X extends object = Record<never, never>,
> = K extends unknown ? Omit<ProcessOptionsFor<M, K>, 'context'> & { context?: C } & X : never;

/**
 * The runtime's `Pool` class: core's `Pool` taking the runtime's options; `P` is its workers' {@link Pid} type.
 *
 * @example
 * ```ts
 * export const Pool: RuntimePool<NodeContext, NodeWorkerOptions> = node.Pool;
 * ```
 */
export interface RuntimePool<C extends string, X extends object, P extends Pid = number> {
  new <M extends object = UntypedModule>(source: SourceInput, options?: RuntimePoolOptions<M, C, X>): CorePool<M, P>;
  readonly prototype: CorePool;
}

/**
 * The runtime's `Process` class: core's `Process` taking the runtime's options; `P` is its {@link Pid} type.
 *
 * @example
 * ```ts
 * export const Process: RuntimeProcess<NodeContext, NodeWorkerOptions> = node.Process;
 * ```
 */
export interface RuntimeProcess<C extends string, X extends object, P extends Pid = number> {
  new <M extends object = UntypedModule, K extends TaskName<M> = TaskName<M>>(options: RuntimeProcessOptions<M, K, C, X>): CoreProcess<M, K, P>;
  readonly prototype: CoreProcess;
}

/**
 * `ExecutorOptions` as a runtime takes them: plus its own options `X` (e.g. Node's `env`).
 *
 * @example
 * ```ts
 * const o: RuntimeExecutorOptions<Tasks, NodeWorkerOptions> = { maxWorkers: 2, env: { LOG: '1' } };
 * ```
 */
export type RuntimeExecutorOptions<M extends object = UntypedModule, X extends object = Record<never, never>> = ExecutorOptions<M> & X;

/**
 * The runtime's `ThreadPoolExecutor` (and `ProcessPoolExecutor`): core's `Executor` on one context's workers.
 *
 * @example
 * ```ts
 * export const ThreadPoolExecutor: RuntimeExecutor<NodeWorkerOptions> = node.ThreadPoolExecutor;
 * ```
 */
export interface RuntimeExecutor<X extends object, P extends Pid = number> {
  new <M extends object = UntypedModule>(source: SourceInput, options?: RuntimeExecutorOptions<M, X>): CoreExecutor<M, P>;
  readonly prototype: CoreExecutor;
}

/**
 * `ProcessPoolExecutor` of a runtime without child processes (browsers): a call does
 * not compile (its argument is not this message), and throws a `TypeError` at run time.
 *
 * @example
 * ```ts
 * import { ProcessPoolExecutor } from '@multiproc/browser';
 * new ProcessPoolExecutor(url);   // a compile error, and a TypeError at run time: use ThreadPoolExecutor
 * ```
 */
export interface NoProcessPoolExecutor {
  new (source: 'ProcessPoolExecutor needs child processes, which this runtime does not have: use ThreadPoolExecutor', options?: never): never;
  readonly prototype: CoreExecutor;
}

/**
 * `Pool` and `Process` bound to one context, as Python's `get_context()` returns.
 *
 * @example
 * ```ts
 * const ctx: RuntimeContext<NodeContext, NodeWorkerOptions> = getContext('process');
 * await using pool = new ctx.Pool(url);   // child processes
 * ```
 */
export interface RuntimeContext<C extends string, X extends object, P extends Pid = number> {
  readonly Pool: RuntimePool<C, X, P>;
  readonly Process: RuntimeProcess<C, X, P>;
  readonly context: C;
}

/**
 * What {@link defineRuntime} returns: the members a runtime package exports.
 *
 * @example
 * ```ts
 * const rt: Runtime<'thread', Record<never, never>> = defineRuntime({ defaultContext: 'thread', adapterFor: () => myAdapter });
 * export const { Pool, Process, ThreadPoolExecutor, getContext } = rt;
 * ```
 */
export interface Runtime<C extends string, X extends object, P extends Pid = number> {
  /** A pool of this runtime's workers; `options.context` picks the adapter. */
  readonly Pool: RuntimePool<C, X, P>;
  /** A function running in its own worker of this runtime. */
  readonly Process: RuntimeProcess<C, X, P>;
  /** Python's `ThreadPoolExecutor`: futures over the default context's workers. */
  readonly ThreadPoolExecutor: RuntimeExecutor<X, P>;
  /** Python's `ProcessPoolExecutor`: futures over child processes, where the runtime has a `'process'` context. */
  readonly ProcessPoolExecutor: 'process' extends C ? RuntimeExecutor<X, P> : NoProcessPoolExecutor;
  /** `Pool` and `Process` bound to one context (subclasses of the two above). */
  getContext(context?: C): RuntimeContext<C, X, P>;
}

/**
 * Builds a runtime package's facade from its adapters. Options a user passes
 * are checked (an object, a context the runtime has), the runtime's own
 * options move into `workerOptions`, and `adapter` defaults to the context's.
 * `getContext(c)` returns subclasses that always use `c`'s adapter, so their
 * instances are still `instanceof` the runtime's (and core's) `Pool`/`Process`.
 * `P` is the type of the pids its adapters give: `number` unless they declare
 * `stringPids` (a Redis context passes `string`).
 *
 * @example
 * ```ts
 * // packages/my-runtime/src/runtime.ts (index.ts only re-exports: `export * from '@multiproc/core'`
 * // and `export { Pool, Process, getContext, expose } from './runtime.js'`; docs/writing-an-adapter.md says why)
 * import { defineRuntime, serve, type UntypedModule, Pool as CorePool, Process as CoreProcess, type TaskName } from '@multiproc/core';
 * const runtime = defineRuntime<'thread', { env?: Record<string, string> }>({
 *   defaultContext: 'thread',
 *   adapterFor: (context) => {
 *     if (context !== 'thread') throw new TypeError(`Unknown context ${JSON.stringify(context)}: my-runtime offers 'thread'`);
 *     return myAdapter;
 *   },
 *   moveOptions: ['env'],
 * });
 * export const { Pool, Process, getContext } = runtime;
 * export const expose = /* @__PURE__ *\/ defineExpose((tasks) => serve(myWorkerPort(), { tasks }));
 * export type Pool<M extends object = UntypedModule> = CorePool<M>;
 * export type Process<M extends object = UntypedModule, K extends TaskName<M> = TaskName<M>> = CoreProcess<M, K>;
 * ```
 */
export function defineRuntime<C extends string, X extends object = Record<never, never>, P extends Pid = number>(spec: RuntimeSpec<C, X>): Runtime<C, X, P> {
  const moved = spec.moveOptions ?? [];
  const sourceOf = spec.source ?? ((input: unknown) => input as SourceInput);

  /** A checked copy of a user's options with the runtime's filled in, for core's constructors; `fixed`: an executor's context. */
  function bind(options: unknown, what: string, fixed?: { readonly context: C; readonly owner: string; readonly refused: string }): Record<string, unknown> {
    if (options !== undefined && (typeof options !== 'object' || options === null)) throw new TypeError(`${what} must be an options object`);
    const o: Record<string, unknown> = { ...(options as Record<string, unknown> | undefined) };
    let fromContext: RuntimeAdapter;
    if (fixed === undefined) fromContext = spec.adapterFor((o.context as C | undefined) ?? spec.defaultContext);
    else {
      if (o.context !== undefined) throw new TypeError(`context is not an option of ${fixed.owner}: ThreadPoolExecutor runs on the default workers, ProcessPoolExecutor on child processes`);
      try {
        fromContext = spec.adapterFor(fixed.context);
      } catch (error) {
        throw new TypeError(fixed.refused, { cause: error });
      }
    }
    let extra = o.workerOptions as Record<string, unknown> | undefined;
    for (const key of moved) {
      if (o[key] === undefined) continue;
      extra = { ...extra, [key]: o[key] };
      delete o[key];
    }
    if (extra !== undefined) o.workerOptions = extra;
    o.adapter ??= fromContext;
    return o;
  }

  class Pool<M extends object = UntypedModule> extends CorePool<M> {
    constructor(source: SourceInput, options?: RuntimePoolOptions<M, C, X>) {
      super(sourceOf(source), bind(options, 'Pool options') as PoolOptions<M>);
    }
  }

  class Process<M extends object = UntypedModule, K extends TaskName<M> = TaskName<M>> extends CoreProcess<M, K> {
    constructor(options: RuntimeProcessOptions<M, K, C, X>) {
      const o = bind(options, 'Process options');
      if (o.module !== undefined) o.module = sourceOf(o.module);
      super(o as unknown as ProcessOptions<M, K>);
    }
  }

  class ThreadPoolExecutor<M extends object = UntypedModule> extends CoreExecutor<M> {
    constructor(source: SourceInput, options?: RuntimeExecutorOptions<M, X>) {
      super(sourceOf(source), bind(options, 'ThreadPoolExecutor options', { context: spec.defaultContext, owner: 'ThreadPoolExecutor', refused: 'ThreadPoolExecutor needs the default context' }) as ExecutorOptions<M>);
    }
  }

  class ProcessPoolExecutor<M extends object = UntypedModule> extends CoreExecutor<M> {
    constructor(source: SourceInput, options?: RuntimeExecutorOptions<M, X>) {
      const refused = 'ProcessPoolExecutor needs child processes, which this runtime does not have: use ThreadPoolExecutor';
      super(sourceOf(source), bind(options, 'ProcessPoolExecutor options', { context: 'process' as C, owner: 'ProcessPoolExecutor', refused }) as ExecutorOptions<M>);
    }
  }

  function getContext(context: C = spec.defaultContext): RuntimeContext<C, X, P> {
    const adapter = spec.adapterFor(context);
    class ContextPool<M extends object = UntypedModule> extends Pool<M> {
      constructor(source: SourceInput, options?: RuntimePoolOptions<M, C, X>) {
        super(source, { ...options, adapter } as RuntimePoolOptions<M, C, X>);
      }
    }
    class ContextProcess<M extends object = UntypedModule, K extends TaskName<M> = TaskName<M>> extends Process<M, K> {
      constructor(options: RuntimeProcessOptions<M, K, C, X>) {
        super({ ...options, adapter } as RuntimeProcessOptions<M, K, C, X>);
      }
    }
    return { Pool: ContextPool, Process: ContextProcess, context } as unknown as RuntimeContext<C, X, P>;
  }

  // The classes are core's; `P` only types the pids the runtime's adapters give (its `stringPids`).
  return { Pool, Process, ThreadPoolExecutor, ProcessPoolExecutor, getContext } as unknown as Runtime<C, X, P>;
}

/**
 * A runtime's `expose(tasks)`: checks `tasks` is an object, then calls
 * `serveExposed`, which throws a `TypeError` unless this code runs in a worker
 * made by a worker factory, else serves the tasks there (core's `serve` with
 * the worker's `WorkerPort`). Put a `@__PURE__` annotation comment before
 * the call so bundlers drop it, and the worker side with it, from programs
 * that never call `expose` (packages/node/src/runtime.ts shows it).
 *
 * @example
 * ```ts
 * export const expose = defineExpose((tasks) => serve(myWorkerPort(), { tasks }));
 * ```
 */
export function defineExpose(serveExposed: (tasks: Readonly<Record<string, unknown>>) => void): (tasks: Readonly<Record<string, unknown>>) => void {
  return function expose(tasks: Readonly<Record<string, unknown>>): void {
    if (typeof tasks !== 'object' || tasks === null) throw new TypeError('expose(tasks): tasks must be an object of functions');
    serveExposed(tasks);
  };
}
