import { encodeItem, decodeItem } from '../packages/core/dist/sync/codec.js';
import { item } from './fixtures/sync-tasks.js';
const N = 300_000;
const items = Array.from({ length: 1000 }, (_, i) => item(i));
for (let r = 0; r < 5; r++) {
  let t0 = performance.now(); let bytes;
  for (let i = 0; i < N; i++) bytes = encodeItem(items[i % 1000], () => 'x');
  let t1 = performance.now();
  const payload = bytes.slice(4);
  let s = 0;
  for (let i = 0; i < N; i++) s += decodeItem(payload, 1, []).id;
  let t2 = performance.now();
  for (let i = 0; i < N; i++) s += structuredClone(items[i % 1000]).id;
  let t3 = performance.now();
  console.log(`encode ${(N / (t1 - t0) / 1000).toFixed(2)} M/s decode ${(N / (t2 - t1) / 1000).toFixed(2)} M/s structuredClone ${(N / (t3 - t2) / 1000).toFixed(2)} M/s  (${bytes.length} bytes)`);
}
