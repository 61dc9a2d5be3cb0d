/**
 * Timers that do not keep a Node process alive (internal housekeeping only:
 * close escalation, abort grace). Runtime-agnostic: `unref` is used where the
 * runtime has it.
 */
import { MAX_TIMER_DELAY } from './long-timer.js';

export function backgroundTimer(fn: () => void, ms: number): ReturnType<typeof setTimeout> {
  // Housekeeping delays come from adapters, not users: past setTimeout's limit, the limit will do.
  const t = setTimeout(fn, Math.min(ms, MAX_TIMER_DELAY));
  (t as { unref?: () => void }).unref?.();
  return t;
}
