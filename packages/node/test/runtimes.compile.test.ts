/**
 * A single-file executable of a program that uses a Pool, built with
 * `bun build --compile` (the recipe in docs/runtimes.md): the workers come
 * from a worker factory, so the compiler sees the worker script; both scripts
 * are entry points of the build. The executable runs from another directory,
 * with nothing of the repository reachable by relative paths.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { commandFor } from './runtimes/run-under.js';

const run = promisify(execFile);
const fixture = (name: string) => fileURLToPath(new URL(`./fixtures/compile/${name}`, import.meta.url));

describe('single-file executables', () => {
  const dir = mkdtempSync(join(tmpdir(), 'multiproc-compile-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('bun build --compile: a program with a Pool of worker threads runs as one file', async () => {
    const app = join(dir, 'app');
    const { file } = commandFor('bun');
    await run(file, ['build', '--compile', fixture('main.js'), fixture('tasks.worker.js'), '--outfile', app], { timeout: 120_000 });
    const { stdout } = await run(app, [], { cwd: dir, timeout: 60_000 });
    expect(stdout.trim()).toBe('[55,6765,75025]');
  }, 180_000);
});
