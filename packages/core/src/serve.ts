/**
 * `@multiproc/core/serve`: the worker side alone, for an adapter's worker
 * entry. It loads the serve loop and what it needs (about 45 kB of the
 * bundle), where `@multiproc/core` loads the whole library, so a worker whose
 * task module imports nothing from multiproc starts sooner and smaller. State
 * is shared with `@multiproc/core`: both come from the same chunks.
 *
 * @example
 * ```ts
 * import { serve } from '@multiproc/core/serve';
 * serve({ postMessage: (m, t) => port.postMessage(m, t), onMessage: (l) => port.on('message', l), exit: (code) => process.exit(code) });
 * ```
 *
 * @module
 */
export { serve, type ServeOptions } from './protocol/serve.js';
export type { WorkerPort } from './adapter.js';
