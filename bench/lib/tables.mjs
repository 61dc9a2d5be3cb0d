// Markdown tables from the run's JSON (printed by run.js, and written into docs/benchmarks.md
// by report.mjs): one table per workload figure with medians, min–max and multiproc ÷ each
// pool; the raw limits with multiproc ÷ limit; the primitives with ÷ raw.
import { fmtFigure, fmtRatio } from './format.mjs';

const multiprocId = (mode) => (mode === 'process' ? 'multiproc-process' : 'multiproc');
const range = (s, unit) => (s.n > 1 ? `${fmtFigure(s.min, unit)} – ${fmtFigure(s.max, unit)}` : '–');

/** The median of a figure of a pool, or undefined. */
export function medianOf(json, workloadId, poolId, key) {
  return json.workloads.find((w) => w.id === workloadId)?.results[poolId]?.summary[key]?.median;
}

/** Rows { pool, median, min, max, ratio } of one workload figure, in the pools' order. */
export function figureRows(json, workload, figure) {
  const rows = [];
  for (const pool of json.pools) {
    const s = workload.results[pool.id]?.summary[figure.key];
    if (!s) continue;
    // multiproc's own rows (its 'json' process row too) compare with themselves.
    const mp = medianOf(json, workload.id, pool.id.startsWith('multiproc') ? pool.id : multiprocId(pool.mode), figure.key);
    rows.push({ pool, s, ratio: mp === undefined ? null : mp / s.median });
  }
  return rows;
}

function workloadTables(json) {
  const out = [];
  for (const w of json.workloads) {
    if (Object.keys(w.results).length === 0) continue;
    out.push(`### ${w.id}: ${w.title}`, '');
    for (const f of w.figures) {
      const rows = figureRows(json, w, f);
      if (rows.length === 0) continue;
      const better = f.better === 'lower' ? 'lower is better' : 'higher is better';
      out.push(`**${f.label}** (${better}; the ratio compares multiproc on the same kind of worker)`, '');
      out.push(`| pool | median ${f.unit} | min – max | multiproc ÷ this |`, '|---|---:|---:|---:|');
      for (const { pool, s, ratio } of rows) {
        const name = pool.id.startsWith('multiproc') ? `**${pool.label}**` : pool.label;
        const scaled = pool.scale !== 1 ? ` (${Math.round(pool.scale * 100)}% of the items)` : '';
        out.push(`| ${name}${scaled} | ${fmtFigure(s.median, f.unit)} | ${range(s, f.unit)} | ${fmtRatio(ratio)} |`);
      }
      out.push('');
    }
  }
  return out;
}

function limitTable(json) {
  if (json.limits.length === 0) return [];
  const out = ['### Raw limits (no library)', '', '| id | what | median | min – max | multiproc ÷ limit |', '|---|---|---:|---:|---:|'];
  for (const l of json.limits) {
    if (!l.summary) continue;
    let ratio = null;
    if (l.compare) {
      const [wid, key, mode] = l.compare;
      const mp = medianOf(json, wid, multiprocId(mode), key);
      if (mp !== undefined) ratio = mp / l.summary.median;
    }
    const note = l.compare ? ` (vs ${l.compare[0]} ${l.compare[1]}, ${l.compare[2] === 'process' ? 'processes' : 'threads'})` : '';
    out.push(`| ${l.id} | ${l.label} | ${fmtFigure(l.summary.median, l.unit)} ${l.unit} | ${range(l.summary, l.unit)} | ${fmtRatio(ratio)}${ratio === null ? '' : note} |`);
  }
  out.push('');
  return out;
}

function primitiveTable(json) {
  if (json.primitives.length === 0) return [];
  const out = ['### Primitives against raw Atomics and MessagePort', '', '| what | median | min – max | ÷ raw |', '|---|---:|---:|---:|'];
  const byKey = Object.fromEntries(json.primitives.map((p) => [p.key, p]));
  for (const p of json.primitives) {
    if (!p.summary) continue;
    const raw = p.raw ? byKey[p.raw]?.summary?.median : null;
    const ratio = raw ? p.summary.median / raw : null;
    const name = p.raw ? p.label : `*${p.label}*`;
    out.push(`| ${name} | ${fmtFigure(p.summary.median, p.unit)} ${p.unit} | ${range(p.summary, p.unit)} | ${p.raw ? fmtRatio(ratio) : '1.00×'} |`);
  }
  out.push('', 'µs rows: lower is better (÷ raw above 1× means slower than raw); the others: higher is better.', '');
  return out;
}

/** The whole markdown (all three sections) for a run's JSON. */
export function markdownTables(json) {
  return [...workloadTables(json), ...limitTable(json), ...primitiveTable(json)].join('\n');
}
