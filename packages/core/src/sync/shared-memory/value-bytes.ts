/**
 * Core's byte codec for values that leave the machine: what a task's
 * arguments, results and errors become when a job layer stores them as text
 * (Redis, through `@multiproc/redis`). It is the shared queues' codec
 * (structured clone's types: Date, BigInt, Map, Set, typed arrays, errors,
 * cycles...) written as base64, so a value comes back as itself instead of
 * through JSON. Synchronization primitives are refused here: the runtime that
 * stores the text carries them its own way.
 */
import { EncodingError } from '../../errors.js';
import { decodeItem, encodeItem, hasRefs, LEN_BYTES } from './codec.js';

function refused(): string {
  throw new EncodingError('A synchronization primitive of this machine cannot travel in a value stored outside it');
}

/**
 * Encodes `value` as base64 text; throws `EncodingError` for what cannot be copied.
 *
 * @example
 * ```ts
 * const text = encodeValueText(new Map([[1n, new Date(0)]]));
 * decodeValueText(text); // Map { 1n => 1970-01-01T00:00:00.000Z }
 * ```
 */
export function encodeValueText(value: unknown): string {
  // The length prefix stays: a decoder checks it against the text, so a cut or padded text is refused.
  return toBase64(encodeItem(value, refused));
}

/**
 * Decodes what {@link encodeValueText} wrote; throws `EncodingError` for text it did not write.
 *
 * @example
 * ```ts
 * decodeValueText(encodeValueText([1, 'a'])); // [1, 'a']
 * ```
 */
export function decodeValueText(text: string): unknown {
  if (typeof text !== 'string') throw new EncodingError(`Expected encoded value text, got ${typeof text}`);
  let bytes: Uint8Array;
  try {
    bytes = fromBase64(text);
    const length = bytes.length > LEN_BYTES ? new DataView(bytes.buffer, bytes.byteOffset, LEN_BYTES).getUint32(0, true) : -1;
    if (length !== bytes.length - LEN_BYTES || hasRefs(bytes.subarray(LEN_BYTES))) throw new Error('not a value this codec wrote');
    return decodeItem(bytes.subarray(LEN_BYTES), 1, []);
  } catch (err) {
    if (err instanceof EncodingError) throw err;
    throw new EncodingError(`Encoded value text could not be decoded: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
  }
}

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const INDEX = new Int16Array(128).fill(-1);
for (let i = 0; i < ALPHABET.length; i++) INDEX[ALPHABET.charCodeAt(i)] = i;

type BufferLike = {
  from(data: ArrayBufferLike, offset: number, length: number): { toString(encoding: string): string };
  from(data: string, encoding: string): Uint8Array;
};
// Node, Deno and Bun have a native Buffer; browsers get the loop below.
const NativeBuffer = (globalThis as { Buffer?: BufferLike }).Buffer;

function toBase64(bytes: Uint8Array): string {
  if (NativeBuffer !== undefined) return NativeBuffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
  let out = '';
  let i = 0;
  for (; i + 2 < bytes.length; i += 3) {
    const n = (bytes[i] << 16) | (bytes[i + 1] << 8) | bytes[i + 2];
    out += ALPHABET[n >> 18] + ALPHABET[(n >> 12) & 63] + ALPHABET[(n >> 6) & 63] + ALPHABET[n & 63];
  }
  const rest = bytes.length - i;
  if (rest === 1) {
    const n = bytes[i] << 16;
    out += `${ALPHABET[n >> 18]}${ALPHABET[(n >> 12) & 63]}==`;
  } else if (rest === 2) {
    const n = (bytes[i] << 16) | (bytes[i + 1] << 8);
    out += `${ALPHABET[n >> 18]}${ALPHABET[(n >> 12) & 63]}${ALPHABET[(n >> 6) & 63]}=`;
  }
  return out;
}

function fromBase64(text: string): Uint8Array {
  if (text.length % 4 !== 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(text)) throw new Error('not base64');
  if (NativeBuffer !== undefined) return new Uint8Array(NativeBuffer.from(text, 'base64'));
  const pad = text.endsWith('==') ? 2 : text.endsWith('=') ? 1 : 0;
  const out = new Uint8Array((text.length / 4) * 3 - pad);
  let o = 0;
  for (let i = 0; i < text.length; i += 4) {
    const n = (INDEX[text.charCodeAt(i)] << 18) | (INDEX[text.charCodeAt(i + 1)] << 12) | ((INDEX[text.charCodeAt(i + 2)] & 63) << 6) | (INDEX[text.charCodeAt(i + 3)] & 63);
    out[o++] = n >> 16;
    if (o < out.length) out[o++] = (n >> 8) & 255;
    if (o < out.length) out[o++] = n & 255;
  }
  return out;
}
