// A Node project with no DOM lib and skipLibCheck off: every published
// declaration of @multiproc/core and @multiproc/node must compile here
// (node.declarations.test.ts runs tsc on it).
import * as core from '@multiproc/core';
import { runConformance } from '@multiproc/core/conformance';
import { Pool, Process, Queue, transfer, type TransferableValue } from '@multiproc/node';

type Tasks = { add(a: number, b: number): number; bytes(n: number): ArrayBuffer };

export async function main(url: URL): Promise<number> {
  await using pool = new Pool<Tasks>(url, { processes: 1 });
  const buf = new ArrayBuffer(8);
  const list: TransferableValue[] = [buf];
  const r = await pool.apply('add', [1, 2] as const, { transfer: list, timeout: Infinity });
  const p = new Process<Tasks>({ module: url, target: 'add', args: [1, 2] });
  p.start();
  await p.join({ timeout: Infinity });
  const q = new Queue<number>();
  void transfer(buf, [buf]);
  void core.isMainProcess();
  void runConformance;
  return r + q.qsize();
}
