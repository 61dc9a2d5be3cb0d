/**
 * Timers that do not keep a Node process alive (internal housekeeping only:
 * close escalation, abort grace). Runtime-agnostic: `unref` is used where the
 * runtime has it.
 */
export function backgroundTimer(fn: () => void, ms: number): ReturnType<typeof setTimeout> {
  const t = setTimeout(fn, ms);
  (t as { unref?: () => void }).unref?.();
  return t;
}
