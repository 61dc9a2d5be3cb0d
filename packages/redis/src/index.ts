/**
 * @multiproc/redis: the same API across machines, on BullMQ and Redis.
 * `redisContext()` gives `Pool`, `Process` and `ThreadPoolExecutor` bound to
 * a Redis server; `startWorkerHost()` (and the `multiproc-worker` bin) runs
 * their tasks on a machine. The errors, `wait`/`asCompleted`, `registerError`
 * and the types are core's, re-exported so one import serves.
 */
export { redisContext } from './redis-context.js';
export type { RedisContext, RedisContextOptions } from './redis-context.js';
export { startWorkerHost } from './host/start-worker-host.js';
export type { WorkerHost, WorkerHostOptions } from './host/start-worker-host.js';
export type { RedisConnection } from './names.js';
export {
  AsyncResult,
  Future,
  wait,
  asCompleted,
  registerError,
  currentProcess,
  taskSignal,
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
  StateError,
  ProtocolError,
  RemoteError,
} from '@multiproc/core';
export type { Pool, Process, Executor, TaskName, TaskArgs, TaskResult, Waitable, Completed } from '@multiproc/core';
