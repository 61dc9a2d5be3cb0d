/**
 * The error codec: turns any thrown value into plain data that structured
 * clone carries intact, and back into an error on the other side.
 *
 * Structured clone drops an error's class, `code` and other own properties, so
 * errors are encoded by hand: name, message, stack, own properties, cause.
 * On arrival the class is looked up among the built-ins, the library's own
 * errors and the classes given to `registerError`; the object is rebuilt
 * without calling its constructor (a constructor with required arguments must
 * not break delivery, SEMANTICS X07). Anything unknown becomes a `RemoteError`.
 */
import { libraryErrors, ProtocolError, RemoteError } from '../errors.js';
import { standardErrors } from '../util/standard-errors.js';

/**
 * An error as it travels.
 *
 * @example
 * ```ts
 * const e: EncodedError = encodeError(new TypeError('bad'));   // { name: 'TypeError', message: 'bad', ... }
 * port.postMessage({ type: 'results', batch: [id, ResultStatus.ERROR, e] });
 * ```
 */
export interface EncodedError {
  /** Constructor name used to find the class on arrival. */
  readonly name: string;
  readonly message: string;
  readonly stack: string | undefined;
  /** Own enumerable properties that survived cloning (`code`, user fields...). */
  readonly props: Record<string, unknown> | undefined;
  readonly cause: EncodedError | { readonly value: unknown } | undefined;
  /** Set when the thrown value was not an Error at all (`throw 42`). */
  readonly nonError?: { readonly value: unknown };
  /** `errors` of an AggregateError. */
  readonly errors?: EncodedError[];
}

type ErrorClass = abstract new (...args: never[]) => Error;

// Maps, never plain objects: a name is data from the other side, and
// `toString` or `__proto__` must not find Object.prototype's members.
const builtins = new Map<string, ErrorClass>([...standardErrors, ['AggregateError', AggregateError]]);
const builtinNames = new Map<unknown, string>([...builtins].map(([name, cls]) => [cls, name]));

const registry = new Map<string, ErrorClass>();
/** Registered classes by class: encoding never reads `Function.name`, which minifiers rename. */
const registeredNames = new Map<unknown, string>();

/**
 * Makes a user error class cross the worker boundary as itself. Call it on
 * both sides (in the task module and where results are read); the class is
 * keyed by `name`, by default the `name` its instances carry (`this.name =
 * 'QuotaError'` or a `name` field), else the class's own name. Pass `name`
 * when the code is minified and instances set no name of their own.
 *
 * @example
 * ```ts
 * export class QuotaError extends Error { name = 'QuotaError'; }
 * registerError(QuotaError);
 * ```
 */
export function registerError(errorClass: ErrorClass, name?: string): void {
  if (typeof errorClass !== 'function' || !(errorClass.prototype instanceof Error || errorClass === Error)) {
    throw new TypeError('registerError: expected a class that extends Error');
  }
  const key = name === undefined ? defaultName(errorClass) : name;
  if (typeof key !== 'string' || key === '') throw new TypeError('registerError: the class needs a name');
  registry.set(key, errorClass);
  registeredNames.set(errorClass, key);
}

/** The name a class's instances carry, which survives minification where the class's own name does not. */
function defaultName(cls: ErrorClass): string {
  const proto = cls.prototype as Error;
  if (Object.hasOwn(proto, 'name') && typeof proto.name === 'string' && proto.name !== '') return proto.name;
  try {
    // Most classes set it per instance; a constructor that needs arguments may throw, which is fine.
    const sample = Reflect.construct(cls, []) as Error;
    if (Object.hasOwn(sample, 'name') && typeof sample.name === 'string' && sample.name !== '') return sample.name;
  } catch {
    // fall back to the class's name
  }
  return cls.name;
}

const skipProps = new Set(['name', 'message', 'stack', 'cause']);

function cloneable(value: unknown): boolean {
  // Only data that structured clone keeps as-is; functions and symbols would
  // make the whole message fail to post.
  if (value === null) return true;
  const t = typeof value;
  if (t === 'function' || t === 'symbol') return false;
  if (t !== 'object') return true;
  try {
    structuredClone(value);
    return true;
  } catch {
    return false;
  }
}

/**
 * Encodes any thrown value. Never throws.
 *
 * @example
 * ```ts
 * try { run(); } catch (err) { pushResult(batch, id, ResultStatus.ERROR, encodeError(err)); }
 * ```
 */
export function encodeError(value: unknown, depth = 0): EncodedError {
  if (!(value instanceof Error)) {
    const safe = cloneable(value) ? value : String(value);
    return {
      name: 'NonError',
      message: `Task threw a non-Error value: ${describe(value)}`,
      stack: undefined,
      props: undefined,
      cause: undefined,
      nonError: { value: safe },
    };
  }
  if (value instanceof RemoteError) return relayRemote(value, depth);
  const name = classNameOf(value);
  const own = nameOf(value);
  let props: Record<string, unknown> | undefined;
  // A name other than the class's (an Error named 'toString') travels as a property.
  if (own !== undefined && own !== name) (props ??= Object.create(null) as Record<string, unknown>).name = own;
  for (const key of Object.keys(value)) {
    if (skipProps.has(key)) continue;
    const v = (value as unknown as Record<string, unknown>)[key];
    if (!cloneable(v)) continue;
    // Null prototype: a key named `__proto__` is a property like any other.
    (props ??= Object.create(null) as Record<string, unknown>)[key] = v;
  }
  // Library errors keep `code` as a class field; own props cover it.
  let cause: EncodedError['cause'];
  if ('cause' in value && value.cause !== undefined && depth < 8) {
    cause = value.cause instanceof Error ? encodeError(value.cause, depth + 1) : { value: cloneable(value.cause) ? value.cause : String(value.cause) };
  }
  const encoded: { -readonly [K in keyof EncodedError]: EncodedError[K] } = {
    name,
    message: String(value.message),
    stack: typeof value.stack === 'string' ? value.stack : undefined,
    props,
    cause,
  };
  if (value instanceof AggregateError && depth < 8) encoded.errors = value.errors.map((e) => encodeError(e, depth + 1));
  return encoded;
}

/** RemoteError's own fields, which the remote error did not have. */
const remoteFields = new Set(['remoteName', 'remoteStack', 'value', 'name', 'message', 'stack', 'cause']);

/**
 * A `RemoteError` passed on (a Redis worker host relays what its threads
 * threw, not knowing their classes) travels as the error it stands for, so
 * the caller, who may have registered the class, rebuilds it as itself.
 */
function relayRemote(err: RemoteError, depth: number): EncodedError {
  if (err.value !== undefined) return { name: 'NonError', message: String(err.message), stack: undefined, props: undefined, cause: undefined, nonError: { value: err.value } };
  let props: Record<string, unknown> | undefined;
  for (const key of Object.keys(err)) {
    // `code` is RemoteError's own unless the remote error had one.
    if (remoteFields.has(key) || (key === 'code' && err.code === 'MP_REMOTE')) continue;
    const v = (err as unknown as Record<string, unknown>)[key];
    if (cloneable(v)) (props ??= Object.create(null) as Record<string, unknown>)[key] = v;
  }
  const cause = err.cause === undefined || depth >= 8 ? undefined : err.cause instanceof Error ? encodeError(err.cause, depth + 1) : { value: cloneable(err.cause) ? err.cause : String(err.cause) };
  return { name: err.remoteName, message: String(err.message), stack: err.remoteStack, props, cause };
}

function nameOf(err: Error): string | undefined {
  try {
    const name = err.name;
    return typeof name === 'string' ? name : undefined;
  } catch {
    return undefined;
  }
}

function classNameOf(err: Error): string {
  // A known name wins (a registered custom `name`, a library error, a built-in).
  const name = nameOf(err);
  if (name !== undefined && (registry.has(name) || libraryErrors.has(name) || builtins.has(name))) return name;
  // Then the class itself, found by identity, never by `Function.name`.
  const ctor = (Object.getPrototypeOf(err) as { constructor?: unknown } | null)?.constructor;
  const known = registeredNames.get(ctor) ?? builtinNames.get(ctor);
  if (known !== undefined) return known;
  // An unknown class: the name its instance carries (minifiers rename classes), else the class's name.
  if (name !== undefined && name !== '' && Object.hasOwn(err, 'name')) return name;
  const ctorName = typeof ctor === 'function' ? ctor.name : undefined;
  return ctorName && ctorName !== 'Object' ? ctorName : (name || 'Error');
}

function describe(value: unknown): string {
  try {
    if (typeof value === 'string') return JSON.stringify(value);
    return String(value);
  } catch {
    return Object.prototype.toString.call(value);
  }
}

/**
 * Rebuilds an error encoded by {@link encodeError}. Never throws: what
 * arrives is data from another agent, and a shape that is not an encoded
 * error becomes a `ProtocolError`.
 *
 * @example
 * ```ts
 * const err = decodeError(encodeError(new RangeError('too big')));   // a RangeError again, stack kept
 * ```
 */
export function decodeError(encoded: EncodedError): Error {
  try {
    return decode(encoded, 0);
  } catch (err) {
    return new ProtocolError('A worker sent an error that could not be decoded', { cause: err });
  }
}

function decode(encoded: EncodedError, depth: number): Error {
  if (typeof encoded !== 'object' || encoded === null || typeof encoded.name !== 'string' || depth > 64) {
    return new ProtocolError(`A worker sent a malformed error: ${describe(encoded)}`);
  }
  const message = typeof encoded.message === 'string' ? encoded.message : String(encoded.message);
  const stack = typeof encoded.stack === 'string' ? encoded.stack : undefined;
  const props = typeof encoded.props === 'object' && encoded.props !== null ? encoded.props : undefined;
  if (typeof encoded.nonError === 'object' && encoded.nonError !== null) {
    return new RemoteError(message, { remoteName: typeof encoded.nonError.value, value: encoded.nonError.value });
  }
  const cls: ErrorClass | undefined = registry.get(encoded.name) ?? libraryErrors.get(encoded.name) ?? builtins.get(encoded.name);
  const c = encoded.cause as unknown;
  const cause = typeof c !== 'object' || c === null ? undefined : 'value' in c ? (c as { value: unknown }).value : decode(c as EncodedError, depth + 1);
  if (!cls) {
    const err = new RemoteError(message, { remoteName: encoded.name, remoteStack: stack, properties: props, cause });
    if (stack) err.stack = stack;
    return err;
  }
  const err = Object.create(cls.prototype) as Error;
  define(err, 'message', message);
  if (stack !== undefined) define(err, 'stack', stack);
  if (cause !== undefined) define(err, 'cause', cause);
  if (Array.isArray(encoded.errors)) define(err, 'errors', encoded.errors.map((e) => decode(e, depth + 1)));
  // Defined, not assigned: a property named `__proto__` must not change the prototype.
  if (props) for (const key of Object.keys(props)) define(err, key, props[key], true);
  // Library errors set `name` as an own field in their constructor.
  if (libraryErrors.has(encoded.name) || registry.has(encoded.name)) {
    if (!Object.hasOwn(err, 'name')) define(err, 'name', encoded.name, true);
  }
  return err;
}

function define(target: object, key: string, value: unknown, enumerable = false): void {
  Object.defineProperty(target, key, { value, writable: true, configurable: true, enumerable });
}
