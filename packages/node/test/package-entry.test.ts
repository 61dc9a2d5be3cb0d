// What plain Node loads for `import '@multiproc/node'`: the bundled dist
// (dist/bundle, issue #11's import time), one instance of core shared by the
// program, `@multiproc/node` and the task modules in its workers (classes and
// worker state are the same objects whichever package a module imports), and
// no node:child_process until a process pool starts. Bundlers resolve the
// `module` condition to the per-file dist instead (lazy-sync-bundle.test.ts).
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const main = fileURLToPath(new URL('./fixtures/package-entry/main.js', import.meta.url));

describe('the published entry points under plain Node', () => {
  for (const context of ['thread', 'process']) {
    it(`load the bundles, share one core with task modules, and work (${context})`, async () => {
      const { stdout } = await run(process.execPath, [main, context], { timeout: 60_000 });
      const out = JSON.parse(stdout.trim().split('\n').at(-1) as string);
      expect(out.resolved.core).toMatch(/\/core\/dist\/bundle\/index\.js$/);
      expect(out.resolved.node).toMatch(/\/node\/dist\/bundle\/index\.js$/);
      expect(out.childProcessLoaded).toBe(false);
      expect(out.exportCount).toBeGreaterThan(40);
      // Only the runtime-bound exports differ; every class and helper is core's own.
      expect(out.differ.sort()).toEqual(['Pool', 'Process', 'cpuCount']);
      expect(out.seen).toEqual([
        { queueClass: true, inWorker: true },
        { queueClass: true, inWorker: true },
      ]);
      expect(out.items).toHaveLength(2);
      for (const name of out.items) expect(name).toMatch(/^PoolWorker-\d+$/);
      expect(out.lost).toEqual({ workerExited: true, name: 'WorkerExitedError' });
    }, 90_000);
  }
});
