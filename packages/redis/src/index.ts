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
export { RedisLock, DEFAULT_LEASE_MS } from './sync/lock.js';
export type { RedisLockOptions } from './sync/lock.js';
export { RedisEvent } from './sync/event.js';
export { RedisSemaphore, RedisBoundedSemaphore } from './sync/semaphore.js';
export { RedisRLock } from './sync/rlock.js';
export { RedisCondition } from './sync/condition.js';
export { RedisBarrier } from './sync/barrier.js';
export type { RedisBarrierOptions } from './sync/barrier.js';
export { RedisQueue, RedisSimpleQueue, RedisJoinableQueue } from './sync/queue.js';
export { RedisValue } from './sync/value.js';
export {
  AsyncResult,
  Future,
  wait,
  asCompleted,
  registerError,
  currentProcess,
  parentProcess,
  activeChildren,
  isMainProcess,
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
  QueueEmptyError,
  QueueFullError,
  BrokenBarrierError,
  StateError,
  BootstrapError,
  EOFError,
  ProtocolError,
  RemoteError,
} from '@multiproc/core';
export type { Pool, Process, Executor, Pid, TaskName, TaskArgs, TaskResult, Waitable, Completed } from '@multiproc/core';
