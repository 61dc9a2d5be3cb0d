/**
 * The one seam between the pool (pool/, process/, protocol/) and the
 * synchronization primitives (sync/). Neither side imports the other: the
 * first primitive an agent constructs installs the bridge here, and a program
 * that never uses a primitive never loads, runs or bundles their code. A
 * worker or parent that must handle primitives it has not loaded (a task's
 * argument, a worker's request to the broker) loads them with
 * {@link loadSync} first, holding what arrives after in order meanwhile.
 *
 * The hot path reads one flag, {@link syncState}`.used`: until a primitive
 * exists in this agent, tasks go out and results come in untouched.
 */
import type { SyncMessage, SyncReplyMessage } from './protocol/messages.js';

/** A task's arguments after preparation for a worker's channel. */
export interface PreparedTask {
  readonly args: unknown[];
  /** The task kind, plus `SYNC_ARGS` when the worker must revive primitives. */
  readonly kind: number;
  /** Set when the task must be refused (EncodingError), and nothing sent. */
  readonly refused?: unknown;
}

/** What the broker needs from a worker's host in the parent. */
export interface BrokerHost {
  /** Whether this worker shares memory with this agent. */
  readonly sharesMemory: boolean;
  /** Whether the worker has exited (a failure it reports after can fail no task). */
  readonly exited: boolean;
  post(message: unknown): void;
}

/** How a worker reaches its parent's broker: set by serve(), used by the primitives when they need it. */
export interface WorkerLine {
  /** Whether this worker shares memory with its parent. */
  readonly shared: boolean;
  post(message: SyncMessage): void;
  /** The id of the task running now (-1 between tasks): a failed synchronous mutation fails it. */
  taskId(): number;
}

/** The primitives' side of the seam (sync/transport/bridge.ts implements it). */
export interface SyncBridge {
  // --- parent side ---
  /** Prepares a task's arguments (or a chunk's items): primitives found are flagged in the kind. */
  prepareTask(args: unknown[], kind: number, shared: boolean): PreparedTask;
  /** Prepares `initargs` or `Process` args; throws EncodingError at once. */
  prepareArgs(args: readonly unknown[], shared: boolean): unknown[];
  /** Whether a value holds a primitive anywhere (the init message then asks the worker to revive). */
  holdsPrimitive(value: unknown): boolean;
  /** Runs one `sync` message from a worker (needs every kind: see {@link syncState}`.complete`). */
  handleSync(host: BrokerHost, message: SyncMessage): void;
  /** Replaces, in a results batch, the results of tasks whose synchronous mutations failed in the broker. */
  rewriteResults(host: BrokerHost, batch: unknown[]): void;
  /** The worker behind `host` exited: cancel what it waited for, report what it left failed. */
  hostGone(host: BrokerHost): void;
  // --- worker side ---
  /** Revives, in place, the primitives in a value that came from the parent (needs every kind). */
  revive(value: unknown): void;
  /** The broker's answer to one of this worker's requests. */
  receiveReply(message: SyncReplyMessage): void;
}

/** The seam's state in this agent. */
export const syncState: {
  /** Hot path: false until this agent has created or received a primitive. */
  used: boolean;
  /** Installed with the first primitive (or by {@link loadSync}). */
  bridge: SyncBridge | undefined;
  /** Every primitive kind is loaded: any handle can be revived, any `new` the broker gets can be made. */
  complete: boolean;
  /** In a worker: the line to the parent's broker (serve sets it at init). */
  line: WorkerLine | undefined;
} = { used: false, bridge: undefined, complete: false, line: undefined };

let loading: Promise<SyncBridge> | undefined;

/**
 * Loads every primitive kind and the bridge (once; later calls share the
 * promise). Lazy, so a bundle that only uses `Pool` does not carry them.
 */
export function loadSync(): Promise<SyncBridge> {
  loading ??= import('./sync/all-kinds.js').then((m) => {
    m.installAllKinds();
    return syncState.bridge as SyncBridge;
  });
  return loading;
}
