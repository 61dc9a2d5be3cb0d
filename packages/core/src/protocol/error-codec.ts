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
import { libraryErrors, RemoteError } from '../errors.js';

/** An error as it travels. */
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

const builtins: Record<string, ErrorClass> = {
  Error,
  TypeError,
  RangeError,
  SyntaxError,
  ReferenceError,
  EvalError,
  URIError,
  AggregateError,
};

const registry = new Map<string, ErrorClass>();

/**
 * Makes a user error class cross the worker boundary as itself. Call it on
 * both sides (in the task module and where results are read); the class is
 * keyed by its `name`.
 *
 * @example
 * ```ts
 * export class QuotaError extends Error { name = 'QuotaError'; }
 * registerError(QuotaError);
 * ```
 */
export function registerError(errorClass: ErrorClass, name: string = errorClass.name): void {
  if (typeof errorClass !== 'function' || !(errorClass.prototype instanceof Error || errorClass === Error)) {
    throw new TypeError('registerError: expected a class that extends Error');
  }
  if (typeof name !== 'string' || name === '') throw new TypeError('registerError: the class needs a name');
  registry.set(name, errorClass);
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

/** Encodes any thrown value. Never throws. */
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
  let props: Record<string, unknown> | undefined;
  for (const key of Object.keys(value)) {
    if (skipProps.has(key)) continue;
    const v = (value as unknown as Record<string, unknown>)[key];
    if (!cloneable(v)) continue;
    (props ??= {})[key] = v;
  }
  // Library errors keep `code` as a class field; own props cover it.
  let cause: EncodedError['cause'];
  if ('cause' in value && value.cause !== undefined && depth < 8) {
    cause = value.cause instanceof Error ? encodeError(value.cause, depth + 1) : { value: cloneable(value.cause) ? value.cause : String(value.cause) };
  }
  const encoded: { -readonly [K in keyof EncodedError]: EncodedError[K] } = {
    name: classNameOf(value),
    message: String(value.message),
    stack: typeof value.stack === 'string' ? value.stack : undefined,
    props,
    cause,
  };
  if (value instanceof AggregateError && depth < 8) encoded.errors = value.errors.map((e) => encodeError(e, depth + 1));
  return encoded;
}

function classNameOf(err: Error): string {
  // `name` can be overridden per instance; the constructor name is what the
  // registry is keyed by, but a registered custom `name` wins when known.
  if (registry.has(err.name) || err.name in libraryErrors || err.name in builtins) return err.name;
  const ctor = (err as { constructor?: { name?: string } }).constructor?.name;
  return ctor && ctor !== 'Object' ? ctor : err.name;
}

function describe(value: unknown): string {
  try {
    if (typeof value === 'string') return JSON.stringify(value);
    return String(value);
  } catch {
    return Object.prototype.toString.call(value);
  }
}

/** Rebuilds an error encoded by {@link encodeError}. */
export function decodeError(encoded: EncodedError): Error {
  if (encoded.nonError) {
    return new RemoteError(encoded.message, { remoteName: typeof encoded.nonError.value, value: encoded.nonError.value });
  }
  const cls: ErrorClass | undefined =
    registry.get(encoded.name) ?? (libraryErrors as Record<string, ErrorClass>)[encoded.name] ?? builtins[encoded.name];
  const cause = encoded.cause === undefined ? undefined : 'value' in encoded.cause ? encoded.cause.value : decodeError(encoded.cause);
  if (!cls) {
    const err = new RemoteError(encoded.message, { remoteName: encoded.name, remoteStack: encoded.stack, properties: encoded.props, cause });
    if (encoded.stack) err.stack = encoded.stack;
    return err;
  }
  const err = Object.create(cls.prototype) as Error;
  define(err, 'message', encoded.message);
  if (encoded.stack !== undefined) define(err, 'stack', encoded.stack);
  if (cause !== undefined) define(err, 'cause', cause);
  if (encoded.errors) define(err, 'errors', encoded.errors.map(decodeError));
  if (encoded.props) Object.assign(err, encoded.props);
  // Library errors set `name` as an own field in their constructor.
  if (Object.prototype.hasOwnProperty.call(libraryErrors, encoded.name) || registry.has(encoded.name)) {
    if (!Object.prototype.hasOwnProperty.call(err, 'name')) define(err, 'name', encoded.name, true);
  }
  return err;
}

function define(target: object, key: string, value: unknown, enumerable = false): void {
  Object.defineProperty(target, key, { value, writable: true, configurable: true, enumerable });
}
