/**
 * The whole conformance suite under another runtime, both contexts: the plain
 * runner (conformance.mjs) prints every case and `N passed, N failed,
 * N skipped`; a failure shows the runner's report in the assertion message.
 */
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runUnder, summary, type Runtime } from './run-under.js';

const script = fileURLToPath(new URL('./conformance.mjs', import.meta.url));

export function conformanceUnder(runtime: Runtime): void {
  describe(`the conformance suite under ${runtime}`, () => {
    for (const context of ['thread', 'process']) {
      it(`${context}: every case passes or is skipped for a capability the adapter does not declare`, async () => {
        const r = await runUnder(runtime, script, [context], 900_000);
        const failures = r.stdout.split('\n').filter((l) => l.startsWith('FAILED') || l.startsWith('  '));
        const s = summary(r.stdout);
        expect(s, `no summary line; stderr:\n${r.stderr.slice(-4000)}`).toBeDefined();
        expect(s?.failed, failures.join('\n')).toBe(0);
        expect(r.code).toBe(0);
        // Every case ran (the suite did not stop early): about 220 on each context.
        expect((s?.passed ?? 0) + (s?.skipped ?? 0)).toBeGreaterThan(200);
        console.log(`${runtime}:${context}: ${s?.passed} passed, ${s?.failed} failed, ${s?.skipped} skipped`);
      }, 1_000_000);
    }
  });
}
