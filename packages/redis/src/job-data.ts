/**
 * The job format between a Redis context and its worker hosts: what a
 * BullMQ job's data holds (module id, task name, kind, arguments through
 * core's value codec) and what its processor returns (a status and a value,
 * through the same codec). Written once here for both sides. Values are text
 * from core's codec, never BullMQ's JSON: a Date, BigInt, Map, Set, typed
 * array or error comes back as itself.
 */
import { decodeValueText, encodeValueText, ResultStatus, type EncodedError } from '@multiproc/core';
import { JOB_FORMAT } from './names.js';

/**
 * What a job asks a host to do. `APPLY`, `MAP_CHUNK` and `STAR_CHUNK` are
 * core's task kinds (same numbers); `INIT` only makes sure the host's pool for
 * the initializer has started; `TARGET` runs a `Process` target.
 */
export const JobKind = { APPLY: 0, MAP_CHUNK: 1, STAR_CHUNK: 2, INIT: 3, TARGET: 4 } as const;
export type JobKind = (typeof JobKind)[keyof typeof JobKind];

/** A job's data (short keys: every job carries them). */
export interface JobData {
  /** Job format ({@link JOB_FORMAT}). */
  readonly v: number;
  /** Module id. */
  readonly m: string;
  /** Task, initializer or target name. */
  readonly n: string;
  readonly k: JobKind;
  /** The arguments (a chunk: its items), as codec text. */
  readonly a: string;
  /** The pool's initializer, or null. */
  readonly i: string | null;
  /** Its arguments, as codec text ('' without an initializer). */
  readonly ia: string;
  /** A `TARGET` job: the Process's name, which the target sees as `currentProcess().name`. */
  readonly p?: string;
}

/** How a job ended, as its processor returns it: core's `OK`, `ERROR` or `CHUNK`. */
export type JobOutcome =
  | readonly [status: typeof ResultStatus.OK, value: unknown]
  | readonly [status: typeof ResultStatus.ERROR, value: EncodedError]
  | readonly [status: typeof ResultStatus.CHUNK, value: { values: unknown[]; errors?: Record<number, EncodedError> }];

/** Makes a job's data. */
export function jobData(module: string, name: string, kind: JobKind, args: unknown, initializer: string | null, initargs: string, processName?: string): JobData {
  const data: JobData = { v: JOB_FORMAT, m: module, n: name, k: kind, a: encodeValueText(args), i: initializer, ia: initargs };
  return processName === undefined ? data : { ...data, p: processName };
}

/** Encodes an outcome as the text a processor returns. */
export function encodeOutcome(outcome: JobOutcome): string {
  return encodeValueText(outcome);
}

/** Decodes a processor's return value; a value this format did not write becomes an `ERROR` outcome saying so. */
export function decodeOutcome(returned: unknown): JobOutcome {
  try {
    const text = typeof returned === 'string' && returned.startsWith('"') ? (JSON.parse(returned) as unknown) : returned;
    const outcome = decodeValueText(text as string) as JobOutcome;
    if (!Array.isArray(outcome) || outcome.length !== 2 || (outcome[0] !== ResultStatus.OK && outcome[0] !== ResultStatus.ERROR && outcome[0] !== ResultStatus.CHUNK)) {
      throw new Error('not an outcome');
    }
    return outcome;
  } catch (err) {
    const message = `A worker host returned a result this client cannot read (${err instanceof Error ? err.message : String(err)})`;
    return [ResultStatus.ERROR, { name: 'ProtocolError', message, stack: undefined, props: { code: 'MP_PROTOCOL' }, cause: undefined }];
  }
}

/** Checks a job's data as a host receives it; returns what is wrong, or undefined. */
export function checkJobData(data: unknown): string | undefined {
  if (typeof data !== 'object' || data === null) return 'job data is not an object';
  const d = data as Partial<JobData>;
  if (d.v !== JOB_FORMAT) return `job format ${String(d.v)}, this host reads ${JOB_FORMAT}`;
  if (typeof d.m !== 'string' || typeof d.n !== 'string' || typeof d.a !== 'string' || typeof d.ia !== 'string') return 'job data of the wrong shape';
  if ((d.i !== null && typeof d.i !== 'string') || (d.p !== undefined && typeof d.p !== 'string')) return 'job data of the wrong shape';
  if (typeof d.k !== 'number' || !Object.values(JobKind).includes(d.k as JobKind)) return `unknown job kind ${String(d.k)}`;
  return undefined;
}
