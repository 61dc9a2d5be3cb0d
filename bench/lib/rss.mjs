// Resident memory and CPU time of this process and all its descendants (Linux /proc), so RSS per
// worker can be measured the same way for thread pools and for child-process pools (and
// trace/cpu-while.mjs can tell how many cores a run keeps busy).
import { readdirSync, readFileSync } from 'node:fs';

function readStat(pid) {
  try {
    const s = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = s.slice(s.lastIndexOf(')') + 2).split(' ');
    // utime and stime are in clock ticks, 100 per second on Linux.
    return { ppid: Number(fields[1]), rssPages: Number(fields[21]), cpuMs: (Number(fields[11]) + Number(fields[12])) * 10 };
  } catch {
    return null; // the process ended while we read
  }
}

/** The sum of `pick(stat)` over the process tree rooted at `root`; null off Linux. */
function treeSum(root, pick) {
  let entries;
  try {
    entries = readdirSync('/proc').filter((d) => /^\d+$/.test(d));
  } catch {
    return null;
  }
  const children = new Map();
  const value = new Map();
  for (const d of entries) {
    const st = readStat(d);
    if (st === null) continue;
    value.set(Number(d), pick(st));
    if (!children.has(st.ppid)) children.set(st.ppid, []);
    children.get(st.ppid).push(Number(d));
  }
  let sum = 0;
  const stack = [root];
  while (stack.length > 0) {
    const pid = stack.pop();
    sum += value.get(pid) ?? 0;
    for (const c of children.get(pid) ?? []) stack.push(c);
  }
  return sum;
}

/** RSS in MiB of the process tree rooted at `root` (default: this process); null off Linux. */
export function treeRssMiB(root = process.pid) {
  const pages = treeSum(root, (st) => st.rssPages);
  return pages === null ? null : (pages * 4096) / 2 ** 20;
}

/** CPU time (user + system, ms) of the process tree rooted at `root`; null off Linux. */
export function treeCpuMs(root = process.pid) {
  return treeSum(root, (st) => st.cpuMs);
}
