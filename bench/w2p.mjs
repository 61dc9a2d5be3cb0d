import { Pool } from '@multiproc/node';
const pool = new Pool(new URL('./fixtures/multiproc-tasks.js', import.meta.url), { processes: 2, context: process.argv[2] ?? 'process' });
await pool.apply('noop', [0]); await pool.apply('noop', [0]);
const lat = [];
for (let i = 0; i < 5000; i++) { const t0 = performance.now(); await pool.apply('noop', [i]); lat.push((performance.now() - t0) * 1000); }
lat.sort((a, b) => a - b);
console.log('p50', lat[2500].toFixed(1), 'p99', lat[4950].toFixed(1));
await pool.terminate();
