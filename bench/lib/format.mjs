// Number formatting for the printed tables and the docs page.

/** 1.23 M, 45.6 k, 789. */
export function fmtRate(x) {
  if (x == null || !Number.isFinite(x)) return '–';
  if (x >= 1e6) return `${(x / 1e6).toFixed(2)} M`;
  if (x >= 1e3) return `${(x / 1e3).toFixed(1)} k`;
  return x >= 10 ? x.toFixed(0) : x.toFixed(2);
}

/** A plain number with sensible precision (µs, ms, MiB, speedups). */
export function fmtNum(x) {
  if (x == null || !Number.isFinite(x)) return '–';
  if (Math.abs(x) >= 1000) return Math.round(x).toLocaleString('en-US');
  if (Math.abs(x) >= 100) return x.toFixed(0);
  if (Math.abs(x) >= 10) return x.toFixed(1);
  return x.toFixed(2);
}

/** A ratio as 1.23×, or – when either side is missing. */
export function fmtRatio(x) {
  return x == null || !Number.isFinite(x) ? '–' : `${x.toFixed(2)}×`;
}

/** Formats a figure by its unit: rates get k/M, the rest fmtNum. */
export function fmtFigure(x, unit) {
  return /\/s$/.test(unit) ? fmtRate(x) : fmtNum(x);
}
