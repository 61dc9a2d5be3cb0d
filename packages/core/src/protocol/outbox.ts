/**
 * The worker's outgoing results: finished results wait here and go to the
 * parent as one `results` batch when the worker flushes (out of work, before
 * it awaits an async task or starts one that may be long, every few
 * milliseconds during a long run of quick tasks, and when it exits). Values
 * wrapped in `transfer()` are unwrapped on the way in and their transferables
 * collected for the batch. A batch that cannot be cloned is sent result by
 * result, and a result that cannot be sent becomes an `EncodingError`, so the
 * parent always hears about every task.
 */
import type { WorkerPort } from '../adapter.js';
import { EncodingError } from '../errors.js';
import { isTransfer, type TransferableValue } from '../transfer.js';
import { RESULT_STRIDE, ResultSlot, pushResult, type ResultEntry } from './batch.js';
import { encodeError, type EncodedError } from './error-codec.js';
import { ResultStatus, type ChunkOutcome } from './messages.js';

/**
 * Results waiting to be posted on a worker's port.
 *
 * @example
 * ```ts
 * const outbox = new Outbox(port);
 * outbox.add(id, ResultStatus.OK, outbox.unwrap(value));
 * outbox.flush();
 * ```
 */
export class Outbox {
  readonly #port: WorkerPort;
  /** Flat results (protocol/batch.ts), in the order the tasks ran. */
  #batch: unknown[] = [];
  #transfer: TransferableValue[] | null = null;
  /** The worker has said its last word: nothing more is posted. */
  #sealed = false;

  constructor(port: WorkerPort) {
    this.#port = port;
  }

  /** Adds one result (its value already {@link unwrap}ped where it is a task's value). */
  add(id: number, status: ResultStatus, value: unknown): void {
    pushResult(this.#batch, id, status, value);
  }

  /** A task's value as it goes into the batch: a `transfer()` wrapper gives its value, and its transferables go with the batch. */
  unwrap(value: unknown): unknown {
    if (!isTransfer(value)) return value;
    const list = (this.#transfer ??= []);
    for (const t of value.transferList) list.push(t);
    return value.value;
  }

  /** Posts what waits, as one `results` message (nothing when empty or sealed). */
  flush(): void {
    if (this.#batch.length === 0 || this.#sealed) return;
    const batch = this.#batch;
    const transfer = this.#transfer;
    this.#batch = [];
    this.#transfer = null;
    try {
      this.#port.postMessage({ type: 'results', batch }, transfer ?? undefined);
    } catch {
      this.#postOneByOne(batch);
    }
  }

  /** Flushes a last time; after this nothing is posted (the worker is ending). */
  seal(): void {
    this.flush();
    this.#sealed = true;
  }

  /** A batch that cannot be cloned: send each result alone, replacing the ones that fail. */
  #postOneByOne(batch: unknown[]): void {
    for (let i = 0; i < batch.length; i += RESULT_STRIDE) {
      const id = batch[i + ResultSlot.ID] as number;
      const status = batch[i + ResultSlot.STATUS] as ResultStatus;
      let value = batch[i + ResultSlot.VALUE];
      try {
        this.#port.postMessage({ type: 'results', batch: [id, status, value] satisfies ResultEntry });
        continue;
      } catch (err) {
        if (status === ResultStatus.CHUNK) {
          value = salvageChunk(value as ChunkOutcome);
          try {
            this.#port.postMessage({ type: 'results', batch: [id, ResultStatus.CHUNK, value] satisfies ResultEntry });
            continue;
          } catch {
            // fall through to the plain error
          }
        }
        const failure = new EncodingError(`The task's result could not be sent to the parent: ${describeError(err)}`, { cause: err });
        this.#port.postMessage({ type: 'results', batch: [id, ResultStatus.ERROR, encodeError(failure)] satisfies ResultEntry });
      }
    }
  }
}

/** A chunk whose outcome cannot be cloned: the items that cannot be become `EncodingError`s, the rest are kept. */
function salvageChunk(outcome: ChunkOutcome): ChunkOutcome {
  const errors: Record<number, EncodedError> = { ...outcome.errors };
  // A packed chunk (numbers) always clones; only a list of values can hold one that does not.
  const values = Array.from(outcome.values as ArrayLike<unknown>, (v, i) => {
    try {
      structuredClone(v);
      return v;
    } catch (err) {
      errors[i] = encodeError(new EncodingError(`The task's result could not be sent to the parent: ${describeError(err)}`, { cause: err }));
      return undefined;
    }
  });
  return { values, errors };
}

function describeError(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
