/**
 * The one builder of the `init` message, the first thing a parent tells a new
 * worker: a pool's worker (an initializer, then tasks) and a `Process` (one
 * target) fill the same shape, so it is written here once.
 */
import type { WorkerSource } from '../adapter.js';
import type { Pid } from '../types.js';
import { currentProcess } from '../worker-scope.js';
import { PROTOCOL_VERSION, type InitMessage, type ProcessIdentity } from './messages.js';

/** What the worker runs: a pool's initializer and its arguments, or a `Process` target and its arguments. */
export type InitWork = Pick<InitMessage, 'initializer' | 'initargs' | 'target' | 'args'>;

/**
 * Builds the `init` message for a worker that loads `source` and is
 * `identity`; its parent is the calling process.
 *
 * @example
 * ```ts
 * host.init(makeInit(source, { name: 'PoolWorker-1', pid: host.pid, daemon: true }, { initializer: null, initargs: [], target: null, args: [] }));
 * ```
 */
export function makeInit(source: WorkerSource, identity: Omit<ProcessIdentity, 'pid'> & { readonly pid: Pid }, work: InitWork): InitMessage {
  const me = currentProcess();
  return {
    type: 'init',
    version: PROTOCOL_VERSION,
    module: source.kind === 'module' ? source.url : null,
    // A worker with a string pid is not this machine's: inside, it reports its own host's pid.
    identity: typeof identity.pid === 'number' ? (identity as ProcessIdentity) : { name: identity.name, pid: 0, daemon: identity.daemon },
    parent: { name: me.name, pid: me.pid, daemon: me.daemon },
    initializer: work.initializer,
    initargs: work.initargs,
    target: work.target,
    args: work.args,
  };
}
