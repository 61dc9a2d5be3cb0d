// The browser bench: W1, W2 and W4 of the project's BENCH.md in headless Chromium and/or Firefox
// ESR, for multiproc (@multiproc/browser), comlink with one call per task, and workerpool's web
// workers, 2 workers each, in one page run (interleaved, order reversed every other repetition,
// every result checked in the page). Bundles the page (build.mjs), serves it on loopback with
// COOP/COEP (cross-origin isolated), reads the page's results, prints the same tables as the
// Node bench (medians, min – max, multiproc ÷ each) to stdout, progress to stderr, and writes
// results/browser.json (--quick: results/browser-quick.json, not tracked); a full run then
// regenerates docs/benchmarks.md (report.mjs) with the browser tables. Exits 1 on a wrong
// result or a failed task (after printing the tables without that run), a page error, or a page
// that is not cross-origin isolated.
//
//   node bench/browser/run.mjs [--quick] [--browser chromium|firefox|chromium,firefox] [--reps N]
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { launch } from '../../packages/browser/test/support/launch.js';
import { serveStatic } from '../../packages/browser/test/support/serve-static.js';
import { machineInfo, versionOf } from '../lib/machine.mjs';
import { sizesFor } from '../lib/sizes.mjs';
import { browserTables, summarizeRuns } from './tables.mjs';
import { buildBenchPage } from './build.mjs';
import { writeReport } from '../report.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const USAGE = 'usage: node bench/browser/run.mjs [--quick] [--browser chromium|firefox|chromium,firefox] [--reps N]';
const log = (s) => process.stderr.write(`${s}\n`);
const QUIET_LIMIT_MS = 180_000; // a page that logs nothing for this long is stuck

function parseArgs(argv) {
  const opts = { quick: false, browsers: ['chromium'], reps: undefined };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--quick') opts.quick = true;
    else if (a === '--browser') opts.browsers = String(argv[++i]).split(',');
    else if (a === '--reps') opts.reps = Number(argv[++i]);
    else throw new Error(`unknown argument ${a}`);
  }
  if (opts.browsers.some((b) => b !== 'chromium' && b !== 'firefox')) throw new Error(`--browser takes chromium, firefox or both`);
  if (opts.reps !== undefined && !(Number.isInteger(opts.reps) && opts.reps > 0)) throw new Error('--reps needs a positive integer');
  opts.reps ??= opts.quick ? 1 : 3;
  return opts;
}

/**
 * The page's answer, or undefined when the browser did not answer within the launcher's bound:
 * Firefox answers only between the page's tasks, and a workload can keep its main thread busy
 * longer than that (the QUIET_LIMIT_MS watchdog still catches a stuck page).
 */
async function busyTolerant(ask) {
  try {
    return (await ask()) ?? [];
  } catch (err) {
    if (/did not answer within/.test(String(err?.message))) return undefined;
    throw err;
  }
}

/** Opens the page in one browser and waits for its result, echoing its progress lines. */
async function runIn(kind, url) {
  const browser = await launch(kind);
  try {
    log(`${browser.name} ${browser.version}`);
    const page = await browser.open(url);
    let shown = 0;
    let lastNews = Date.now();
    for (;;) {
      await new Promise((r) => setTimeout(r, 250));
      const lines = await busyTolerant(() => page.evaluate(`(window.__lines ?? []).slice(${shown})`));
      if (lines === undefined) {
        if (Date.now() - lastNews > QUIET_LIMIT_MS) throw new Error(`the page in ${browser.name} answered nothing for ${QUIET_LIMIT_MS / 1000} s`);
        continue;
      }
      for (const line of lines) log(`  ${line}`);
      shown += lines.length;
      if (lines.length > 0) lastNews = Date.now();
      const error = await page.evaluate('window.__error');
      if (error) throw new Error(`the page failed in ${browser.name}: ${error}\n${page.console().join('\n')}`);
      const result = await page.evaluate('window.__result');
      if (result) return { browser: browser.name, version: browser.version, ...result };
      if (Date.now() - lastNews > QUIET_LIMIT_MS) throw new Error(`the page in ${browser.name} logged nothing for ${QUIET_LIMIT_MS / 1000} s`);
    }
  } finally {
    await browser.close().catch(() => {});
  }
}

async function main(opts) {
  const started = Date.now();
  const { w1Tasks, w2Trips, w4Tasks, w4Bytes, warmTasks } = sizesFor(opts.quick);
  const sizes = { w1Tasks, w2Trips, w4Tasks, w4Bytes, warmTasks };
  const machine = machineInfo();
  log(`multiproc browser bench${opts.quick ? ' --quick' : ''}: ${machine.cpu}, ${machine.cores} cores, pool size 2, ${opts.reps} rep(s), load ${machine.loadavg.join(' ')}`);
  const server = await serveStatic(await buildBenchPage(), { isolated: true });
  const results = {};
  try {
    for (const kind of opts.browsers) {
      const url = `${server.url}?reps=${opts.reps}&sizes=${encodeURIComponent(JSON.stringify(sizes))}`;
      const r = await runIn(kind, url);
      if (r.crossOriginIsolated !== true) throw new Error(`the page in ${kind} is not cross-origin isolated`);
      results[kind] = { version: r.version, userAgent: r.userAgent, failures: r.failures, workloads: summarizeRuns(r.runs), runs: r.runs };
    }
  } finally {
    await server.close();
  }
  const elapsedS = Number(((Date.now() - started) / 1000).toFixed(1));
  const out = resolve(here, '..', opts.quick ? 'results/browser-quick.json' : 'results/browser.json');
  // Keep the other browser's figures when only one runs.
  const previous = existsSync(out) ? JSON.parse(readFileSync(out, 'utf8')).browsers ?? {} : {};
  const json = {
    generated: new Date().toISOString(),
    quick: opts.quick,
    reps: opts.reps,
    poolSize: 2,
    elapsedS,
    sizes,
    machine: { ...machine, loadavgAtEnd: machineInfo().loadavg },
    versions: Object.fromEntries(['@multiproc/browser', 'comlink', 'workerpool', 'esbuild'].map((p) => [p, versionOf(p)])),
    browsers: { ...previous, ...results },
  };
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, `${JSON.stringify(json, null, 1)}\n`);
  console.log(`multiproc browser bench: ${machine.cpu}, ${machine.cores} cores; pool size 2; median of ${opts.reps} repetition(s); ${elapsedS} s`);
  for (const kind of opts.browsers) console.log(`\n## ${kind} ${results[kind].version}\n\n${browserTables(results[kind].workloads)}`);
  log(`results: ${out}`);
  const latest = resolve(here, '../results/latest.json');
  if (!opts.quick && existsSync(latest)) log(`docs: ${writeReport(JSON.parse(readFileSync(latest, 'utf8')))}`);
  const failures = opts.browsers.flatMap((kind) => results[kind].failures.map((f) => `${kind} rep ${f.rep} ${f.workload} ${f.pool}: ${f.error}`));
  if (failures.length > 0) throw new Error(`${failures.length} measured run(s) failed (not in the tables):\n${failures.join('\n')}`);
}

let opts;
try {
  opts = parseArgs(process.argv.slice(2));
} catch (err) {
  console.error(`run.mjs: ${err.message}\n${USAGE}`);
  process.exit(2);
}
main(opts).then(
  () => process.exit(0),
  (err) => {
    console.error(`\nbrowser bench FAILED: ${err?.stack ?? err}`);
    process.exit(1);
  },
);
