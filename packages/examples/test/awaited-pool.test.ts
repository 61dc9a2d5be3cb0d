/**
 * Programs that await a pool with nothing else keeping the runtime alive,
 * each a small program in test/fixtures run as its own process, on Node, Bun
 * and Deno. Found while writing the examples: on Node both ended with exit
 * code 13 ("unsettled top-level await") until the pool kept its workers
 * alive for an awaited `ready()` and `join()` as it does for a task
 * (packages/node/test/node.thread.test.ts has the same cases on both contexts).
 *
 * 1. `await pool.ready()` on a new pool, nothing queued.
 * 2. `close()` then `await join()` after an abort of a running task, whose
 *    worker goes on until the task looks at its signal.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

type Runtime = 'node' | 'bun' | 'deno';

function run(fixture: string, runtime: Runtime): { status: number | null; stdout: string } {
  const path = fileURLToPath(new URL(`./fixtures/${fixture}`, import.meta.url));
  const bin = runtime === 'node' ? process.execPath : fileURLToPath(new URL(`../node_modules/.bin/${runtime}`, import.meta.url));
  const args = runtime === 'deno' ? ['run', '-A', path] : [path];
  const r = spawnSync(bin, args, { encoding: 'utf8', timeout: 30_000 });
  return { status: r.status, stdout: r.stdout };
}

const cases = [
  { name: 'await pool.ready() alone keeps the program running until the workers are ready', fixture: 'ready-alone.mjs', out: 'ready\n' },
  { name: 'close() then await join() after aborting a running task waits for the worker to exit', fixture: 'join-after-abort.mjs', out: 'AbortError\njoined\n' },
];

describe('awaited pools', () => {
  for (const c of cases) {
    for (const runtime of ['node', 'bun', 'deno'] as const) {
      it(`${runtime}: ${c.name}`, () => {
        const r = run(c.fixture, runtime);
        expect({ status: r.status, stdout: r.stdout }).toEqual({ status: 0, stdout: c.out });
      });
    }
  }
});
