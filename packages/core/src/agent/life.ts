/**
 * Which agents are alive, as every agent sharing memory can see it: the owner
 * tokens written into the internal lock words of queues and barriers, so a
 * waiter that finds such a lock held by an agent that is gone takes it over
 * and repairs the structure instead of waiting for it (issue #9, defect 10).
 *
 * One shared table per tree of agents, made by the top one and handed to
 * every worker that shares memory with its parent in the init message. A slot
 * holds a generation (odd: alive) and the token of the agent's parent. The
 * parent claims a slot for each worker it starts and marks it dead when that
 * worker has exited; an agent is alive while its generation is unchanged and
 * its parent is alive (a worker's own workers die with it).
 *
 * A token is `slot | generation << 12` (31 bits), so it fits a lock word with
 * the sign bit left for "somebody sleeps here". Without shared memory every
 * agent is token 1, always alive: nothing else could hold its locks.
 */

const SLOTS = 4096;
const SLOT_BITS = 12;
const GEN_MASK = 0x7_ffff;
/** Word 0 of the table: where the next slot search starts. */
const HINT = 0;
/** Slot 0 holds the hint, so its tokens are never claimed: an agent given one counts as always alive. */
const IMMORTAL = 1 << SLOT_BITS;

let table: Int32Array | null = null;
let me = 0;

/** This agent's owner token for internal lock words (never 0, sign bit clear). */
export function agentToken(): number {
  if (me !== 0) return me;
  if (typeof SharedArrayBuffer !== 'function') return (me = 1);
  table = new Int32Array(new SharedArrayBuffer(SLOTS * 8));
  me = claim(0) || IMMORTAL;
  return me;
}

/** Whether the agent behind `token` may still run (a token from another tree reads as alive). */
export function isAlive(token: number): boolean {
  const t = table;
  if (t === null) return true;
  for (let depth = 0; token !== 0 && depth < 64; depth++) {
    const slot = token & (SLOTS - 1);
    if (slot === HINT) return true;
    if ((Atomics.load(t, slot * 2) & GEN_MASK) !== token >>> SLOT_BITS) return false;
    token = Atomics.load(t, slot * 2 + 1);
  }
  return true;
}

/** The liveness a worker about to start needs: the table and its own token; null without shared memory. */
export function lifeForChild(): { table: SharedArrayBuffer; token: number } | null {
  const parent = agentToken();
  if (table === null) return null;
  // With every slot taken (thousands of live workers) the child is never seen to die, as before.
  return { table: table.buffer as SharedArrayBuffer, token: claim(parent) || IMMORTAL };
}

/** The parent saw the worker behind `token` exit: locks it holds may now be taken over. */
export function markDead(token: number): void {
  const t = table;
  if (t === null || (token & (SLOTS - 1)) === HINT) return;
  const i = (token & (SLOTS - 1)) * 2;
  const g = Atomics.load(t, i);
  if ((g & GEN_MASK) === token >>> SLOT_BITS) Atomics.compareExchange(t, i, g, g + 1);
}

/** @internal serve() adopts the table and token its parent gave it. */
export function adoptLife(shared: SharedArrayBuffer, token: number): void {
  table = new Int32Array(shared);
  me = token;
}

/**
 * Claims a free slot for a child of `parent`; 0 when all are taken. The slot
 * of a worker whose parent died first is not reclaimed: a claimer could not
 * tell it from one being claimed right now.
 */
function claim(parent: number): number {
  const t = table as Int32Array;
  const start = Atomics.add(t, HINT, 1);
  for (let n = 0; n < SLOTS; n++) {
    const slot = (start + n) % SLOTS;
    if (slot === HINT) continue;
    const i = slot * 2;
    const g = Atomics.load(t, i);
    if ((g & 1) === 1) continue;
    const next = g + 1;
    if (Atomics.compareExchange(t, i, g, next) !== g) continue;
    Atomics.store(t, i + 1, parent);
    return slotToken(slot, next);
  }
  return 0;
}

function slotToken(slot: number, gen: number): number {
  return (((gen & GEN_MASK) << SLOT_BITS) | slot) >>> 0;
}
