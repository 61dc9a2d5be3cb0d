/**
 * Bundles the conformance page with esbuild into `bundle/` (gitignored):
 * the page, the adapter's worker entry at `entry/worker.js` (where the
 * adapter's `new URL('./entry/worker.js', import.meta.url)` finds it), the
 * fixture task module and the browser cases' worker scripts under
 * `fixtures/`, split so the worker entry and the fixture share one
 * copy of core (a task's `exit()` and `currentProcess()` must see the
 * worker's state). Bundling is needed because import maps do not reach
 * module workers.
 */
import { build } from 'esbuild';
import { copyFile, mkdir, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const here = fileURLToPath(new URL('.', import.meta.url));
const require = createRequire(import.meta.url);

/** @returns {Promise<string>} the bundle folder */
export async function buildRunnerPage() {
  const outdir = here + 'bundle';
  await rm(outdir, { recursive: true, force: true });
  await mkdir(outdir, { recursive: true });
  const browserDist = fileURLToPath(new URL('../../dist/', import.meta.url));
  const fixtures = fileURLToPath(new URL('../fixtures/', import.meta.url));
  await build({
    entryPoints: {
      page: here + 'page.js',
      'entry/worker': browserDist + 'entry/worker.js',
      'fixtures/tasks': require.resolve('@multiproc/core/conformance/fixtures/tasks.js'),
      // Loaded next to tasks.js by the cases about task modules that misbehave while they load.
      'fixtures/unguarded-pool': require.resolve('@multiproc/core/conformance/fixtures/unguarded-pool.js'),
      'fixtures/exit-on-load': require.resolve('@multiproc/core/conformance/fixtures/exit-on-load.js'),
      // The browser adapter's own cases start these through worker factories.
      'fixtures/expose.worker': fixtures + 'expose.worker.js',
      'fixtures/unseen-close.worker': fixtures + 'unseen-close.worker.js',
      'fixtures/broken.worker': fixtures + 'broken.worker.js',
    },
    bundle: true,
    splitting: true,
    format: 'esm',
    target: 'es2022',
    outdir,
    logLevel: 'warning',
  });
  await copyFile(here + 'index.html', outdir + '/index.html');
  // Loaded from its URL by the adapter's worker entry, as users' task modules are: copied, not bundled.
  await copyFile(fixtures + 'browser-tasks.js', outdir + '/fixtures/browser-tasks.js');
  return outdir;
}
