/**
 * The seed's pool program across machines: the same `Pool` code on a Redis
 * context, its tasks run by two worker hosts. One command runs it all: it
 * starts a private redis-server on a free loopback port (or uses REDIS_URL),
 * two `multiproc-worker` hosts as separate processes, then the program, and
 * stops everything at the end. Each hello line says which host ran it.
 *
 * Expected output: `hello 0 (host a)` … `hello 9 (host b)` as the hosts print
 * them (any order, either host), `done hello 0` … `done hello 9` in order,
 * `hosts used: a, b` and `Sub-process(es) done.` Each host takes two jobs at a
 * time, so with four in flight both get some.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { redisContext } from '@multiproc/redis';

type Tasks = typeof import('./redis-tasks.js');

/** Resolves once `child` prints `ready`; then what it prints goes to `echo` (or nowhere). */
function started(child: ChildProcess, ready: string, echo?: NodeJS.WritableStream): Promise<ChildProcess> {
  return new Promise((resolve, reject) => {
    let out = '';
    const onData = (chunk: Buffer): void => {
      out += chunk.toString();
      if (!out.includes(ready)) return;
      child.stdout?.off('data', onData);
      child.stderr?.off('data', onData);
      if (echo !== undefined) child.stdout?.pipe(echo, { end: false });
      else child.stdout?.resume();
      child.stderr?.resume();
      resolve(child);
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) => reject(new Error(`${child.spawnfile} exited with code ${code}:\n${out}`)));
  });
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer().once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address !== null ? address.port : 0));
    });
  });
}

const children: ChildProcess[] = [];
let dir: string | undefined;
let url = process.env.REDIS_URL;
if (url === undefined) {
  const port = await freePort();
  dir = mkdtempSync(join(tmpdir(), 'multiproc-example-'));
  const redis = spawn(process.env.REDIS_SERVER_PATH ?? 'redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', '', '--appendonly', 'no'], { stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(await started(redis, 'Ready to accept connections'));
  url = `redis://127.0.0.1:${port}`;
}

// Two hosts, as two machines would run them: `multiproc-worker --redis URL --module seed=./redis-tasks.js`.
const bin = createRequire(import.meta.url).resolve('@multiproc/redis/bin');
const tasks = fileURLToPath(new URL('./redis-tasks.js', import.meta.url));
for (const name of ['a', 'b']) {
  const host = spawn(process.execPath, [bin, '--redis', url, '--module', `seed=${tasks}`, '--threads', '2', '--concurrency', '2'], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, HOST_NAME: name },
  });
  children.push(await started(host, ' serving ', process.stdout));
}

const mp = redisContext({ connection: url });
try {
  const pool = new mp.Pool<Tasks>('seed', { processes: 4 });
  const results = [];
  for (let i = 0; i < 10; i++) results.push(pool.applyAsync('func', [`hello ${i}`]));
  pool.close();
  await pool.join();
  const hosts = new Set<string>();
  for (const r of results) {
    const { line, host } = await r.get();
    hosts.add(host);
    console.log(line);
  }
  console.log(`hosts used: ${[...hosts].sort().join(', ')}`);
  console.log('Sub-process(es) done.');
} finally {
  await mp.close();
  for (const child of children.reverse()) child.kill('SIGTERM');
  if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
}
