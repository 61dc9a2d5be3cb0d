// Writes docs/benchmarks.md and one SVG bar chart per workload figure (docs/bench/*.svg) from a
// run's JSON (default bench/results/latest.json), with the browser bench's tables from
// results/browser.json when that exists. run.js and browser/run.mjs call it after a full run.
//
//   node report.mjs [results.json]
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { pageMarkdown } from './lib/report/page.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const docs = resolve(here, '../docs');

/** The browser bench's last full results (results/browser.json), or undefined. */
function browserResults() {
  const file = resolve(here, 'results/browser.json');
  return existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : undefined;
}

/** Writes the page and its charts (with the browser bench's tables when it has run); returns the page's path. */
export function writeReport(json) {
  const { markdown, charts } = pageMarkdown(json, browserResults());
  mkdirSync(resolve(docs, 'bench'), { recursive: true });
  for (const [name, svg] of charts) writeFileSync(resolve(docs, 'bench', name), svg);
  const page = resolve(docs, 'benchmarks.md');
  writeFileSync(page, markdown);
  return page;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const file = resolve(process.argv[2] ?? resolve(here, 'results/latest.json'));
  console.log(writeReport(JSON.parse(readFileSync(file, 'utf8'))));
}
