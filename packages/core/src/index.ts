/**
 * @multiproc/core: Python's multiprocessing model, runtime-agnostic. Users
 * import a runtime package (`@multiproc/node`, `@multiproc/browser`), which
 * re-exports all of this with its adapter filled in. Adapter authors use the
 * implementor API at the end of this list.
 */

// --- public API ---
export { Pool } from './pool/pool.js';
export type { DurationSummary } from './pool/time-summary.js';
export type { PoolOptions, ApplyOptions, ApplyAsyncOptions, BroadcastOptions, PoolStats, MapOptions, MapAsyncOptions, ImapOptions, PoolState } from './pool/pool-options.js';
export { AsyncResult } from './pool/async-result.js';
export type { WaitOptions, ResultCallback, ErrorCallback } from './pool/async-result.js';
export type { ImapIterator } from './pool/imap-job.js';
export { wait } from './futures/wait.js';
export type { ReturnWhen, WaitForOptions, WaitOutcome } from './futures/wait.js';
export { asCompleted } from './futures/as-completed.js';
export type { AsCompletedOptions, Completed } from './futures/as-completed.js';
export type { Waitable } from './futures/waitable.js';
export { Executor } from './futures/executor.js';
export type { ExecutorOptions, ExecutorMapOptions, SubmitOptions, ShutdownOptions } from './futures/executor.js';
export { Future } from './futures/future.js';
export type { FutureWaitOptions } from './futures/future.js';
export type { ProgressCallback } from './pool/map-job.js';
export { Process, activeChildren } from './process/process.js';
export type { ProcessOptions, ProcessOptionsFor } from './process/process.js';
export { currentProcess, parentProcess, isMainProcess, taskSignal, exit } from './worker-scope.js';
export type { ProcessInfo } from './worker-scope.js';
export { cpuCount } from './cpu-count.js';
export { transfer, isTransfer } from './transfer.js';
export type { Transfer, TransferableValue } from './transfer.js';
export { registerError } from './protocol/error-codec.js';
export { Lock } from './sync/lock.js';
export type { HeldLock } from './sync/lock.js';
export { RLock } from './sync/rlock.js';
export { Semaphore, BoundedSemaphore } from './sync/semaphore.js';
export { Event } from './sync/event.js';
export { Condition } from './sync/condition.js';
export { Barrier } from './sync/barrier.js';
export type { BarrierOptions } from './sync/barrier.js';
export { Queue } from './sync/queue.js';
export type { PutOptions } from './sync/queue.js';
export { JoinableQueue } from './sync/joinable-queue.js';
export { SimpleQueue } from './sync/simple-queue.js';
export { Value } from './sync/value.js';
export type { SharedValueOptions } from './sync/value.js';
export { SharedArray } from './sync/shared-array.js';
export type { ValueType, ValueOf, TypedArrayOf } from './sync/value-types.js';
export { VALUE_TYPES, checkType as checkValueType, checkElement as checkValueElement } from './sync/value-types.js';
export { Pipe, Connection } from './sync/pipe.js';
export {
  MultiprocError,
  isMultiprocError,
  TimeoutError,
  PoolClosedError,
  BrokenPoolError,
  NotReadyError,
  WorkerExitedError,
  EncodingError,
  UnknownTaskError,
  AbortError,
  CancelledError,
  QueueEmptyError,
  QueueFullError,
  BrokenBarrierError,
  StateError,
  BootstrapError,
  EOFError,
  ProtocolError,
  RemoteError,
} from './errors.js';
export type { MultiprocErrorOptions, WorkerExitedErrorOptions, RemoteErrorOptions, EncodingErrorOptions, EncodingErrorCode } from './errors.js';
export type { TaskModule, TaskFunction, TaskName, TaskArgs, TaskResult, MapItem, AnyIterable, UntypedModule, Pid } from './types.js';
export type { SourceInput } from './util/source.js';

// --- implementor API (adapters) ---
export { defineAdapter, forceBrokeredSync } from './adapter.js';
export type { RuntimeAdapter, AdapterCapabilities, WorkerHandle, WorkerSink, WorkerPort, WorkerSource, SpawnOptions, ExitInfo } from './adapter.js';
export { defineExpose, defineRuntime } from './define-runtime.js';
export type { RuntimeSpec, Runtime, RuntimeContext, RuntimePool, RuntimeProcess, RuntimePoolOptions, RuntimeProcessOptions, RuntimeExecutor, RuntimeExecutorOptions, NoProcessPoolExecutor } from './define-runtime.js';
export { serve } from './protocol/serve.js';
export { postRawToParent } from './worker-scope.js';
export type { ServeOptions } from './protocol/serve.js';
export { PROTOCOL_VERSION, ResultStatus, TaskKind } from './protocol/messages.js';
export type { InitMessage, ParentMessage, WorkerMessage, ChunkOutcome, ProcessIdentity } from './protocol/messages.js';
export { TASK_STRIDE, TaskSlot, RESULT_STRIDE, ResultSlot, pushResult } from './protocol/batch.js';
export { encodeError, decodeError } from './protocol/error-codec.js';
export type { EncodedError } from './protocol/error-codec.js';
export { encodeValueText, decodeValueText } from './sync/shared-memory/value-bytes.js';
export { checkOptions, optionKeys } from './util/validate.js';
export type { OptionKeys } from './util/validate.js';
