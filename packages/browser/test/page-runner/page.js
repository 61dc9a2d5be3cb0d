/**
 * The conformance suite as a plain page, for browsers vitest cannot drive
 * (Firefox) and for pages without cross-origin isolation. It runs
 * `runConformancePlain` against the built @multiproc/browser, shows each
 * line on the page, and publishes progress on `window.__lines` and the
 * report on `window.__result` for the runner that opened it.
 */
import { runConformancePlain } from '@multiproc/core/conformance';
import { browserAdapter } from '@multiproc/browser';

const browser = navigator.userAgent.includes('Firefox/') ? 'firefox' : 'chromium';
// Named by what ran it, so skip reasons say why (a page without isolation has no shared memory).
const name = `browser:${browser}${crossOriginIsolated ? '' : ' (not cross-origin isolated)'}`;
const out = document.getElementById('out');
const lines = [];
window.__lines = lines;

const log = (line) => {
  lines.push(line);
  out.textContent += line + '\n';
};

try {
  const report = await runConformancePlain(
    // The fixture is bundled next to this page (build.js), sharing core with the worker entry.
    { name, createAdapter: () => browserAdapter, tasksUrl: new URL('./fixtures/tasks.js', import.meta.url) },
    log,
  );
  window.__result = { ...report, crossOriginIsolated, capabilities: browserAdapter.capabilities, userAgent: navigator.userAgent };
} catch (err) {
  window.__result = { passed: 0, failed: 1, skipped: 0, failures: [{ name: 'runner', error: String(err?.stack ?? err) }] };
}
