/**
 * Shape checks for the messages each side receives. A worker's channel also
 * carries whatever its task code posts on it (`parentPort.postMessage`,
 * `process.send`, `self.postMessage`), so nothing that arrives is trusted:
 * one cheap check per message (typeof, Array.isArray; no allocation) decides
 * whether it is the protocol's before any field is read.
 */
import { RESULT_STRIDE, ResultSlot, TASK_STRIDE } from './batch.js';
import { ResultStatus, type ParentMessage, type WorkerMessage } from './messages.js';

// The results layout as this module's own constants: V8 folds these into the per-result loop (an imported binding costs a load per read).
const { ID: RESULT_ID, STATUS: RESULT_STATUS, VALUE: RESULT_VALUE } = ResultSlot;
const RESULT_STEP = RESULT_STRIDE;

/**
 * Returns undefined when `data` is a well-formed worker → parent message,
 * else what is wrong with it (for the report).
 */
export function checkWorkerMessage(data: unknown): string | undefined {
  if (typeof data !== 'object' || data === null) return 'not an object';
  const msg = data as WorkerMessage;
  switch (msg.type) {
    case 'results':
      return checkResults(msg.batch);
    case 'sync':
      return typeof msg.req === 'number' &&
        typeof msg.prim === 'string' &&
        typeof msg.op === 'string' &&
        Array.isArray(msg.args) &&
        typeof msg.owner === 'number' &&
        typeof msg.task === 'number'
        ? undefined
        : 'a sync message of the wrong shape';
    case 'ready':
      return msg.error === undefined || isObject(msg.error) ? undefined : 'a ready message whose error is not an encoded error';
    case 'exit':
      if (!Number.isInteger(msg.code)) return 'an exit message without an integer code';
      return msg.error === undefined || isObject(msg.error) ? undefined : 'an exit message whose error is not an encoded error';
    default:
      return 'an unknown message type';
  }
}

/** Flat `[id, status, value, ...]`: numbers for ids, known statuses, objects where an error or chunk is due. */
function checkResults(batch: unknown): string | undefined {
  if (!Array.isArray(batch) || batch.length % RESULT_STEP !== 0) return 'a results batch that is not a flat list of triples';
  for (let i = 0; i < batch.length; i += RESULT_STEP) {
    if (typeof batch[i + RESULT_ID] !== 'number') return 'a result without a numeric task id';
    const status = batch[i + RESULT_STATUS] as number;
    if (status === ResultStatus.OK || status === ResultStatus.SKIPPED || status === ResultStatus.RECALLED) continue;
    if (status === ResultStatus.ERROR || status === ResultStatus.LOST) {
      if (!isObject(batch[i + RESULT_VALUE])) return 'an error result that is not an encoded error';
      continue;
    }
    if (status === ResultStatus.CHUNK) {
      const chunk = batch[i + RESULT_VALUE] as { values?: unknown; errors?: unknown } | null;
      if (!isObject(chunk) || !(Array.isArray(chunk.values) || chunk.values instanceof Float64Array) || (chunk.errors !== undefined && !isObject(chunk.errors))) return 'a chunk result of the wrong shape';
      continue;
    }
    return 'a result with an unknown status';
  }
  return undefined;
}

/**
 * Returns undefined when `data` is a well-formed parent → worker message,
 * else what is wrong with it.
 */
export function checkParentMessage(data: unknown): string | undefined {
  if (typeof data !== 'object' || data === null) return 'not an object';
  const msg = data as ParentMessage;
  switch (msg.type) {
    case 'tasks':
      return Array.isArray(msg.batch) && msg.batch.length % TASK_STRIDE === 0 ? undefined : 'a tasks batch that is not a flat list of quadruples';
    case 'abort':
      return typeof msg.id === 'number' ? undefined : 'an abort without a numeric id';
    case 'recall':
    case 'close':
      return undefined;
    case 'init':
      return typeof msg.identity === 'object' && msg.identity !== null && Array.isArray(msg.args) && Array.isArray(msg.initargs) ? undefined : 'an init message of the wrong shape';
    case 'sync-reply':
      return typeof msg.req === 'number' ? undefined : 'a sync reply without a numeric req';
    default:
      return 'an unknown message type';
  }
}

function isObject(value: unknown): value is object {
  return typeof value === 'object' && value !== null;
}

/** A short, safe rendering of a message that arrived, for the report of a malformed one. */
export function previewMessage(data: unknown): string {
  try {
    const text = JSON.stringify(data);
    if (text !== undefined) return text.length > 120 ? `${text.slice(0, 120)}…` : text;
  } catch {
    // a cycle or a BigInt: fall through
  }
  return typeof data;
}
