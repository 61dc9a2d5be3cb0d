// L5: 2 × new Worker → first echo, 2 × fork → first echo, and the RSS each adds.
import { performance } from 'node:perf_hooks';
import { check } from '../check.mjs';
import { treeRssMiB } from '../rss.mjs';
import { nextMessage, startChild, startThread, stop } from './raw-env.mjs';

/** { ms, rssPerWorker } to start `count` workers ('thread' or 'process') and get each one's first echo. */
export async function startEcho(mode, count) {
  const rss0 = treeRssMiB();
  const t0 = performance.now();
  const ws = Array.from({ length: count }, () => (mode === 'thread' ? startThread() : startChild('advanced')));
  const replies = await Promise.all(
    ws.map((w, i) => {
      const p = nextMessage(w);
      if (mode === 'thread') w.postMessage(i);
      else w.send(i);
      return p;
    }),
  );
  const ms = performance.now() - t0;
  const rss1 = treeRssMiB();
  await Promise.all(ws.map(stop));
  for (let i = 0; i < count; i++) check(replies[i] === i, `raw ${mode} start: echo ${i} returned ${String(replies[i])}`);
  return { ms, rssPerWorker: rss0 === null ? null : (rss1 - rss0) / count };
}
