// The docs check that the test command runs after the build:
// (a) every public export of every published package has TSDoc with an
//     `@example` (read from the built declarations: build first);
// (b) no broken relative link or `#anchor` in README.md, packages/*/README.md
//     and docs/*.md.
// Prints what is missing and exits 1, so CI names each gap.
// Run: node scripts/check-docs.mjs [--links-only]
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { brokenLinks } from './docs-check/markdown-links.mjs';
import { checkExamples } from './docs-check/tsdoc-examples.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));

/** The markdown users read: the root README, each package's README and the guides in docs/. */
function markdownFiles() {
  const packageReadmes = readdirSync(join(root, 'packages')).map((p) => join(root, 'packages', p, 'README.md'));
  const guides = readdirSync(join(root, 'docs')).filter((f) => f.endsWith('.md')).map((f) => join(root, 'docs', f));
  return [join(root, 'README.md'), ...packageReadmes, ...guides].filter((f) => existsSync(f));
}

let failed = false;

const linksOnly = process.argv.includes('--links-only');
if (!linksOnly) {
  const missing = checkExamples(root);
  if (missing.length > 0) {
    failed = true;
    console.error(`check-docs: ${missing.length} public exports have no TSDoc @example:`);
    for (const m of missing) console.error(`  ${m.where}: ${m.name} (exported by ${m.exportedBy.join(', ')})`);
  }
}

const broken = brokenLinks(root, markdownFiles());
if (broken.length > 0) {
  failed = true;
  console.error(`check-docs: ${broken.length} broken links:`);
  for (const b of broken) console.error(`  ${b.file}:${b.line}: (${b.target}) ${b.reason}`);
}

if (failed) process.exit(1);
console.log(`check-docs: ${linksOnly ? '' : 'every public export has an @example; '}no broken relative links`);
