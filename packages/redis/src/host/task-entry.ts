/**
 * The task module of a worker host's local pools, loaded as
 * `task-entry.js?module=<the user's module URL>`. It imports the user's module
 * at its top level, while the worker loads it, so a module that starts a pool
 * without the `isMainProcess()` guard fails as it does on one machine; `setup`
 * (the local pool's initializer) runs the user's initializer. Jobs run against
 * the module (`call`, `chunk`, `target`): arguments are decoded and outcomes
 * encoded in the thread, so the host's event loop only moves text, a chunk is
 * one local task, and an error is encoded where its class is known (a class
 * the task module registered comes back as itself).
 */
import { decodeValueText, encodeError, encodeValueText, isTransfer, ResultStatus, UnknownTaskError, type EncodedError } from '@multiproc/core';
import type { RedisConnection } from '../names.js';
import { PrimLink } from '../sync/link.js';
import { revive } from '../sync/revive.js';

type Fn = (...args: unknown[]) => unknown;

const moduleUrl = new URL(import.meta.url).searchParams.get('module');
const tasks: Readonly<Record<string, unknown>> | undefined = moduleUrl === null ? undefined : ((await import(moduleUrl)) as Record<string, unknown>);

/** This thread's link to the host's Redis, for the primitives that arrive in arguments (connections open on first use). */
let link: PrimLink | undefined;

/** Decoded arguments, with travelled primitives bound to this thread's link. */
function decode(text: string): unknown {
  const value = decodeValueText(text);
  return link === undefined ? value : revive(value, link);
}

/** Links this thread to the host's Redis, then runs the user's initializer with its arguments (codec text). */
export async function setup(initializer: string | null, initargs: string, connection: RedisConnection, prefix: string): Promise<void> {
  link = PrimLink.for(connection, prefix);
  if (initializer !== null) await lookup(initializer)(...(decode(initargs) as unknown[]));
}

/** A function the module exports by that name; nothing on Object.prototype counts. */
function lookup(name: string): Fn {
  const fn = tasks !== undefined && Object.hasOwn(tasks, name) ? tasks[name] : undefined;
  if (typeof fn !== 'function') throw new UnknownTaskError(`No task named "${name}" is exported by the task module`);
  return fn as Fn;
}

/** What a task returned, without the `transfer()` wrapper (nothing is transferred across machines). */
function plain(value: unknown): unknown {
  return isTransfer(value) ? value.value : value;
}

/** One task: its outcome as codec text, never a rejection (but for an exit of the thread). */
export async function call(name: string, args: string): Promise<string> {
  try {
    const value = await lookup(name)(...(decode(args) as unknown[]));
    return encodeValueText([ResultStatus.OK, plain(value)]);
  } catch (err) {
    return encodeValueText([ResultStatus.ERROR, encodeError(err)]);
  }
}

/** A map (`star` false: `fn(item)`) or starmap (`fn(...item)`) chunk: every item's value, and the errors by index. */
export async function chunk(name: string, itemsText: string, star: boolean): Promise<string> {
  let values: unknown[] = [];
  let errors: Record<number, EncodedError> | undefined;
  let items: unknown[];
  let fn: Fn;
  try {
    items = decode(itemsText) as unknown[];
    if (!Array.isArray(items)) throw new TypeError('A chunk job whose items are not a list');
    fn = lookup(name);
  } catch (err) {
    return encodeValueText([ResultStatus.ERROR, encodeError(err)]);
  }
  // As long as the chunk: a reader counts its items by it.
  values = new Array<unknown>(items.length).fill(undefined);
  for (let i = 0; i < items.length; i++) {
    try {
      values[i] = plain(await (star ? fn(...(items[i] as unknown[])) : fn(items[i])));
    } catch (err) {
      (errors ??= {})[i] = encodeError(err);
    }
  }
  try {
    return encodeValueText([ResultStatus.CHUNK, errors === undefined ? { values } : { values, errors }]);
  } catch (err) {
    return encodeValueText([ResultStatus.ERROR, encodeError(err)]);
  }
}

/**
 * A `Process` target, run as this thread's target: an error it throws is
 * uncaught here (printed, exit code 1) and `exit(n)` ends it with `n`, as on
 * one machine.
 */
export async function target(name: string, args: string, connection: RedisConnection, prefix: string): Promise<void> {
  link = PrimLink.for(connection, prefix);
  await lookup(name)(...(decode(args) as unknown[]));
}
