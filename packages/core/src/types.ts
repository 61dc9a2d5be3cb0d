/**
 * Types that flow from a task module to the pool: `Pool<typeof import('./tasks.js')>`
 * checks task names, argument tuples and result types at compile time.
 */
import type { Transfer } from './transfer.js';

/**
 * Any function a task module exports: what `TaskName` counts as a task.
 *
 * @example
 * ```ts
 * const fns: TaskFunction[] = [(x: number) => x * x, async (s: string) => s.length];
 * ```
 */
// biome-ignore lint/suspicious/noExplicitAny: any function shape is a task (unknown[] would reject typed parameters)
export type TaskFunction = (...args: any[]) => unknown;

/**
 * Any module's namespace; the default when a pool is not typed.
 *
 * @example
 * ```ts
 * function poolFor<M extends TaskModule>(url: URL): Pool<M> { return new Pool<M>(url); }
 * ```
 */
export type TaskModule = object;

/**
 * Names of the module's exported functions.
 *
 * @example
 * ```ts
 * type Names = TaskName<typeof import('./tasks.js')>;   // 'square' | 'add' | ...: what apply/map accept
 * ```
 */
export type TaskName<M> = { [K in keyof M & string]: M[K] extends TaskFunction ? K : never }[keyof M & string];

/**
 * The argument tuple of task `K`.
 *
 * @example
 * ```ts
 * type Args = TaskArgs<typeof import('./tasks.js'), 'add'>;   // [a: number, b: number]
 * ```
 */
export type TaskArgs<M, K extends keyof M> = M[K] extends (...args: infer A) => unknown ? A : never;

/**
 * What task `K` resolves to in the parent (promises awaited, `transfer()` unwrapped).
 *
 * @example
 * ```ts
 * // tasks.ts: export async function load(id: string): Promise<Row> {...}
 * type Loaded = TaskResult<typeof import('./tasks.js'), 'load'>;   // Row
 * ```
 */
export type TaskResult<M, K extends keyof M> = M[K] extends (...args: never[]) => infer R ? Unwrapped<Awaited<R>> : never;

type Unwrapped<T> = T extends Transfer<infer V> ? V : T;

/**
 * The item type `map`/`imap` pass as the single argument of task `K` (never when `K` needs more than one).
 *
 * @example
 * ```ts
 * // tasks.ts: export function square(x: number) { return x * x; }
 * type Item = MapItem<typeof import('./tasks.js'), 'square'>;   // number
 * ```
 */
export type MapItem<M, K extends keyof M> =
  TaskArgs<M, K> extends readonly [infer A, ...infer Rest] ? ([] extends Rest ? A : never) : TaskArgs<M, K> extends readonly [] ? never : TaskArgs<M, K>[number];

/**
 * An Iterable or AsyncIterable of `T`.
 *
 * @example
 * ```ts
 * async function* lines() { yield 'a'; yield 'b'; }
 * const sources: AnyIterable<string>[] = [['a', 'b'], lines()];   // both are valid imap inputs
 * ```
 */
export type AnyIterable<T> = Iterable<T> | AsyncIterable<T>;

/**
 * A worker's id as `pool.pids` and `process.pid` give it: a number on one
 * machine (the OS pid of a process, a synthesized one for a thread or Web
 * Worker), a string where workers are not this machine's (a Redis context's
 * jobs, e.g. `'a1b2c3d4:3'`). Pools and processes of a runtime say which: a
 * Redis context's are typed with `string`, everyone else's with `number`.
 *
 * @example
 * ```ts
 * const ids: Pid[] = [...nodePool.pids, ...redisPool.pids];
 * ```
 */
export type Pid = number | string;

/**
 * Untyped module: any name, any arguments, unknown results.
 *
 * @example
 * ```ts
 * const pool = new Pool<UntypedModule>(url);   // the same as new Pool(url)
 * const n = (await pool.apply('anything', [1, 2])) as number;
 * ```
 */
export type UntypedModule = Record<string, (...args: unknown[]) => unknown>;

