// The q-quantile (0..1) of a list of numbers, by the nearest rank below; the trace scripts' one statistic.
export function quantile(xs, q) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(q * (s.length - 1))];
}
