// Sums a V8 CPU profile (node --cpu-prof) by what the time went to: compiling ES modules,
// compiling Node's built-ins and CommonJS, resolving and reading module files, multiproc's own
// code (its dist/bundle), garbage collection, idle. The trace scripts' profiles are read with it.
//
//   node trace/profile-summary.mjs FILE.cpuprofile
import { readFileSync } from 'node:fs';

const profile = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const parent = new Map();
for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
const selfTime = new Map();
for (let i = 0; i < profile.samples.length; i++) {
  const id = profile.samples[i];
  selfTime.set(id, (selfTime.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0));
}

function category(id) {
  const chain = [];
  for (let cur = id; cur !== undefined; cur = parent.get(cur)) chain.push(byId.get(cur).callFrame);
  const top = chain[0].functionName;
  if (top === '(idle)') return 'idle';
  if (top === '(garbage collector)') return 'garbage collection';
  const has = (re) => chain.some((f) => re.test(`${f.functionName}@${f.url}`));
  if (has(/^compileSourceTextModule@/)) return 'compiling ES modules';
  if (has(/^(compileForInternalLoader|compileFunction)@/)) return "compiling Node's built-ins and CommonJS";
  if (has(/@.*\/bundle\//)) return "multiproc's code";
  if (has(/esm\/resolve/)) return 'resolving modules';
  if (has(/fs\/promises|esm\/load/)) return 'reading module files';
  return 'other';
}

const totals = new Map();
let all = 0;
for (const [id, t] of selfTime) {
  all += t;
  const c = category(id);
  totals.set(c, (totals.get(c) ?? 0) + t);
}
console.log(`${(all / 1000).toFixed(1)} ms sampled:`);
for (const [c, t] of [...totals].sort((a, b) => b[1] - a[1])) console.log(`  ${c.padEnd(40)} ${(t / 1000).toFixed(1).padStart(7)} ms`);
