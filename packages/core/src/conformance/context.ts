/**
 * What each conformance case gets: a fresh adapter, its capabilities, the
 * fixture module's URL, and factories for pools and processes that are all
 * torn down after the case, pass or fail.
 */
import type { AdapterCapabilities, RuntimeAdapter } from '../adapter.js';
import { Executor, type ExecutorOptions } from '../futures/executor.js';
import { Pool } from '../pool/pool.js';
import type { PoolOptions } from '../pool/pool-options.js';
import { Process, type ProcessOptions, type ProcessOptionsFor } from '../process/process.js';
import type { TaskName } from '../types.js';
import { corePrimitives, type ConformancePrimitives } from './primitives.js';

export type Fixtures = typeof import('./fixtures/tasks.js');
/**
 * The name of one adapter capability; a case that `requires` it is skipped, with the name given, on an adapter without it.
 *
 * @example
 * ```ts
 * const needs: Capability[] = ['sharedMemory', 'processes'];
 * const skipped = needs.filter((c) => !adapter.capabilities[c]);
 * ```
 */
export type Capability = keyof AdapterCapabilities;

/**
 * Options of `runConformance` and `conformanceCases`.
 *
 * @example
 * ```ts
 * runConformance({ name: 'my-runtime', createAdapter: () => myAdapter, areas: syncAreas, waitAsync: false }, { describe, it });
 * ```
 */
export interface ConformanceOptions {
  /** Shown in every test name, e.g. `'node:thread'`. */
  readonly name: string;
  /** Returns a fresh adapter for each case (the suite checks they are independent). */
  readonly createAdapter: () => RuntimeAdapter;
  /** Where the fixture task module is, when the default (next to this file) does not load in your runtime. */
  readonly tasksUrl?: string | URL;
  /**
   * Run only these areas (by name). A second run of one runtime under another
   * configuration can stick to the areas it changes, e.g. `syncAreas` with
   * `forceBrokeredSync(adapter)`.
   */
  readonly areas?: readonly string[];
  /** `false`: run the primitives without `Atomics.waitAsync`, on its polling fallback. @default true */
  readonly waitAsync?: boolean;
  /**
   * The runtime's own primitives, when it has them instead of core's (a
   * Redis context's): the portable primitives area builds its Lock, Queue...
   * with these, and runs even where the adapter declares `syncPrimitives: false` (or,
   * for its Value, no `sharedMemory`).
   * @default core's classes
   */
  readonly primitives?: ConformancePrimitives;
}

/**
 * What a case's body gets: the adapter under test, the fixture module's URL, and pools, executors and processes on that adapter that are torn down after the case, pass or fail.
 *
 * @example
 * ```ts
 * const run = async (ctx: ConformanceContext) => {
 *   const pool = ctx.pool({ processes: 2 });           // closed by cleanup() after the case
 *   equal(await pool.apply('add', [2, 3]), 5);
 * };
 * ```
 */
export class ConformanceContext {
  readonly adapter: RuntimeAdapter;
  readonly tasksUrl: URL;
  /** The primitives' constructors: the runtime's own, or core's. */
  readonly sync: ConformancePrimitives;
  readonly #createAdapter: (() => RuntimeAdapter) | undefined;
  readonly #pools: Pool<object>[] = [];
  readonly #processes: Process<object>[] = [];
  readonly #executors: Executor<object>[] = [];

  constructor(adapter: RuntimeAdapter, tasksUrl: URL, createAdapter?: () => RuntimeAdapter, sync: ConformancePrimitives = corePrimitives) {
    this.adapter = adapter;
    this.tasksUrl = tasksUrl;
    this.sync = sync;
    this.#createAdapter = createAdapter;
  }

  /** A second adapter from the suite's factory (for the case about independent adapters); `adapter` without one. */
  anotherAdapter(): RuntimeAdapter {
    return this.#createAdapter === undefined ? this.adapter : this.#createAdapter();
  }

  get capabilities(): AdapterCapabilities {
    return this.adapter.capabilities;
  }

  /** A pool over the fixture module (on `adapter`, by default the case's), terminated after the case. */
  pool(options: Omit<PoolOptions<Fixtures>, 'adapter'> = {}, adapter: RuntimeAdapter = this.adapter): Pool<Fixtures> {
    const pool = new Pool<Fixtures>(this.tasksUrl, { processes: 2, ...options, adapter });
    this.#pools.push(pool);
    return pool;
  }

  /** An executor over the fixture module on `adapter` (2 workers unless told), its workers terminated after the case. */
  executor(options: Omit<ExecutorOptions<Fixtures>, 'adapter'> = {}): Executor<Fixtures> {
    const ex = new Executor<Fixtures>(this.tasksUrl, { maxWorkers: 2, ...options, adapter: this.adapter });
    this.#executors.push(ex);
    return ex;
  }

  /** A process running a fixture target, terminated after the case if still alive. */
  process<K extends TaskName<Fixtures>>(options: Omit<ProcessOptionsFor<Fixtures, K>, 'adapter' | 'module'>): Process<Fixtures, K> {
    const p = new Process<Fixtures, K>({ ...options, module: this.tasksUrl, adapter: this.adapter } as ProcessOptions<Fixtures, K>);
    this.#processes.push(p as unknown as Process<object>);
    return p;
  }

  sleep(ms: number): Promise<void> {
    return new Promise((resolve) => setTimeout(resolve, ms));
  }

  /** @internal */
  async cleanup(): Promise<void> {
    for (const p of this.#processes) {
      try {
        if (p.isAlive()) {
          p.kill();
          await p.join();
        }
      } catch {
        // closed or never started
      }
    }
    await Promise.all([...this.#pools.map((p) => p.terminate()), ...this.#executors.map((e) => e.terminateWorkers())]);
  }
}
