/**
 * Worker hosts as real child processes, started through the package's own
 * `multiproc-worker` bin, with a short lock duration and stalled-check
 * interval so a killed host's jobs are seen as lost in about a second.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const cli = fileURLToPath(new URL('../dist/cli.js', import.meta.url));

export interface HostProcess {
  readonly pid: number;
  readonly child: ChildProcess;
  /** Everything it printed so far. */
  output(): string;
  kill(signal?: NodeJS.Signals): Promise<void>;
}

export interface HostOptions {
  readonly modules: Readonly<Record<string, string>>;
  readonly prefix?: string;
  readonly threads?: number;
  readonly lockDuration?: number;
  readonly stalledInterval?: number;
}

export function startHost(url: string, options: HostOptions): Promise<HostProcess> {
  const args = [cli, '--redis', url, '--threads', String(options.threads ?? 2), '--lock-duration', String(options.lockDuration ?? 1000), '--stalled-interval', String(options.stalledInterval ?? 500)];
  if (options.prefix !== undefined) args.push('--prefix', options.prefix);
  for (const [id, where] of Object.entries(options.modules)) args.push('--module', `${id}=${where}`);
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout?.on('data', (c: Buffer) => {
    out += c.toString();
  });
  child.stderr?.on('data', (c: Buffer) => {
    out += c.toString();
  });
  const host: HostProcess = {
    pid: child.pid as number,
    child,
    output: () => out,
    kill(signal = 'SIGKILL') {
      return new Promise((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill(signal);
      });
    },
  };
  return new Promise((resolve, reject) => {
    const check = (): void => {
      if (out.includes(' serving ')) {
        child.stdout?.off('data', check);
        resolve(host);
      }
    };
    child.stdout?.on('data', check);
    child.once('exit', (code) => reject(new Error(`multiproc-worker exited with code ${code} before it served:\n${out}`)));
  });
}
