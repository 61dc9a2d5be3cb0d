/**
 * Value and SharedArray (SEMANTICS §12 V): shared where memory is shared,
 * refused at submission (EncodingError, MP_NEEDS_SHARED_MEMORY, nothing
 * runs) where it is not.
 */
import { EncodingError, StateError } from '../errors.js';
import { Pool } from '../pool/pool.js';
import { Event } from '../sync/event.js';
import { Lock } from '../sync/lock.js';
import { RLock } from '../sync/rlock.js';
import { SharedArray } from '../sync/shared-array.js';
import { Value } from '../sync/value.js';
import { deepEqual, equal, ok, rejects, throws } from './assert.js';
import { area } from './define.js';

const { cases, define } = area('Value and SharedArray');
export { cases as valueCases };

define('Value: typed like Python\'s typecodes; out-of-range integers wrap, fractions and wrong types throw TypeError', ['V01', 'V06'], async () => {
  equal(new Value('int32', 2 ** 40).value, 0);
  throws(() => new Value('int32', 1.5), TypeError);
  throws(() => new Value('nope' as never), TypeError);
  equal(new Value('float64').value, 0);
  const big = new Value('bigint64', 2n ** 34n);
  equal(big.value, 2n ** 34n);
  throws(() => new Value('bigint64', 1 as never), TypeError);
  const v = new Value('float64', 1.5);
  v.value = 2.25;
  equal(v.value, 2.25);
  equal(await v.get(), 2.25);
  await v.set(3);
  equal(v.value, 3);
  const i = new Value('int16', 7);
  throws(() => {
    i.value = 0.5;
  }, TypeError);
  equal(i.type, 'int16');
});

define('the lock option: an RLock by default, none with false, yours if given; anything else is a TypeError', ['V03', 'V05'], async () => {
  ok(new Value('int32').getLock() instanceof RLock);
  throws(() => new Value('int32', 0, { lock: false }).getLock(), StateError);
  const mine = new Lock();
  equal(new Value('int32', 0, { lock: mine }).getLock(), mine);
  throws(() => new Value('int32', 0, { lock: 'navalue' as never }), TypeError);
  ok(new SharedArray('uint8', 2).getLock() instanceof RLock);
  throws(() => new SharedArray('uint8', 2, { lock: false }).getLock(), StateError);
});

define('SharedArray: zero-filled from a length, copied from values; .array is a live typed array', ['V07', 'V08', 'V09'], async () => {
  const z = new SharedArray('int32', 4);
  deepEqual([...z.array], [0, 0, 0, 0]);
  equal(z.length, 4);
  const a = new SharedArray('float64', [1, 2.5, 3]);
  ok(a.array instanceof Float64Array);
  a.array.set([4, 5], 1);
  deepEqual([...a.array], [1, 4, 5]);
  equal(a.array[7], undefined, 'out of range reads undefined, as typed arrays do');
  throws(() => new SharedArray('int8', [1, 0.5]), TypeError);
  throws(() => new SharedArray('int8', -1), RangeError);
});

define('a worker\'s writes to a Value and a SharedArray are seen by the parent', ['V01', 'V08'], async (ctx) => {
  const pool = ctx.pool({ processes: 1 });
  const v = new Value('float64', 0);
  equal(await pool.apply('valueSet', [v, 2.5]), 2.5);
  equal(v.value, 2.5);
  const arr = new SharedArray('int32', [1, 2, 3, 4, 5]);
  equal(await pool.apply('arrayPrefixSums', [arr]), 5);
  deepEqual([...arr.array], [1, 3, 6, 10, 15]);
}, { requires: ['sharedMemory'] });

define('increments under getLock() are exact across workers', ['V04'], async (ctx) => {
  const pool = ctx.pool({ processes: 2 });
  const v = new Value('int32', 0);
  await Promise.all([0, 1, 2, 3].map(() => pool.apply('valueAdd', [v, 250])));
  equal(v.value, 1000);
}, { requires: ['sharedMemory'] });

define('where memory is not shared, a Value or SharedArray is refused at submission with EncodingError MP_NEEDS_SHARED_MEMORY, and nothing runs', ['V12', 'DESIGN:sync'], async (ctx) => {
  const pool = ctx.pool({ processes: 1 });
  const ran = new Event();
  const e = await rejects(pool.apply('markRan', [ran, new Value('int32', 1)]), EncodingError);
  equal(e.code, 'MP_NEEDS_SHARED_MEMORY');
  const m = await rejects(pool.map('identity', [1, { nested: [new SharedArray('uint8', 2)] }]), EncodingError);
  equal(m.code, 'MP_NEEDS_SHARED_MEMORY');
  await ctx.sleep(50);
  equal(ran.isSet(), false, 'the task never ran');
  const p = ctx.process({ target: 'markRan', args: [ran, new Value('int8')] });
  equal(throws(() => p.start(), EncodingError).code, 'MP_NEEDS_SHARED_MEMORY');
  throws(() => new Pool(ctx.tasksUrl, { adapter: ctx.adapter, initargs: [new Value('int8')] }), EncodingError);
  equal(await pool.apply('square', [4]), 16, 'the pool is fine');
}, { unless: ['sharedMemory'] });
