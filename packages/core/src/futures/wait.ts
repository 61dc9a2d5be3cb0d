/**
 * `wait(fs, { timeout, returnWhen })`: Python's `concurrent.futures.wait`.
 * Splits the distinct waitables into `done` and `notDone` sets when the
 * condition holds or the timeout passes; never rejects, never cancels.
 */
import { checkOptions, checkWaitTimeout, optionKeys, show } from '../util/validate.js';
import { checkWaitables, failed, settled, watch, type Waitable } from './waitable.js';

/**
 * When `wait` returns: every one done (the default), the first done, or the first failure.
 *
 * @example
 * ```ts
 * const { done } = await wait(futures, { returnWhen: 'FIRST_EXCEPTION' });
 * ```
 */
export type ReturnWhen = 'ALL_COMPLETED' | 'FIRST_COMPLETED' | 'FIRST_EXCEPTION';

/**
 * Options of `wait(fs, options)`.
 *
 * @example
 * ```ts
 * const { done, notDone } = await wait(futures, { timeout: 5_000, returnWhen: 'FIRST_COMPLETED' });
 * ```
 */
export interface WaitForOptions {
  /** Milliseconds from the call; then it returns what is done so far. 0 only looks. */
  timeout?: number;
  /** @default 'ALL_COMPLETED' */
  returnWhen?: ReturnWhen;
}

/**
 * What `wait` resolves to: the futures or results that are done and those that are not, each a new `Set`.
 *
 * @example
 * ```ts
 * const { done, notDone }: WaitOutcome<Future<number>> = await wait(futures, { timeout: 1_000 });
 * for (const f of notDone) f.cancel();
 * ```
 */
export interface WaitOutcome<F> {
  readonly done: Set<F>;
  readonly notDone: Set<F>;
}

const RETURN_WHEN: readonly string[] = ['ALL_COMPLETED', 'FIRST_COMPLETED', 'FIRST_EXCEPTION'];

const WAIT_OPTION_KEYS = optionKeys<WaitForOptions>({ timeout: true, returnWhen: true });

/**
 * Waits for `Future`s from any executor and `AsyncResult`s from any pool, as
 * Python's `concurrent.futures.wait` (a cancelled future is done, not failed):
 * duplicates collapse; `'FIRST_COMPLETED'` and `'FIRST_EXCEPTION'` count ones
 * already settled; `'FIRST_EXCEPTION'` with no failure is `'ALL_COMPLETED'`; on
 * timeout it resolves with the split so far. It never rejects and never cancels.
 *
 * @example
 * ```ts
 * const rs = [pool.applyAsync('fib', [30]), pool.applyAsync('fib', [31])];
 * const { done, notDone } = await wait(rs, { timeout: 5_000, returnWhen: 'FIRST_COMPLETED' });
 * ```
 */
export function wait<F extends Waitable>(fs: Iterable<F>, options?: WaitForOptions): Promise<WaitOutcome<F>> {
  const list = checkWaitables<F>(fs, 'wait: fs');
  const o = options === undefined ? {} : (checkOptions(options, 'wait options', WAIT_OPTION_KEYS) as WaitForOptions);
  const timeout = checkWaitTimeout(o.timeout, 'wait: timeout');
  const returnWhen = o.returnWhen ?? 'ALL_COMPLETED';
  if (!RETURN_WHEN.includes(returnWhen as string)) {
    throw new TypeError(`wait: returnWhen must be 'ALL_COMPLETED', 'FIRST_COMPLETED' or 'FIRST_EXCEPTION', got ${show(returnWhen)}`);
  }
  const split = (): WaitOutcome<F> => {
    const done = new Set<F>();
    const notDone = new Set<F>();
    for (const f of list) (settled(f) ? done : notDone).add(f);
    return { done, notDone };
  };
  const satisfied = (): boolean => {
    let ready = 0;
    for (const f of list) {
      if (!settled(f)) continue;
      ready++;
      if (returnWhen === 'FIRST_COMPLETED') return true;
      if (returnWhen === 'FIRST_EXCEPTION' && failed(f)) return true;
    }
    return ready === list.length;
  };
  if (satisfied() || timeout === 0) return Promise.resolve(split());
  return new Promise<WaitOutcome<F>>((resolve) => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    let finished = false;
    const finish = (): void => {
      if (finished) return;
      finished = true;
      if (timer !== undefined) clearTimeout(timer);
      resolve(split());
    };
    if (timeout !== undefined) timer = setTimeout(finish, timeout);
    for (const f of list) if (!settled(f)) watch(f, () => satisfied() && finish());
  });
}
