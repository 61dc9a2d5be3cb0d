// W4: tasks each sending a 1 MiB ArrayBuffer and getting it back, all at once; copied, and
// transferred where the library can move buffers both ways.
import { performance } from 'node:perf_hooks';
import { check } from '../check.mjs';

function bytesOf(r) {
  if (r instanceof ArrayBuffer) return new Uint8Array(r);
  if (ArrayBuffer.isView(r)) return new Uint8Array(r.buffer, r.byteOffset, r.byteLength);
  return null;
}

async function echoAll(adapter, pool, tasks, bytes, move) {
  const bufs = Array.from({ length: tasks }, (_, i) => {
    const b = new ArrayBuffer(bytes);
    const v = new Uint8Array(b);
    v[0] = i & 255;
    v[bytes - 1] = (i * 7) & 255;
    return b;
  });
  const t0 = performance.now();
  const results = await Promise.all(bufs.map((b) => pool.echo(b, move)));
  const ms = performance.now() - t0;
  results.forEach((r, i) => {
    const v = bytesOf(r);
    const what = `${adapter.id} W4 ${move ? 'transfer' : 'copy'}: buffer ${i}`;
    check(v !== null && v.byteLength === bytes, `${what} came back as ${v === null ? typeof r : `${v.byteLength} bytes`}`);
    check(v[0] === (i & 255) && v[bytes - 1] === ((i * 7) & 255), `${what} came back with other bytes`);
  });
  return (tasks * bytes) / 2 ** 20 / (ms / 1000);
}

/** W4: MiB/s (one way) of 1 MiB echoes, copied and transferred. */
export const w4 = {
  id: 'W4',
  title: '1 MiB ArrayBuffer sent to a task and back, all tasks at once',
  figures: [
    { key: 'copy', label: 'W4 copy MiB/s', unit: 'MiB/s', better: 'higher' },
    { key: 'transfer', label: 'W4 transfer MiB/s', unit: 'MiB/s', better: 'higher' },
  ],
  applies: (adapter) => adapter.buffers.copy || adapter.buffers.transfer,
  async run({ adapter, pool, sizes }) {
    const out = {};
    if (adapter.buffers.copy) out.copy = await echoAll(adapter, pool, sizes.w4Tasks, sizes.w4Bytes, false);
    if (adapter.buffers.transfer) out.transfer = await echoAll(adapter, pool, sizes.w4Tasks, sizes.w4Bytes, true);
    return out;
  },
};
