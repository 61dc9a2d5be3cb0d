/**
 * The primitives' half of the seam in sync-bridge.ts: what the pool, the
 * broker and serve() call once this agent has primitives. The first
 * primitive constructed here installs it ({@link activateSync}); loading
 * every kind (all-kinds.ts) installs it too.
 */
import { syncState, type SyncBridge } from '../../sync-bridge.js';
import { handleSync, hostGone, rewriteResults } from './broker.js';
import { receiveSyncReply } from './link.js';
import { prepareArgs, prepareTask } from './submit.js';
import { holdsPrimitive, incoming } from './wire.js';

const bridge: SyncBridge = {
  prepareTask,
  prepareArgs,
  holdsPrimitive,
  handleSync,
  rewriteResults,
  hostGone,
  revive(value) {
    incoming(value, 'parent');
  },
  receiveReply: receiveSyncReply,
};

/** Installs the bridge (idempotent). */
export function installSync(): void {
  syncState.bridge = bridge;
}

/** A primitive now exists in this agent: submissions start looking for primitives. */
export function activateSync(): void {
  if (syncState.used) return;
  syncState.used = true;
  syncState.bridge = bridge;
}
