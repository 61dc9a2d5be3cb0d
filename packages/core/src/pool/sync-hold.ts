/**
 * A worker host's wait for the primitives: the worker used one this agent
 * has not loaded every kind of, so its messages, and its exit, are held in
 * order until they are loaded, then handed back to the host one by one.
 */
import type { ExitInfo } from '../adapter.js';
import { loadSync } from '../sync-bridge.js';

/** The host a {@link SyncHold} hands the held messages back to. */
export interface SyncHoldTarget {
  message(data: unknown): void;
  exit(info: ExitInfo): void;
  /** The primitives could not be loaded here; the held messages are handed back after this. */
  syncLoadFailed(error: unknown): void;
}

/**
 * Holds one worker's messages while the primitives load.
 *
 * @example
 * ```ts
 * if (hold.holding) hold.push(data);
 * else if (!syncState.complete) hold.start(data, host);
 * ```
 */
export class SyncHold {
  #messages: unknown[] | undefined;
  #exit: ExitInfo | undefined;

  /** Whether messages are being held now. */
  get holding(): boolean {
    return this.#messages !== undefined;
  }

  /** Holds `first` and starts the load; `target` gets everything back in order when it ends. */
  start(first: unknown, target: SyncHoldTarget): void {
    this.#messages = [first];
    loadSync().then(
      () => this.#release(target),
      (error: unknown) => {
        target.syncLoadFailed(error);
        this.#release(target);
      },
    );
  }

  /** Holds a message that came after the first. */
  push(data: unknown): void {
    (this.#messages as unknown[]).push(data);
  }

  /** Holds the worker's exit: it is handed back after the messages. */
  holdExit(info: ExitInfo): void {
    this.#exit = info;
  }

  #release(target: SyncHoldTarget): void {
    const messages = this.#messages as unknown[];
    this.#messages = undefined;
    for (const m of messages) target.message(m);
    const exit = this.#exit;
    this.#exit = undefined;
    if (exit !== undefined) target.exit(exit);
  }
}
