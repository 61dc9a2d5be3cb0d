// Core's runtime import graph between its folders (type-only imports left
// out, since they vanish at build), and any runtime import cycle between
// modules. Run: node scripts/import-graph.mjs [--check]
// With --check it exits 1 when pool/, process/ or protocol/ import sync/ at
// runtime, or when a module cycle exists: the test command runs it that way.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const src = fileURLToPath(new URL('../packages/core/src/', import.meta.url));
const check = process.argv.includes('--check');

function files(dir) {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? files(p) : p.endsWith('.ts') ? [p] : [];
  });
}

/** Runtime imports of a module: `import x from`, `import {a, type b} from` (not `import type`), `export … from`, `import()`. */
function runtimeImports(file) {
  const text = readFileSync(file, 'utf8');
  const out = [];
  const re = /(?:^|\n)\s*(import|export)\s+(type\s+)?([^'";]*?)\s*from\s*'([^']+)'|import\(\s*'([^']+)'\s*\)/g;
  for (const m of text.matchAll(re)) {
    const spec = m[4] ?? m[5];
    if (!spec.startsWith('.')) continue;
    if (m[2]) continue; // import type / export type
    const clause = m[3] ?? '';
    // `import { type A, type B } from` is type-only too.
    const braces = /^\{([^}]*)\}$/.exec(clause.trim());
    if (braces && braces[1].split(',').every((s) => s.trim() === '' || s.trim().startsWith('type '))) continue;
    out.push({ target: resolve(dirname(file), spec.replace(/\.js$/, '.ts')), lazy: m[5] !== undefined });
  }
  return out;
}

const folder = (f) => {
  const r = relative(src, f);
  return r.includes('/') && !r.startsWith('conformance') ? r.split('/').slice(0, -1).join('/') : r.startsWith('conformance') ? 'conformance' : '.';
};

const all = files(src).filter((f) => !relative(src, f).startsWith('conformance'));
const graph = new Map(all.map((f) => [f, runtimeImports(f)]));
const edges = new Map();
for (const [from, imports] of graph) {
  for (const { target, lazy } of imports) {
    const a = folder(from);
    const b = folder(target);
    if (a === b) continue;
    const key = `${a} -> ${b}${lazy ? ' (lazy import())' : ''}`;
    edges.set(key, (edges.get(key) ?? 0) + 1);
  }
}
console.log('runtime import edges between core folders (count of imports):');
for (const [k, n] of [...edges].sort()) console.log(`  ${k}: ${n}`);

// Cycles among static imports (a lazy import() cannot deadlock module evaluation).
const cycles = [];
const state = new Map();
const stack = [];
function visit(f) {
  state.set(f, 1);
  stack.push(f);
  for (const { target, lazy } of graph.get(f) ?? []) {
    if (lazy || !graph.has(target)) continue;
    if (state.get(target) === 1) cycles.push([...stack.slice(stack.indexOf(target)), target].map((x) => relative(src, x)).join(' -> '));
    else if (!state.has(target)) visit(target);
  }
  stack.pop();
  state.set(f, 2);
}
for (const f of all) if (!state.has(f)) visit(f);
console.log(cycles.length === 0 ? 'no runtime import cycles' : `runtime import cycles:\n  ${cycles.join('\n  ')}`);

if (check) {
  const bad = [...edges.keys()].filter((k) => /^(pool|process|protocol)\b[^ ]* -> sync/.test(k));
  if (bad.length > 0 || cycles.length > 0) {
    console.error(`import-graph check failed: ${[...bad, ...cycles].join('; ')}`);
    process.exit(1);
  }
}
