/**
 * Zero-copy transfer of ArrayBuffers both ways (DESIGN.md "Promises beyond Python").
 */
import { equal } from './assert.js';
import { area } from './define.js';

const { cases, define } = area('Transfer');
export { cases as transferCases };

define('an argument buffer in `transfer` moves to the worker (detached here), a copy does not', ['X09', 'DESIGN:transfer'], async (ctx) => {
  const pool = ctx.pool();
  const moved = new ArrayBuffer(1024);
  equal(await pool.apply('byteLength', [moved], { transfer: [moved] }), 1024);
  equal(moved.byteLength, 0, 'transferred buffers are detached in the sender');
  const copied = new ArrayBuffer(1024);
  equal(await pool.apply('byteLength', [copied]), 1024);
  equal(copied.byteLength, 1024, 'without transfer the caller keeps its buffer');
}, { requires: ['transfer'] });

define('a task returning transfer(value, [buffer]) delivers the value', ['DESIGN:transfer'], async (ctx) => {
  const pool = ctx.pool();
  const bytes = await pool.apply('makeBytes', [4096]);
  equal(bytes.byteLength, 4096);
  equal(bytes[0], 7);
});
