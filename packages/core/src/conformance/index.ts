/**
 * The conformance suite: one list of behaviour cases that every runtime
 * adapter must pass, organised by area, citing SEMANTICS.md ids. Cases that
 * need a capability an adapter does not declare are reported as skipped with
 * the capability named, never dropped silently.
 *
 * Runner-neutral: `conformanceCases()` returns plain `{ name, run }` records;
 * `runConformance()` registers them with any describe/it runner (vitest,
 * bun:test); `runConformancePlain()` runs them itself and prints
 * `N passed, N failed` (for Deno, Bun or a browser page).
 */
import type { AdapterCapabilities, RuntimeAdapter } from '../adapter.js';
import { ConformanceContext, type Capability, type ConformanceOptions } from './context.js';
import type { CaseDefinition } from './define.js';
import { equal, ok } from './assert.js';
import { area } from './define.js';
import { useWaitAsync } from '../sync/shared-memory/futex.js';
import { processCases } from './process.js';
import { poolApplyCases } from './pool-apply.js';
import { poolLifecycleCases } from './pool-lifecycle.js';
import { poolExtrasCases } from './pool-extras.js';
import { futuresWaitCases } from './futures-wait.js';
import { futuresExecutorCases } from './futures-executor.js';
import { poolMapCases } from './pool-map.js';
import { imapCases } from './imap.js';
import { asyncResultCases } from './async-result.js';
import { workerDeathCases } from './worker-death.js';
import { abortTimeoutCases } from './abort-timeout.js';
import { transferCases } from './transfer.js';
import { lockCases } from './lock.js';
import { semaphoreEventCases } from './semaphore-event.js';
import { conditionBarrierCases } from './condition-barrier.js';
import { queueCases } from './queue.js';
import { valueCases } from './value.js';
import { pipeCases } from './pipe.js';
import { syncTravelCases } from './sync-travel.js';
import { portablePrimitiveCases } from './portable-primitives.js';
import { faultInjectionCases } from './fault-injection.js';
import { uncaughtCases } from './uncaught.js';
import { adapterContractCases } from './adapter-contract.js';

export type { ConformanceOptions, Capability } from './context.js';
export { ConformanceContext } from './context.js';
export type { CaseDefinition } from './define.js';
export { corePrimitives } from './primitives.js';
export type * from './primitives.js';

const factory = area('Adapter factory');
factory.define('createAdapter returns independent adapters with declared capabilities', ['STYLE:factory'], async (ctx) => {
  const caps = ctx.capabilities;
  for (const key of ['sharedMemory', 'transfer', 'isolatedGlobals', 'processes'] as const) equal(typeof caps[key], 'boolean', `capability ${key}`);
  ok(ctx.adapter.cpuCount() >= 1, 'cpuCount() is at least 1');
  // Two adapters from the factory, a pool on each: nothing one does reaches the other.
  const other = ctx.anotherAdapter();
  equal(other.name, ctx.adapter.name, 'the factory makes the same kind of adapter each time');
  for (const key of ['sharedMemory', 'transfer', 'isolatedGlobals', 'processes'] as const) equal(other.capabilities[key], caps[key], `capability ${key} of a second adapter`);
  const a = ctx.pool({ processes: 1 });
  const b = ctx.pool({ processes: 1 }, other);
  const [x, y] = await Promise.all([a.apply('square', [2]), b.apply('square', [5])]);
  equal(x, 4);
  equal(y, 25);
  ok(!b.pids.some((pid) => a.pids.includes(pid)), `the two adapters' workers have distinct pids (${a.pids} and ${b.pids})`);
  await b.terminate();
  equal(await a.apply('square', [3]), 9, 'terminating the pool of one adapter leaves the pool of another alone');
  equal(await ctx.pool({ processes: 1 }, other).apply('square', [4]), 16, 'an adapter whose pool was terminated still starts workers');
  await a.terminate();
  equal(await ctx.pool({ processes: 1 }).apply('square', [6]), 36, 'and so does the first');
});

/**
 * The areas about synchronization primitives (what a brokered or polling re-run needs).
 *
 * @example
 * ```ts
 * // the primitives again, through the parent's broker
 * runConformance({ name: 'node:thread (brokered)', createAdapter: () => forceBrokeredSync(threadAdapter), areas: syncAreas }, { describe, it });
 * ```
 */
export const syncAreas: readonly string[] = [
  ...new Set(
    [lockCases, semaphoreEventCases, conditionBarrierCases, queueCases, valueCases, pipeCases, syncTravelCases, portablePrimitiveCases].flatMap((list) =>
      list.map((c) => c.area),
    ),
  ),
];

/** The area that builds its primitives with the runtime's own constructors (`ctx.sync`). */
const portableArea = portablePrimitiveCases[0].area;

/**
 * Every case, in table-of-contents order.
 *
 * @example
 * ```ts
 * const areas = new Set(allCases.map((c) => c.area));   // every area, in table-of-contents order
 * ```
 */
export const allCases: readonly CaseDefinition[] = [
  ...factory.cases,
  ...processCases,
  ...poolApplyCases,
  ...poolLifecycleCases,
  ...poolExtrasCases,
  ...futuresWaitCases,
  ...futuresExecutorCases,
  ...poolMapCases,
  ...imapCases,
  ...asyncResultCases,
  ...workerDeathCases,
  ...uncaughtCases,
  ...abortTimeoutCases,
  ...transferCases,
  ...lockCases,
  ...semaphoreEventCases,
  ...conditionBarrierCases,
  ...queueCases,
  ...valueCases,
  ...pipeCases,
  ...syncTravelCases,
  ...portablePrimitiveCases,
  ...faultInjectionCases,
  ...adapterContractCases,
];

/**
 * A case ready to run against one adapter.
 *
 * @example
 * ```ts
 * for (const c of conformanceCases({ name: 'mine', createAdapter: () => myAdapter })) {
 *   if (c.skipReason === undefined) await c.run();
 * }
 * ```
 */
export interface PreparedCase {
  readonly area: string;
  /** `"<case> [SEMANTICS ids]"`. */
  readonly name: string;
  readonly timeout: number;
  /** Set when the adapter lacks a capability the case needs. */
  readonly skipReason: string | undefined;
  run(): Promise<void>;
}

/**
 * The suite's cases bound to an adapter factory.
 *
 * @example
 * ```ts
 * for (const c of conformanceCases({ name: 'x', createAdapter })) if (!c.skipReason) await c.run();
 * ```
 */
export function conformanceCases(options: ConformanceOptions): PreparedCase[] {
  const probe = options.createAdapter();
  const tasksUrl = new URL(options.tasksUrl ?? new URL('./fixtures/tasks.js', import.meta.url));
  const selected = options.areas === undefined ? allCases : allCases.filter((c) => options.areas?.includes(c.area));
  // A capability an adapter leaves out is absent, except syncPrimitives and stableWorkers, there unless declared false.
  const caps: AdapterCapabilities = { syncPrimitives: true, stableWorkers: true, ...probe.capabilities };
  return selected.map((c) => {
    // Every case of the primitives' areas needs core's primitives to reach the workers, except the
    // portable area's when the runtime brings primitives of its own: those live outside the adapter
    // (in Redis, say), so neither core's primitives nor shared memory (core's Value) are needed.
    const ownPrimitives = options.primitives !== undefined && c.area === portableArea;
    const requires: readonly Capability[] = ownPrimitives
      ? c.requires.filter((cap) => cap !== 'sharedMemory')
      : syncAreas.includes(c.area)
        ? ['syncPrimitives', ...c.requires]
        : c.requires;
    const missing = requires.filter((cap: Capability) => !caps[cap]);
    const present = c.unless.filter((cap: Capability) => caps[cap]);
    const skipReason =
      missing.length > 0
        ? `${options.name} does not declare capability ${missing.join(', ')}`
        : present.length > 0
          ? `${options.name} declares capability ${present.join(', ')}; the case is about its absence`
          : undefined;
    return {
      area: c.area,
      name: `${c.name} [${c.ids.join(', ')}]`,
      timeout: c.timeout,
      skipReason,
      run: async () => {
        const adapter: RuntimeAdapter = options.createAdapter();
        const ctx = new ConformanceContext(adapter, tasksUrl, options.createAdapter, options.primitives);
        if (options.waitAsync === false) useWaitAsync(false);
        try {
          await c.run(ctx);
        } finally {
          await ctx.cleanup();
          if (options.waitAsync === false) useWaitAsync(true);
        }
      },
    };
  });
}

/**
 * The parts of a describe/it test runner the suite uses (vitest and bun:test fit).
 *
 * @example
 * ```ts
 * import { test, describe } from 'bun:test';
 * runConformance({ name: 'bun:thread', createAdapter: () => threadAdapter }, { describe, it: test });
 * ```
 */
export interface TestRunner {
  describe(name: string, body: () => void): void;
  it: ((name: string, body: () => Promise<void>, timeout?: number) => void) & { skip(name: string, body: () => void): void };
}

/**
 * Registers the suite with a describe/it runner.
 *
 * @example
 * ```ts
 * import { describe, it } from 'vitest';
 * runConformance({ name: 'node:thread', createAdapter: () => threadAdapter }, { describe, it });
 * ```
 */
export function runConformance(options: ConformanceOptions, runner: TestRunner): void {
  const cases = conformanceCases(options);
  runner.describe(`conformance on ${options.name}`, () => {
    const areas = [...new Set(cases.map((c) => c.area))];
    for (const a of areas) {
      runner.describe(a, () => {
        for (const c of cases.filter((x) => x.area === a)) {
          // The suite's only skip. A case is skipped exactly when the adapter lacks a capability the case
          // needs (or has one the case is about the absence of): `skipReason` names it, and the test name
          // carries it into the report, so what a runtime cannot do is listed, never hidden. No runtime
          // is skipped by name; every adapter runs every case its capabilities allow.
          if (c.skipReason !== undefined) runner.it.skip(`${c.name} — skipped: ${c.skipReason}`, () => {});
          else runner.it(c.name, () => c.run(), c.timeout);
        }
      });
    }
  });
}

/**
 * Outcome of {@link runConformancePlain}.
 *
 * @example
 * ```ts
 * const report: PlainReport = await runConformancePlain({ name: 'deno', createAdapter: () => threadAdapter });
 * if (report.failed > 0) Deno.exit(1);
 * ```
 */
export interface PlainReport {
  passed: number;
  failed: number;
  skipped: number;
  failures: { name: string; error: string }[];
}

/**
 * Runs the suite without a test runner, logging each case and a closing
 * `N passed, N failed, N skipped` line.
 *
 * @example
 * ```ts
 * const report = await runConformancePlain({ name: 'deno', createAdapter });
 * if (report.failed) Deno.exit(1);
 * ```
 */
export async function runConformancePlain(options: ConformanceOptions, log: (line: string) => void = console.log): Promise<PlainReport> {
  const report: PlainReport = { passed: 0, failed: 0, skipped: 0, failures: [] };
  for (const c of conformanceCases(options)) {
    const title = `${c.area} › ${c.name}`;
    if (c.skipReason !== undefined) {
      report.skipped++;
      log(`- skip ${title} (${c.skipReason})`);
      continue;
    }
    let timer: ReturnType<typeof setTimeout> | undefined;
    try {
      await Promise.race([
        c.run(),
        new Promise((_, reject) => {
          timer = setTimeout(() => reject(new Error(`timed out after ${c.timeout} ms`)), c.timeout);
        }),
      ]);
      report.passed++;
      log(`✓ ${title}`);
    } catch (err) {
      report.failed++;
      const error = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
      report.failures.push({ name: title, error });
      log(`✗ ${title}\n    ${error}`);
    } finally {
      clearTimeout(timer);
    }
  }
  log(`${options.name}: ${report.passed} passed, ${report.failed} failed, ${report.skipped} skipped`);
  return report;
}
