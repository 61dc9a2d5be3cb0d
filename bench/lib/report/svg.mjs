// A horizontal bar chart as plain SVG text (no chart library): one bar per pool, multiproc's
// bars highlighted, the value printed at the end of each bar.

const esc = (s) => String(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/**
 * bars: [{ label, value, text, highlight, raw }] (at least one); title and note are one line each.
 * Returns the SVG document as a string.
 */
export function barChart({ title, note, bars }) {
  const rowH = 22;
  const labelW = 230;
  const barW = 380;
  const valueW = 90;
  const top = 48;
  const width = labelW + barW + valueW + 20;
  const height = top + bars.length * rowH + 16;
  // One outlier (threads.js is ~50× slower) would flatten every other bar: past 4× the
  // next-largest value the axis stops there and the outlier's bar is drawn clipped (≫).
  const sorted = bars.map((b) => b.value).sort((a, b) => b - a);
  const max = (sorted[0] > 4 * sorted[1] ? sorted[1] * 1.25 : sorted[0]) || 1;
  const rows = bars.map((b, i) => {
    const y = top + i * rowH;
    const clipped = b.value > max;
    const w = Math.max(1, (Math.min(b.value, max) / max) * barW);
    const fill = b.highlight ? '#d9480f' : b.raw ? '#868e96' : '#4c6ef5';
    return [
      `<text x="${labelW - 8}" y="${y + 15}" text-anchor="end">${esc(b.label)}</text>`,
      `<rect x="${labelW}" y="${y + 3}" width="${w.toFixed(1)}" height="${rowH - 6}" fill="${fill}" rx="2"/>`,
      clipped ? `<text x="${(labelW + w - 14).toFixed(1)}" y="${y + 15}" fill="#ffffff" font-weight="bold">≫</text>` : '',
      `<text x="${(labelW + w + 6).toFixed(1)}" y="${y + 15}">${esc(b.text)}</text>`,
    ].join('');
  });
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="system-ui, sans-serif" font-size="12">`,
    `<rect width="100%" height="100%" fill="#ffffff"/>`,
    `<text x="10" y="20" font-size="14" font-weight="bold">${esc(title)}</text>`,
    `<text x="10" y="37" fill="#555555">${esc(note)}</text>`,
    ...rows,
    '</svg>',
    '',
  ].join('\n');
}
