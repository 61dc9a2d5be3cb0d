/**
 * Runs the conformance suite in a real browser outside vitest and prints it
 * like a test run: which browser and version, each case, then
 * `N passed, N failed, N skipped`. Exits non-zero on any failure.
 *
 *   node test/page-runner/run.js firefox                 # Firefox ESR, cross-origin isolated
 *   node test/page-runner/run.js chromium --no-isolation # a page without COOP/COEP
 */
import { buildRunnerPage } from './build.js';
import { launch } from '../support/launch.js';
import { serveStatic } from '../support/serve-static.js';

const kind = process.argv[2] === 'chromium' ? 'chromium' : 'firefox';
const isolated = !process.argv.includes('--no-isolation');
const LIMIT_MS = 10 * 60_000;

const root = await buildRunnerPage();
const server = await serveStatic(root, { isolated });
const browser = await launch(kind);
let exitCode = 1;
try {
  console.log(`conformance in ${browser.name} ${browser.version} (${isolated ? 'with' : 'without'} COOP/COEP)`);
  const page = await browser.open(server.url);
  const started = Date.now();
  let shown = 0;
  let result;
  while (result === undefined) {
    if (Date.now() - started > LIMIT_MS) throw new Error(`the page did not finish within ${LIMIT_MS / 1000} s`);
    await new Promise((resolve) => setTimeout(resolve, 250));
    const lines = /** @type {string[]} */ ((await page.evaluate(`(window.__lines ?? []).slice(${shown})`)) ?? []);
    for (const line of lines) console.log(line);
    shown += lines.length;
    result = /** @type {any} */ (await page.evaluate('window.__result'));
  }
  const rest = /** @type {string[]} */ (await page.evaluate(`(window.__lines ?? []).slice(${shown})`));
  for (const line of rest) console.log(line);
  const { conformance, cases } = result;
  for (const f of [...conformance.failures, ...cases.failures]) console.log(`FAILED ${f.name}\n    ${f.error}`);
  const problems = [];
  if (result.crossOriginIsolated !== isolated) problems.push(`crossOriginIsolated is ${result.crossOriginIsolated}, expected ${isolated}`);
  if (result.capabilities?.sharedMemory !== isolated) problems.push(`capabilities.sharedMemory is ${result.capabilities?.sharedMemory}, expected ${isolated}`);
  if (conformance.passed === 0 || cases.passed === 0) problems.push('no case passed');
  for (const p of problems) console.log(`FAILED ${p}`);
  console.log(
    `${browser.name} ${browser.version}${isolated ? '' : ' without isolation'} (crossOriginIsolated: ${result.crossOriginIsolated}): ` +
      `conformance ${conformance.passed} passed, ${conformance.failed} failed, ${conformance.skipped} skipped; ` +
      `adapter cases ${cases.passed} passed, ${cases.failed} failed`,
  );
  exitCode = conformance.failed === 0 && cases.failed === 0 && problems.length === 0 ? 0 : 1;
} catch (err) {
  console.error(err);
} finally {
  await browser.close().catch(() => {});
  await server.close();
}
process.exit(exitCode);
