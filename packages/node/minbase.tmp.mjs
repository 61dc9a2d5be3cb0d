import { build } from 'esbuild';
const f = (n) => `/work/wt-codec/packages/node/test/fixtures/minified/${n}`;
await build({ entryPoints: { parent: f('parent.js'), tasks: f('tasks.js'), 'entry/thread': '/work/main/packages/node/dist/entry/thread.js' }, outdir: '/tmp/minbase', bundle: true, minify: true, format: 'esm', platform: 'node', alias: { '@multiproc/node': '/work/main/packages/node/dist/index.js' }, logLevel: 'error' });
