// What a user ships: the size of minified bundles of the parent side
// (`export { Pool }`) and of the worker entry, and how much of each is the
// synchronization primitives (core's sync/ folder). Each is built twice: as one
// file (esbuild inlines a dynamic import() then, so the primitives are always
// in it), and with --splitting, where the primitives are a chunk loaded only
// when a program first uses one: "initial" is what loads at start (the entry
// and the chunks it imports statically), "lazy" is the rest. esbuild turns off
// "sideEffects": false as soon as a build has a second entry point, and a
// dynamic import() is one (evanw/esbuild#1110), so its split build keeps every
// primitive in the initial chunk; Rolldown (Vite's bundler) keeps them lazy,
// so it is measured too. Run after a build:
//   node bench/bundle-size.mjs [repo-root]
// The root defaults to this checkout, so two builds can be compared.
import { createRequire } from 'node:module';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(process.argv[2] ?? fileURLToPath(new URL('..', import.meta.url)));
const require = createRequire(join(root, 'packages/node/package.json'));
const esbuild = require('esbuild');
const { rolldown } = createRequire(createRequire(join(root, 'packages/browser/package.json')).resolve('vite'))('rolldown');

const cases = [
  { name: 'node: export { Pool }', source: "export { Pool } from '@multiproc/node';", dir: 'packages/node', platform: 'node' },
  { name: 'node: export { Pool, Lock, Queue }', source: "export { Pool, Lock, Queue } from '@multiproc/node';", dir: 'packages/node', platform: 'node' },
  { name: 'node: thread worker entry', entry: 'packages/node/dist/entry/thread.js', platform: 'node' },
  { name: 'browser: export { Pool }', source: "export { Pool } from '@multiproc/browser';", dir: 'packages/browser', platform: 'browser' },
  { name: 'browser: worker entry', entry: 'packages/browser/dist/entry/worker.js', platform: 'browser' },
];

const kb = (n) => `${(n / 1024).toFixed(1).padStart(5)} kB`;
const syncBytes = (out) => {
  let n = 0;
  for (const [file, info] of Object.entries(out.inputs)) if (/core\/dist\/sync\//.test(file)) n += info.bytesInOutput;
  return n;
};

function build(entry, platform, splitting) {
  return esbuild.build({
    entryPoints: [entry],
    bundle: true,
    minify: true,
    format: 'esm',
    platform,
    splitting,
    write: false,
    metafile: true,
    outdir: join(tmp, splitting ? 'split' : 'one'),
    logLevel: 'silent',
  });
}

// Walk the static imports from the entry chunk: that is what loads at start.
function splitSizes(meta) {
  const outputs = meta.outputs;
  const entryName = Object.keys(outputs).find((k) => outputs[k].entryPoint);
  const seen = new Set();
  const walk = (name) => {
    if (seen.has(name)) return;
    seen.add(name);
    for (const imp of outputs[name].imports) if (imp.kind === 'import-statement' && outputs[imp.path]) walk(imp.path);
  };
  walk(entryName);
  const initial = { bytes: 0, sync: 0 };
  const lazy = { bytes: 0 };
  for (const [name, out] of Object.entries(outputs)) {
    if (!name.endsWith('.js')) continue;
    if (seen.has(name)) {
      initial.bytes += out.bytes;
      initial.sync += syncBytes(out);
    } else lazy.bytes += out.bytes;
  }
  return { initial, lazy };
}

async function rolldownSizes(input, platform) {
  const bundle = await rolldown({ input, platform, logLevel: 'silent' });
  try {
    const { output } = await bundle.generate({ format: 'es', minify: true });
    const chunks = new Map(output.filter((o) => o.type === 'chunk').map((o) => [o.fileName, o]));
    const seen = new Set();
    const walk = (name) => {
      if (seen.has(name) || !chunks.has(name)) return;
      seen.add(name);
      for (const imp of chunks.get(name).imports) walk(imp);
    };
    walk([...chunks.values()].find((o) => o.isEntry).fileName);
    const initial = { bytes: 0, sync: 0 };
    const lazy = { bytes: 0 };
    for (const [name, chunk] of chunks) {
      const bytes = Buffer.byteLength(chunk.code);
      if (!seen.has(name)) {
        lazy.bytes += bytes;
        continue;
      }
      initial.bytes += bytes;
      for (const id of Object.keys(chunk.modules)) if (/core\/dist\/sync\//.test(id)) initial.sync++;
    }
    return { initial, lazy };
  } finally {
    await bundle.close();
  }
}

const tmp = mkdtempSync(join(tmpdir(), 'mp-bundle-'));
try {
  console.log(`bundle sizes of ${root} (minified esm)`);
  for (const c of cases) {
    let entry = c.entry && join(root, c.entry);
    if (c.source) {
      // Resolve the package from its own folder, as a user's project would.
      entry = join(root, c.dir, `.bundle-entry-${process.pid}.mjs`);
      writeFileSync(entry, c.source);
    }
    try {
      const one = await build(entry, c.platform, false);
      const out = Object.values(one.metafile.outputs)[0];
      const split = await build(entry, c.platform, true);
      const { initial, lazy } = splitSizes(split.metafile);
      const rd = await rolldownSizes(entry, c.platform);
      console.log(
        `${c.name.padEnd(36)} esbuild: one file ${kb(out.bytes)} (sync/ ${kb(syncBytes(out))})` +
          `, split initial ${kb(initial.bytes)} (sync/ ${kb(initial.sync)}) + lazy ${kb(lazy.bytes)}` +
          ` | rolldown: initial ${kb(rd.initial.bytes)} (${rd.initial.sync} sync/ modules) + lazy ${kb(rd.lazy.bytes)}`,
      );
    } finally {
      if (c.source) rmSync(entry, { force: true });
    }
  }
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
