/**
 * Turns what a user passes as a pool's or process's source into a
 * `WorkerSource`: a module URL (URL object, absolute path, absolute URL
 * string) or a worker factory. Relative strings are refused: they would
 * resolve against the library's worker entry, not the caller's file.
 */
import type { WorkerSource } from '../adapter.js';

/**
 * A task module's location, or a function that makes a worker whose script calls `expose()`.
 *
 * @example
 * ```ts
 * new Pool(new URL('./tasks.js', import.meta.url));                                      // a module URL
 * new Pool('/srv/app/tasks.js');                                                           // an absolute path
 * new Pool(() => new Worker(new URL('./worker.js', import.meta.url), { type: 'module' }));   // a worker that calls expose()
 * ```
 */
export type SourceInput = URL | string | (() => unknown);

const urlSchemes = /^(file|https?|data|blob):/i;

export function normalizeSource(source: unknown, what = 'source'): WorkerSource {
  if (typeof source === 'function') return { kind: 'factory', factory: source as () => unknown };
  if (source instanceof URL) return { kind: 'module', url: source.href };
  if (typeof source === 'string') {
    if (urlSchemes.test(source)) return { kind: 'module', url: new URL(source).href };
    if (source.startsWith('/')) return { kind: 'module', url: new URL('file://' + encodePath(source)).href };
    if (/^[A-Za-z]:[\\/]/.test(source)) return { kind: 'module', url: new URL('file:///' + encodePath(source.replace(/\\/g, '/'))).href };
    throw new TypeError(
      `${what} "${source}" is relative, so it would resolve against the library's files, not yours. ` +
        `Pass new URL('${source}', import.meta.url) instead (or an absolute path or URL).`,
    );
  }
  throw new TypeError(`${what} must be a URL, an absolute path or URL string, or a worker factory function`);
}

function encodePath(path: string): string {
  return path.replace(/[?#%]/g, (c) => encodeURIComponent(c));
}
