// Unit tests of the docs check (node's built-in runner, no build needed):
// each check is run on a small made-up project and must report exactly the
// deliberately broken parts. Run: node --test scripts/docs-check/
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { anchors, brokenLinks, slug } from './markdown-links.mjs';
import { checkExamples } from './tsdoc-examples.mjs';

function project(files) {
  const root = mkdtempSync(join(tmpdir(), 'docs-check-'));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}

test('slugs follow GitHub: punctuation dropped, code and links keep their text, repeats numbered', () => {
  assert.equal(slug('Executors and futures (`concurrent.futures`)'), 'executors-and-futures-concurrentfutures');
  assert.equal(slug('[`Pool`](x.md) options: _why_ snake_case'), 'pool-options-why-snake_case');
  assert.equal(slug('The `__init__` hook and `pool.map(fn)`'), 'the-__init__-hook-and-poolmapfn');
  assert.deepEqual([...anchors('# A\n\n## A\n\n```\n# not a heading\n```\nB\n---\n<a id="custom"></a>\n')], ['a', 'a-1', 'b', 'custom']);
});

test('brokenLinks reports a missing file and a missing anchor, and passes good ones', () => {
  const root = project({
    'README.md': '# Readme\n[ok](docs/g.md#second-part) [dir](docs) [self](#readme) [web](https://x.invalid/#y) [bad self](#top)\n[gone](docs/nope.md)\n[bad](docs/g.md#third)\n`[code](nope.md)`\n',
    'docs/g.md': '# Top\n\n## Second part\n',
  });
  const broken = brokenLinks(root, [join(root, 'README.md'), join(root, 'docs/g.md')]);
  assert.deepEqual(
    broken.map((b) => `${b.file}:${b.line} ${b.target}`),
    ['README.md:2 #top', 'README.md:3 docs/nope.md', 'README.md:4 docs/g.md#third'],
  );
});

test('checkExamples lists exports without @example, resolving re-exports, and skips private packages', () => {
  const root = project({
    'packages/a/package.json': JSON.stringify({ name: '@t/a', exports: { '.': { types: './dist/index.d.ts' }, './bin': './bin.js' } }),
    'packages/a/dist/index.d.ts': "export { Good, Bare } from './impl.js';\n/** Documented, no example. */\nexport declare const noExample: number;\n",
    'packages/a/dist/impl.d.ts': '/**\n * Good.\n * @example\n * ```ts\n * new Good();\n * ```\n */\nexport declare class Good {}\nexport interface Bare {}\n',
    'packages/p/package.json': JSON.stringify({ name: '@t/p', private: true, exports: { '.': { types: './dist/index.d.ts' } } }),
    'packages/p/dist/index.d.ts': 'export declare const ignored: number;\n',
  });
  const missing = checkExamples(root);
  assert.deepEqual(
    missing.map((m) => `${m.where} ${m.name} ${m.exportedBy}`),
    ['packages/a/dist/impl.d.ts Bare @t/a', 'packages/a/dist/index.d.ts noExample @t/a'],
  );
});

test('checkExamples refuses an entry point whose re-export does not resolve, instead of checking nothing', () => {
  const root = project({
    'packages/a/package.json': JSON.stringify({ name: '@t/a', exports: { '.': { types: './dist/index.d.ts' } } }),
    'packages/a/dist/index.d.ts': "export * from '@t/not-installed';\n",
  });
  assert.throws(() => checkExamples(root), /@t\/a: Cannot find module '@t\/not-installed'/);
});
