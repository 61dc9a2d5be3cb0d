/**
 * A Redis client in a minified production bundle (esbuild, `--minify`): the
 * library, BullMQ and ioredis bundled into one file with every class renamed,
 * run against a real redis-server and a real worker host. Values, errors (a
 * library one, a built-in and a registered user class), timeouts, string pids
 * and primitives must come through as they do unbundled.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHost, type HostProcess } from './hosts.js';
import { startRedis, type RedisServer } from './redis-server.js';

const run = promisify(execFile);
const tasks = fileURLToPath(new URL('./fixtures/tasks.mjs', import.meta.url));

let dir: string;
let redis: RedisServer;
let host: HostProcess;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'multiproc-redis-minified-'));
  await build({
    entryPoints: { client: fileURLToPath(new URL('./fixtures/minified-client.mjs', import.meta.url)) },
    outdir: dir,
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    // ioredis and BullMQ are CommonJS: a require() of a Node built-in inside an ES module bundle needs this.
    banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
    logLevel: 'silent',
  });
  redis = await startRedis();
  host = await startHost(redis.url, { modules: { tasks } });
}, 120_000);

afterAll(async () => {
  await host?.kill();
  await redis?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('a minified Redis client bundle', () => {
  it('renames the classes (so the test means something)', () => {
    const text = readFileSync(join(dir, 'client.js'), 'utf8');
    expect(text).not.toMatch(/class StateError\b/);
    expect(text).not.toMatch(/class QuotaError\b/);
    expect(text).not.toMatch(/class RemoteWorker\b/);
  });

  it('gets values, errors of every kind, timeouts, string pids and primitives through', async () => {
    const { stdout } = await run(process.execPath, [join(dir, 'client.js'), redis.url], { timeout: 60_000 });
    const out = JSON.parse(stdout.trim().split('\n').at(-1) as string);
    expect(out).toEqual({
      local: 'StateError',
      square: 49,
      map: [1, 4, 9, 16, 25],
      echo: { date: true, big: true, set: true },
      quota: { isClass: true, name: 'QuotaError', limit: 42, message: 'over' },
      range: { isClass: true, name: 'RangeError' },
      timeout: { isClass: true, name: 'TimeoutError', code: 'MP_TIMEOUT' },
      pids: true,
      counter: 10,
    });
  }, 90_000);
});
