#!/usr/bin/env node
/**
 * The `multiproc-worker` bin: starts a worker host from the command line and
 * closes it on SIGINT/SIGTERM (running jobs finish first).
 *
 *   multiproc-worker --redis redis://127.0.0.1:6379 [--prefix myapp] --module tasks=./dist/tasks.js
 *                    [--module other=/abs/other.js] [--threads N] [--concurrency N]
 *                    [--lock-duration ms] [--stalled-interval ms]
 */
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { startWorkerHost } from './host/start-worker-host.js';

const usage =
  'usage: multiproc-worker --redis redis://host:port [--prefix p] --module id=path [--module id=path ...] [--threads N] [--concurrency N] [--lock-duration ms] [--stalled-interval ms]';

function int(value: string | undefined, name: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`--${name} must be a positive integer, got ${JSON.stringify(value)}`);
  return n;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      redis: { type: 'string' },
      prefix: { type: 'string' },
      module: { type: 'string', multiple: true },
      threads: { type: 'string' },
      concurrency: { type: 'string' },
      'lock-duration': { type: 'string' },
      'stalled-interval': { type: 'string' },
      help: { type: 'boolean' },
    },
    strict: true,
  });
  if (values.help === true) {
    console.log(usage);
    return;
  }
  if (values.redis === undefined || values.module === undefined) throw new TypeError(`--redis and at least one --module are required\n${usage}`);
  const modules: Record<string, string> = Object.create(null);
  for (const spec of values.module) {
    const eq = spec.indexOf('=');
    if (eq <= 0 || eq === spec.length - 1) throw new TypeError(`--module takes id=path, got ${JSON.stringify(spec)}`);
    const where = spec.slice(eq + 1);
    modules[spec.slice(0, eq)] = /^(file|https?|data):/i.test(where) ? where : resolve(where);
  }
  const host = startWorkerHost({
    connection: values.redis,
    prefix: values.prefix,
    modules,
    threads: int(values.threads, 'threads'),
    concurrency: int(values.concurrency, 'concurrency'),
    lockDuration: int(values['lock-duration'], 'lock-duration'),
    stalledInterval: int(values['stalled-interval'], 'stalled-interval'),
  });
  await host.ready();
  console.log(`multiproc-worker ${host.id} serving ${Object.keys(modules).join(', ')}`);
  const stop = (): void => {
    void host.close().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : String(err));
  process.exit(2);
});
