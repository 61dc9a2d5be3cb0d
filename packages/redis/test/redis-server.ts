/**
 * A real redis-server for one test file: Debian's binary (the test command
 * installs it), on a free loopback port, in a directory of its own, stopped
 * with the file. `kill()` and `restart()` are for the fault tests: with
 * `aof: true` the data survives them (appendfsync always), without it Redis
 * comes back empty.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface RedisServer {
  readonly port: number;
  readonly url: string;
  /** SIGKILL, and wait for the exit. */
  kill(): Promise<void>;
  /** Start it again on the same port and directory. */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

const binary = process.env.REDIS_SERVER_PATH ?? 'redis-server';

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address !== null ? address.port : 0));
    });
  });
}

function launch(port: number, dir: string, aof: boolean): Promise<ChildProcess> {
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', '', '--protected-mode', 'no', '--loglevel', 'notice'];
  args.push(...(aof ? ['--appendonly', 'yes', '--appendfsync', 'always'] : ['--appendonly', 'no']));
  const child = spawn(binary, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  return new Promise((resolve, reject) => {
    let out = '';
    const onData = (chunk: Buffer): void => {
      out += chunk.toString();
      if (out.includes('Ready to accept connections')) {
        child.stdout?.off('data', onData);
        child.stdout?.resume();
        child.stderr?.resume();
        resolve(child);
      }
    };
    // Read both streams until the ready line (printed at loglevel notice).
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`redis-server exited with code ${code} before it was ready:\n${out}`)));
  });
}

export async function startRedis(options: { aof?: boolean } = {}): Promise<RedisServer> {
  const aof = options.aof === true;
  const dir = mkdtempSync(join(tmpdir(), 'multiproc-redis-'));
  let port = 0;
  let child: ChildProcess | undefined;
  for (let attempt = 0; child === undefined; attempt++) {
    port = await freePort();
    try {
      child = await launch(port, dir, aof);
    } catch (err) {
      // Another process took the port between the probe and the bind: try another.
      if (attempt >= 4) throw err;
    }
  }
  const exited = (c: ChildProcess): Promise<void> =>
    new Promise((resolve) => {
      if (c.exitCode !== null || c.signalCode !== null) resolve();
      else c.once('exit', () => resolve());
    });
  return {
    port,
    url: `redis://127.0.0.1:${port}`,
    async kill() {
      const c = child as ChildProcess;
      c.kill('SIGKILL');
      await exited(c);
    },
    async restart() {
      child = await launch(port, dir, aof);
    },
    async stop() {
      const c = child as ChildProcess;
      c.kill('SIGKILL');
      await exited(c);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
