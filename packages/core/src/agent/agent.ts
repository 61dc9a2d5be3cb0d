/**
 * Who "this agent" is: the main thread, a worker thread or a child process
 * each have one random identity, used as the owner of an `RLock` (ownership
 * is per agent, SEMANTICS K09), plus what the agent may do: block in
 * `Atomics.wait` (only real workers), share memory with a worker, and the
 * work to do as a worker ends. Pools and workers set these; the
 * synchronization primitives read them.
 */
import type { RuntimeAdapter } from '../adapter.js';

let agent = 0;
let idBase = '';
let idCounter = 0;
let blocking = false;
const exitHooks: (() => void)[] = [];

function random32(): number {
  const c = (globalThis as { crypto?: { getRandomValues?: (a: Uint32Array) => Uint32Array } }).crypto;
  if (c?.getRandomValues) return c.getRandomValues(new Uint32Array(1))[0];
  return Math.floor(Math.random() * 0x1_0000_0000);
}

/** This agent's owner id: a random non-zero integer below 2^53, stable for the agent's life. */
export function agentId(): number {
  if (agent === 0) {
    // 21 high bits + 32 low bits; never 0 (0 means "nobody" in owner slots).
    agent = (random32() & 0x1f_ffff) * 0x1_0000_0000 + random32() || 1;
  }
  return agent;
}

/** A fresh primitive id, unique across agents: `<random agent part>.<counter>`. */
export function newPrimitiveId(): string {
  if (idBase === '') idBase = agentId().toString(36);
  return `${idBase}.${(++idCounter).toString(36)}`;
}

/** @internal serve() sets this in real workers: `…Sync` twins may block with `Atomics.wait`. */
export function setBlockingAllowed(allowed: boolean): void {
  blocking = allowed;
}

/** Whether this agent may block in `Atomics.wait` (a real worker; never a main thread). */
export function blockingAllowed(): boolean {
  return blocking;
}

/** Whether this runtime can share memory with its workers (false in pages without cross-origin isolation). */
export const hasSharedMemory: boolean =
  typeof SharedArrayBuffer === 'function' && (globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated !== false;

/** Whether core shares memory with this adapter's workers (else: the brokered backend). */
export function sharesMemory(adapter: RuntimeAdapter): boolean {
  return adapter.capabilities.sharedMemory && hasSharedMemory;
}

/** Registers work to do when this worker ends gracefully (closing pipe ends it holds). */
export function onAgentExit(hook: () => void): void {
  exitHooks.push(hook);
}

/** @internal serve() calls this as the worker ends. */
export function runAgentExitHooks(): void {
  for (const hook of exitHooks.splice(0)) {
    try {
      hook();
    } catch {
      // best effort: the worker is ending
    }
  }
}
