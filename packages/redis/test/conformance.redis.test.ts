/**
 * The conformance suite on a Redis context: a real redis-server and two real
 * worker hosts serving core's fixture modules (module id = the fixture's
 * URL), with the context's own primitives for the portable primitives area.
 * Cases needing what crossing machines lacks (shared memory, transfer, OS
 * processes, core's primitives, stable workers) are reported skipped by
 * capability.
 */
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, it } from 'vitest';
import { runConformance } from '@multiproc/core/conformance';
import { redisContext, type RedisContext } from '../src/index.js';
import { startHost } from './hosts.js';
import { startRedis } from './redis-server.js';

const fixtures = new URL('../node_modules/@multiproc/core/dist/conformance/fixtures/', import.meta.url);
const modules: Record<string, string> = {};
for (const file of readdirSync(fileURLToPath(fixtures))) {
  if (file.endsWith('.js')) modules[new URL(file, fixtures).href] = new URL(file, fixtures).href;
}
// The module the suite's "cannot load" cases name: served, so the host tries it and fails as a machine would.
const missing = new URL('./fixtures/does-not-exist.js', new URL('tasks.js', fixtures)).href;
modules[missing] = missing;

const prefix = 'conformance';
const redis = await startRedis();
const hosts = await Promise.all([startHost(redis.url, { prefix, modules }), startHost(redis.url, { prefix, modules })]);
const contexts: RedisContext[] = [];
// The portable primitives area builds this context's primitives (any context on the prefix reaches the same ones).
const own = redisContext({ connection: redis.url, prefix });
contexts.push(own);

afterAll(async () => {
  await Promise.all(contexts.map((c) => c.close()));
  await Promise.all(hosts.map((h) => h.kill()));
  await redis.stop();
});

runConformance(
  {
    name: 'redis',
    tasksUrl: new URL('tasks.js', fixtures),
    primitives: own,
    createAdapter: () => {
      const mp = redisContext({ connection: redis.url, prefix });
      contexts.push(mp);
      return mp.adapter;
    },
  },
  { describe, it },
);
