// Bundles a package's tsc output (dist/**/*.js) into dist/bundle/, the files its
// package.json `exports` point at. Why: Node 20 has no compile cache for ES modules,
// and loading core as ~120 small files cost ~55 ms per `import('@multiproc/node')`
// and again in every new worker; a few chunks load in a fraction of that.
//
// The layout of dist/ is kept (entry points keep their relative paths), so
// `new URL('./entry/thread.js', import.meta.url)` still finds its file. Code
// splitting keeps one instance of every module across a package's entries (the
// index, the worker entries, the conformance suite), and keeps the lazily
// imported primitives out of the first chunk. Other workspace packages stay
// external, so `@multiproc/node` and a task module that imports `@multiproc/core`
// share one core. Types stay per file (dist/**/*.d.ts), emitted by tsc.
//
// usage: node ../../scripts/bundle-dist.mjs <platform> <entry.js>... (run in a package dir;
// entries relative to dist/, globs allowed as "dir/*.js")
import { readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { createRequire } from 'node:module';

const [platform, ...patterns] = process.argv.slice(2);
if (!['node', 'neutral', 'browser'].includes(platform) || patterns.length === 0) {
  console.error('usage: bundle-dist.mjs <node|neutral|browser> <entry.js>...');
  process.exit(2);
}
const require = createRequire(join(process.cwd(), 'package.json'));
const { build } = require('esbuild');

const entries = patterns.flatMap((pattern) => {
  if (!pattern.endsWith('/*.js')) return [join('dist', pattern)];
  const dir = pattern.slice(0, -'/*.js'.length);
  return readdirSync(join('dist', dir))
    .filter((f) => f.endsWith('.js'))
    .map((f) => join('dist', dir, f));
});

rmSync('dist/bundle', { recursive: true, force: true });
await build({
  entryPoints: entries,
  outbase: 'dist',
  outdir: 'dist/bundle',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform,
  target: 'es2022',
  // Workspace packages and npm dependencies are imported, not copied in.
  packages: 'external',
  // At the root of the bundle, as the code was in dist/: relative URLs resolve the same.
  chunkNames: '[name]-[hash]',
  sourcemap: true,
  sourcesContent: false,
  legalComments: 'none',
  logLevel: 'warning',
});
