// Bundles the browser bench's page with esbuild into bench/browser/bundle (gitignored): the page,
// @multiproc/browser's worker entry at `entry/worker.js` (where the adapter's
// `new URL('./entry/worker.js', import.meta.url)` finds it), multiproc's task module, and the
// comlink and workerpool workers, split so the task module and the worker entry share one copy
// of core. Bundling is needed because import maps do not reach module workers.
import { build } from 'esbuild';
import { copyFile, mkdir, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);

/** Builds the page; returns the folder to serve. */
export async function buildBenchPage() {
  const outdir = join(here, 'bundle');
  await rm(outdir, { recursive: true, force: true });
  await mkdir(outdir, { recursive: true });
  const browserDist = dirname(require.resolve('@multiproc/browser'));
  await build({
    entryPoints: {
      page: join(here, 'page/page.js'),
      'entry/worker': join(browserDist, 'entry/worker.js'),
      tasks: join(here, 'page/tasks.js'),
      'comlink-worker': join(here, 'page/comlink-worker.js'),
      'workerpool-worker': join(here, 'page/workerpool-worker.js'),
    },
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    // workerpool's browser build requires these only when it runs on Node.
    external: ['worker_threads', 'os', 'child_process'],
    outdir,
    logLevel: 'warning',
  });
  await copyFile(join(here, 'page/index.html'), join(outdir, 'index.html'));
  return outdir;
}
