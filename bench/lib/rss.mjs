// Resident memory of this process and all its descendants (Linux /proc), so RSS per worker
// can be measured the same way for thread pools and for child-process pools.
import { readdirSync, readFileSync } from 'node:fs';

function readStat(pid) {
  try {
    const s = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = s.slice(s.lastIndexOf(')') + 2).split(' ');
    return { ppid: Number(fields[1]), rssPages: Number(fields[21]) };
  } catch {
    return null; // the process ended while we read
  }
}

/** RSS in MiB of the process tree rooted at `root` (default: this process); null off Linux. */
export function treeRssMiB(root = process.pid) {
  let entries;
  try {
    entries = readdirSync('/proc').filter((d) => /^\d+$/.test(d));
  } catch {
    return null;
  }
  const children = new Map();
  const rss = new Map();
  for (const d of entries) {
    const st = readStat(d);
    if (st === null) continue;
    rss.set(Number(d), st.rssPages);
    if (!children.has(st.ppid)) children.set(st.ppid, []);
    children.get(st.ppid).push(Number(d));
  }
  let pages = 0;
  const stack = [root];
  while (stack.length > 0) {
    const pid = stack.pop();
    pages += rss.get(pid) ?? 0;
    for (const c of children.get(pid) ?? []) stack.push(c);
  }
  return (pages * 4096) / 2 ** 20;
}
