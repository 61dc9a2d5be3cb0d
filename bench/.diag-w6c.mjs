import { Pool } from '@multiproc/node';
import { Piscina } from 'piscina';
const mp = new Pool(new URL('./fixtures/tasks.js', import.meta.url), { processes: 2 });
const pi = new Piscina({ filename: new URL('./fixtures/piscina-noop.js', import.meta.url).href, minThreads: 2, maxThreads: 2, idleTimeout: Infinity });
const items = Array.from({ length: 10000 }, (_, i) => i);
const runs = {
  'mp map cs=1250': () => mp.map('noop', items, { chunksize: 1250 }),
  'mp apply x8 (hand-chunk via starmap-less apply of noop on arrays)': async () => (await Promise.all(Array.from({length: 8}, (_, k) => mp.apply('noop', [items.slice(k*1250, k*1250+1250)])))).flat(),
  'pi run x8 noopChunk': async () => (await Promise.all(Array.from({length: 8}, (_, k) => pi.run(items.slice(k*1250, k*1250+1250), { name: 'noopChunk' })))).flat(),
  'pi run x8 noop (array echo)': async () => (await Promise.all(Array.from({length: 8}, (_, k) => pi.run(items.slice(k*1250, k*1250+1250))))).flat(),
};
const t = Object.fromEntries(Object.keys(runs).map(k => [k, []]));
for (let r = 0; r < 300; r++) for (const [k, f] of Object.entries(runs)) {
  const t0 = performance.now(); const res = await f(); const ms = performance.now() - t0;
  if (res.length !== 10000 || res[9999] !== 9999 || res[1250] !== 1250) throw new Error(k);
  if (r >= 50) t[k].push(ms);
}
for (const [k, xs] of Object.entries(t)) { xs.sort((a,b)=>a-b); console.log(k.padEnd(70), 'min', xs[0].toFixed(2), 'p25', xs[xs.length>>2].toFixed(2), 'med', xs[xs.length>>1].toFixed(2), 'ms'); }
await mp.terminate(); await pi.destroy();
