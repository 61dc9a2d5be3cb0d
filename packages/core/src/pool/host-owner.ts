/**
 * What a worker host tells whoever owns it (the scheduler, or a Process):
 * ready, results, and how the worker ended, with the stop reasons core uses.
 */
import type { ExitInfo } from '../adapter.js';
import type { WorkerHost } from './worker-host.js';

/** Default time a closing worker gets before it is killed, and the abort grace. */
export const DEFAULT_CLOSE_TIMEOUT_MS = 1000;

/** What a host reports to whoever owns it. */
export interface HostOwner {
  hostReady(host: WorkerHost, error: Error | undefined): void;
  hostResults(host: WorkerHost, batch: unknown[]): void;
  hostExit(host: WorkerHost, info: HostExit): void;
}

/** How a worker ended, with what core knows beyond the adapter's report. */
export interface HostExit extends ExitInfo {
  /** The code the worker said it would exit with (before closing itself), if any. */
  readonly reportedCode: number | null;
  /** Why core stopped it, or null when it ended by itself. */
  readonly stopReason: StopReason | null;
  /** Whether it had finished the ready handshake. */
  readonly wasReady: boolean;
  /**
   * Where memory is shared, the worker's running word at its death: the id of
   * the task it was running, minus the id of the last one it finished, or 0
   * before any; undefined where the parent cannot know.
   */
  readonly running: number | undefined;
}

export type StopReason = 'close' | 'terminate' | 'kill' | 'grace';

