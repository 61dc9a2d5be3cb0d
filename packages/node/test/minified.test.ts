// Production bundles (issue #9, defect 14): with every class name minified, a
// library error and a registered user error thrown in a worker still arrive as
// their own classes with their names, and an executor's futures work (a
// cancelled one rejects with CancelledError). Parent, task module and worker entry are
// bundled separately, so each holds its own copy of the library, renamed differently.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const fixtures = (name: string) => fileURLToPath(new URL(`./fixtures/minified/${name}`, import.meta.url));
const entry = (name: string) => fileURLToPath(new URL(`./entry/${name}.js`, import.meta.resolve('@multiproc/node')));

describe('a minified production bundle', () => {
  let dir: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'multiproc-minified-'));
    await build({
      entryPoints: {
        parent: fixtures('parent.js'),
        tasks: fixtures('tasks.js'),
        'entry/thread': entry('thread'),
        'entry/child-process': entry('child-process'),
      },
      outdir: dir,
      bundle: true,
      minify: true,
      format: 'esm',
      platform: 'node',
      target: 'node20',
      logLevel: 'silent',
    });
  }, 60_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('renames the classes (so the test means something)', () => {
    const text = readFileSync(join(dir, 'parent.js'), 'utf8');
    expect(text).not.toMatch(/class StateError\b/);
    expect(text).not.toMatch(/class QuotaError\b/);
  });

  for (const context of ['thread', 'process']) {
    it(`keeps error classes and names across the worker boundary (${context})`, async () => {
      const { stdout } = await run(process.execPath, [join(dir, 'parent.js'), context], { timeout: 30_000 });
      const out = JSON.parse(stdout.trim().split('\n').at(-1) as string);
      expect(out.local).toBe('StateError');
      expect(out.state).toEqual({ isClass: true, name: 'StateError', code: 'MP_STATE', message: 'bad state' });
      expect(out.quota).toEqual({ isClass: true, name: 'QuotaError', limit: 5 });
      expect(out.future).toEqual({ cancelled: true, error: { isClass: true, name: 'CancelledError', code: 'MP_CANCELLED' }, seen: ['waited 200', 42] });
    }, 60_000);
  }
});
