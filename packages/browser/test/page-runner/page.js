/**
 * The conformance suite as a plain page, for browsers vitest cannot drive
 * (Firefox) and for pages without cross-origin isolation. It runs
 * `runConformancePlain` against the built @multiproc/browser, then the
 * browser adapter's own cases, shows each line on the page, and publishes
 * progress on `window.__lines` and the outcome on `window.__result` for the
 * runner that opened it (run.js).
 */
import { runConformancePlain } from '@multiproc/core/conformance';
import { browserAdapter } from '@multiproc/browser';
import { browserCases } from '../browser-cases.ts';

const browser = navigator.userAgent.includes('Firefox/') ? 'firefox' : 'chromium';
// Named by what ran it, so skip reasons say why (a page without isolation has no shared memory).
const name = `browser:${browser}${crossOriginIsolated ? '' : ' (not cross-origin isolated)'}`;
const CASE_TIMEOUT_MS = 60_000;
const out = document.getElementById('out');
const lines = [];
window.__lines = lines;

const log = (line) => {
  lines.push(line);
  out.textContent += line + '\n';
};

async function runBrowserCases() {
  const report = { passed: 0, failed: 0, failures: [] };
  // The fixtures are bundled next to this page (build.js).
  for (const c of browserCases(import.meta.url)) {
    const title = `browser adapter › ${c.name}`;
    let timer;
    try {
      await Promise.race([
        c.run(),
        new Promise((_, reject) => {
          timer = setTimeout(() => reject(new Error(`timed out after ${CASE_TIMEOUT_MS} ms`)), CASE_TIMEOUT_MS);
        }),
      ]);
      report.passed++;
      log(`✓ ${title}`);
    } catch (err) {
      report.failed++;
      const error = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
      report.failures.push({ name: title, error });
      log(`✗ ${title}\n    ${error}`);
    } finally {
      clearTimeout(timer);
    }
  }
  log(`${name} adapter cases: ${report.passed} passed, ${report.failed} failed`);
  return report;
}

try {
  const conformance = await runConformancePlain(
    { name, createAdapter: () => browserAdapter, tasksUrl: new URL('./fixtures/tasks.js', import.meta.url) },
    log,
  );
  const cases = await runBrowserCases();
  window.__result = { conformance, cases, crossOriginIsolated, capabilities: browserAdapter.capabilities, userAgent: navigator.userAgent };
} catch (err) {
  const failure = { passed: 0, failed: 1, skipped: 0, failures: [{ name: 'runner', error: String(err?.stack ?? err) }] };
  window.__result = { conformance: failure, cases: { passed: 0, failed: 0, failures: [] } };
}
