// The primitives load lazily (issue #10): a program that only uses `Pool` does
// not carry them until a worker turns out to use one. These tests bundle such a
// program for production, the way users ship it, and check that (1) Rolldown
// (Vite's bundler) leaves every primitive out of the parent's and the worker
// entry's initial code, and (2) the lazily loaded primitives still work in the
// bundle: a worker makes a Queue and a Lock (brokered by the Pool-only parent on
// child processes), and a worker whose module imports nothing uses the Queue a
// parent hands it.
// esbuild inlines a dynamic import() into one file, so its bundle is the
// control: everything present from the start, same behaviour.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { build } from 'esbuild';
import { rolldown } from 'rolldown';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const fixtures = (name: string) => fileURLToPath(new URL(`./fixtures/lazy-sync/${name}`, import.meta.url));
const entry = (name: string) => fileURLToPath(new URL(`./entry/${name}.js`, import.meta.resolve('@multiproc/node')));
const inputs: Record<string, string> = {
  parent: fixtures('parent.js'),
  'parent-queue': fixtures('parent-queue.js'),
  tasks: fixtures('tasks.js'),
  plain: fixtures('plain.js'),
  'entry/thread': entry('thread'),
  'entry/child-process': entry('child-process'),
};
const isSync = (id: string) => /core[\\/](dist|src)[\\/]sync[\\/]/.test(id);

interface Built {
  /** Sync modules in the code each entry loads at start (its static import closure). */
  initialSync: Record<string, string[]>;
  /** Sync modules in chunks loaded only by import(). */
  lazySync: Record<string, string[]>;
}

// One build per entry, as an app and its workers are shipped: nothing shared
// between them hides what one entry would load on its own.
async function rolldownEach(dir: string): Promise<Built> {
  const built: Built = { initialSync: {}, lazySync: {} };
  for (const [name, input] of Object.entries(inputs)) {
    const bundle = await rolldown({ input: { [name]: input }, platform: 'node', logLevel: 'silent' });
    try {
      const { output } = await bundle.write({
        dir,
        format: 'es',
        minify: true,
        entryFileNames: '[name].js',
        chunkFileNames: `chunks/${name.replace('/', '-')}-[name]-[hash].js`,
      });
      const chunks = new Map(output.flatMap((o) => (o.type === 'chunk' ? [[o.fileName, o] as const] : [])));
      const initial = new Set<string>();
      const walk = (file: string) => {
        const chunk = chunks.get(file);
        if (chunk === undefined || initial.has(file)) return;
        initial.add(file);
        for (const imp of chunk.imports) walk(imp);
      };
      walk(`${name}.js`);
      built.initialSync[name] = [];
      built.lazySync[name] = [];
      for (const [file, chunk] of chunks) {
        const ids = Object.keys(chunk.modules).filter(isSync);
        (initial.has(file) ? built.initialSync[name] : built.lazySync[name]).push(...ids);
      }
    } finally {
      await bundle.close();
    }
  }
  return built;
}

async function runProgram(dir: string, name: string, context: string) {
  const { stdout } = await run(process.execPath, [join(dir, `${name}.js`), context], { timeout: 60_000 });
  return JSON.parse(stdout.trim().split('\n').at(-1) as string);
}

async function expectBothPrograms(dir: string, context: string) {
  expect(await runProgram(dir, 'parent', context)).toEqual({ queued: [41, 42], locked: { held: false, free: true } });
  expect(await runProgram(dir, 'parent-queue', context)).toEqual({ taken: 7, given: 8 });
}

describe('a Pool-only program bundled by Rolldown (code splitting, minified)', () => {
  let dir: string;
  let built: Built;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'multiproc-lazy-rolldown-'));
    built = await rolldownEach(dir);
  }, 60_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('leaves the primitives out of the initial code of the parent and of both worker entries', () => {
    expect(built.initialSync.plain).toEqual([]);
    for (const name of ['parent', 'entry/thread', 'entry/child-process']) {
      expect(built.initialSync[name], name).toEqual([]);
      // …and keeps them, every kind, in a lazy chunk (a bundler that dropped
      // them as unused would fail the run below, with a less clear message).
      expect(built.lazySync[name].some((id) => id.endsWith('lock.js')), name).toBe(true);
      expect(built.lazySync[name].some((id) => id.endsWith('queue.js')), name).toBe(true);
    }
    // The modules that import Lock or Queue themselves carry them from the start.
    expect(built.initialSync.tasks.some((id) => id.endsWith('lock.js'))).toBe(true);
    expect(built.initialSync['parent-queue'].some((id) => id.endsWith('queue.js'))).toBe(true);
  });

  for (const context of ['thread', 'process']) {
    it(`loads them when a worker first uses one, and they work (${context})`, async () => {
      await expectBothPrograms(dir, context);
    }, 90_000);
  }
});

describe('the same program bundled by esbuild into one file per entry (control)', () => {
  let dir: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'multiproc-lazy-esbuild-'));
    await build({
      entryPoints: inputs,
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

  for (const context of ['thread', 'process']) {
    it(`behaves the same (${context})`, async () => {
      await expectBothPrograms(dir, context);
    }, 90_000);
  }
});
