/**
 * A late-bound reviver. Primitive classes must not import the module that
 * knows every kind (it imports them: a cycle that would leave a class
 * undefined while another extends it), so that module installs the reviver
 * here when it loads. Core's serve() and WorkerHost import it, so any program
 * that can receive a primitive has it.
 */
import type { Handle } from './handle.js';
import type { Primitive } from './primitive.js';

export const hooks: {
  /** Turns a handle into an instance in this agent (cached by id). */
  revive: ((handle: Handle) => Primitive) | undefined;
} = { revive: undefined };

export function reviveHandle(handle: Handle): Primitive {
  if (hooks.revive === undefined) throw new Error('multiproc: primitive kinds are not loaded');
  return hooks.revive(handle);
}
