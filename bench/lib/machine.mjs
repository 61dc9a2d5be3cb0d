// The machine and versions a run is recorded with: CPU model, cores, OS, Node, each package.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';

const require = createRequire(new URL('../package.json', import.meta.url));

/** The installed version of `pkg` (read from its package.json), or null. */
export function versionOf(pkg) {
  try {
    return JSON.parse(readFileSync(require.resolve(`${pkg}/package.json`), 'utf8')).version;
  } catch {
    // Packages whose exports hide package.json: find it from the main entry.
    try {
      let dir = require.resolve(pkg);
      while (dir !== '/') {
        dir = dir.slice(0, dir.lastIndexOf('/'));
        try {
          const meta = JSON.parse(readFileSync(`${dir}/package.json`, 'utf8'));
          if (meta.name === pkg) return meta.version;
        } catch {}
      }
    } catch {}
    return null;
  }
}

/** { cpu, cores, os, node, memoryGiB, loadavg } of this machine now. */
export function machineInfo() {
  const cpus = os.cpus();
  return {
    cpu: cpus[0]?.model?.trim() ?? 'unknown',
    cores: os.availableParallelism(),
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    node: process.version,
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    loadavg: os.loadavg().map((x) => Number(x.toFixed(2))),
  };
}

/** { package: version } for every library the adapters use. */
export function versions(adapters) {
  const libs = [...new Set(adapters.map((a) => a.lib).filter(Boolean))];
  return Object.fromEntries(libs.map((l) => [l, versionOf(l)]));
}
