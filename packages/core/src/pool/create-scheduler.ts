/**
 * The checks and defaults shared by everything that owns a pool of workers
 * (`Pool`, the executors): the adapter, the worker source, the number of
 * workers, the initializer and its arguments, `maxTasksPerChild` and the
 * adapter's own options, checked at once into a new `Scheduler`.
 */
import type { RuntimeAdapter } from '../adapter.js';
import { sharesMemory } from '../agent/agent.js';
import { syncState } from '../sync-bridge.js';
import { assertCloneable } from '../util/cloneable.js';
import { normalizeSource, type SourceInput } from '../util/source.js';
import { checkArgs, checkName, checkOptions, checkPositiveInt } from '../util/validate.js';
import { Scheduler } from './scheduler.js';

/** What `createScheduler` reads of a constructor's options. */
export interface WorkerSetup {
  readonly adapter?: RuntimeAdapter;
  readonly initializer?: string | null;
  readonly initargs?: readonly unknown[];
  readonly maxTasksPerChild?: number | null;
  readonly workerOptions?: Readonly<Record<string, unknown>>;
}

/**
 * A scheduler for `count` workers (`countName` in errors: `processes`, `maxWorkers`;
 * undefined: one per CPU) over `source`, after checking every option.
 *
 * @example
 * ```ts
 * const s = createScheduler(source, o, o.processes, 'processes', 'Pool');
 * ```
 */
export function createScheduler(source: SourceInput, o: WorkerSetup, count: unknown, countName: string, owner: string): Scheduler {
  const adapter = o.adapter;
  if (adapter === undefined || typeof adapter !== 'object' || typeof adapter.spawn !== 'function') {
    throw new TypeError(`${owner} needs a runtime adapter: import ${owner} from @multiproc/node or @multiproc/browser (or pass options.adapter)`);
  }
  const workerSource = normalizeSource(source, `${owner} source`);
  const processes = count === undefined || count === null ? adapter.cpuCount() : checkCount(count, countName);
  const initializer = o.initializer === undefined || o.initializer === null ? null : checkName(o.initializer, 'initializer');
  let initargs = o.initargs === undefined ? [] : checkArgs(o.initargs, 'initargs');
  if (initargs.length > 0 && syncState.bridge !== undefined) initargs = syncState.bridge.prepareArgs(initargs, sharesMemory(adapter));
  if (initargs.length > 0) assertCloneable(initargs, 'initargs');
  const maxTasksPerChild = o.maxTasksPerChild === undefined || o.maxTasksPerChild === null ? undefined : checkPositiveInt(o.maxTasksPerChild, 'maxTasksPerChild');
  if (o.workerOptions !== undefined) checkOptions(o.workerOptions, 'workerOptions');
  return new Scheduler({ adapter, source: workerSource, processes, initializer, initargs, maxTasksPerChild, spawnExtra: o.workerOptions });
}

/** Most workers one pool keeps: a thread or process each. */
const MAX_PROCESSES = 1024;

/** A number of workers: 1 to `MAX_PROCESSES`. */
function checkCount(value: unknown, what: string): number {
  const n = checkPositiveInt(value, what);
  if (n > MAX_PROCESSES) throw new RangeError(`${what} must be at most ${MAX_PROCESSES} (one worker per thread or process), got ${n}`);
  return n;
}
