// The workloads of BENCH.md in the order the runner measures them: each is
//   { id, title, figures: [{ key, label, unit, better }], applies?(adapter), run(ctx) -> figures }
// where ctx = { adapter, pool, sizes, poolSize, fibTask }. W5 makes its own pools.
import { w4 } from './buffers.mjs';
import { w3 } from './cpu.mjs';
import { w5 } from './startup.mjs';
import { w1, w2, w6 } from './throughput.mjs';
import { w7 } from './uneven.mjs';

export const WORKLOADS = [w1, w2, w3, w4, w6, w7, w5];
