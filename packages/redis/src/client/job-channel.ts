/**
 * A Redis context's one line to its worker hosts: the BullMQ queue jobs are
 * added to, the queue's event stream their ends are read from (one reader for
 * every pool of the context, routed by job id, never a listener per job), and
 * the abort channel. It also finds the jobs Redis itself lost (a restart
 * without persistence) so that no result stays pending. Contexts of one
 * process on the same server and prefix share one channel
 * ({@link JobChannel.shared}): an events reader per context would read every
 * event once per context.
 */
import { randomUUID } from 'node:crypto';
import { Queue, QueueEvents } from 'bullmq';
import type { Redis } from 'ioredis';
import { decodeOutcome, type JobData, type JobOutcome } from '../job-data.js';
import { abortChannel, openRedis, QUEUE_NAME, type RedisConnection } from '../names.js';

/** Who is waiting for a job: the remote worker that sent it, told of its end. */
export interface JobListener {
  /** The context it belongs to (closing a context fails its jobs only). */
  readonly owner: object;
  /** The job ended: its outcome, as the host returned it. */
  settled(task: number, outcome: JobOutcome): void;
  /** The job's run was lost (its host vanished, or Redis lost the job): `how` says which. */
  lost(task: number, how: string): void;
}

interface Route {
  readonly listener: JobListener;
  readonly task: number;
}

/** A job to add: for which task, with what data. */
export interface OutgoingJob {
  readonly task: number;
  readonly data: JobData;
}

/** The connections of a channel, opened at its first job. */
interface Line {
  readonly queue: Queue;
  readonly events: QueueEvents;
  readonly queueConnection: Redis;
  readonly eventsConnection: Redis;
  /** Settles once the events reader is connected and knows where the stream ends. */
  readonly started: Promise<void>;
}

// Channels by server and prefix, shared by the contexts of this process.
const channels = new Map<string, JobChannel>();

export class JobChannel {
  /**
   * The channel for `connection` and `prefix`, shared with other contexts on
   * the same ones, for `owner` until {@link release}. Connection options that
   * do not serialize (functions in them) get a channel of their own.
   */
  static shared(connection: RedisConnection, prefix: string, owner: object): JobChannel {
    let key: string | undefined;
    try {
      key = `${prefix}\n${typeof connection === 'string' ? connection : JSON.stringify(connection)}`;
    } catch {
      key = undefined;
    }
    let channel = key === undefined ? undefined : channels.get(key);
    if (channel === undefined) {
      channel = new JobChannel(connection, prefix, key);
      if (key !== undefined) channels.set(key, channel);
    }
    channel.#owners.add(owner);
    return channel;
  }

  readonly #key: string | undefined;
  readonly #owners = new Set<object>();
  readonly #connection: RedisConnection;
  readonly #prefix: string;
  readonly #abortChannel: string;
  readonly #id = randomUUID().slice(0, 8);
  readonly #routes = new Map<string, Route>();
  #line: Line | undefined;
  #seq = 0;
  #closed = false;
  #wasDown = false;

  /** Opens nothing yet: a context that never runs a task never connects. */
  private constructor(connection: RedisConnection, prefix: string, key: string | undefined) {
    this.#key = key;
    this.#connection = connection;
    this.#prefix = prefix;
    this.#abortChannel = abortChannel(prefix);
  }

  #open(): Line {
    if (this.#line !== undefined) return this.#line;
    const queueConnection = openRedis(this.#connection, `multiproc-client-${this.#id}`);
    const eventsConnection = openRedis(this.#connection, `multiproc-client-${this.#id}:events`);
    // Failed commands are reported where they are awaited; an unheld 'error' event would end the process.
    queueConnection.on('error', () => {});
    eventsConnection.on('error', () => {});
    const queue = new Queue(QUEUE_NAME, { connection: queueConnection, prefix: this.#prefix });
    queue.on('error', () => {});
    const { events, started } = this.#startEvents(eventsConnection);
    // A reconnect after Redis went away: jobs it no longer has are lost, not pending forever.
    queueConnection.on('close', () => {
      this.#wasDown = true;
    });
    queueConnection.on('ready', () => {
      if (!this.#wasDown) return;
      this.#wasDown = false;
      void this.#findLostJobs();
    });
    this.#line = { queue, events, queueConnection, eventsConnection, started };
    return this.#line;
  }

  /** Reads the events stream from its current end, so no job added later can end unseen. */
  #startEvents(connection: Redis): { events: QueueEvents; started: Promise<void> } {
    const streamKey = `${this.#prefix}:${QUEUE_NAME}:events`;
    const events = new QueueEvents(QUEUE_NAME, { connection, prefix: this.#prefix, autorun: false });
    events.on('error', () => {});
    events.on('completed', ({ jobId, returnvalue }: { jobId: string; returnvalue: unknown }) => {
      const route = this.#take(jobId);
      if (route !== undefined) route.listener.settled(route.task, decodeOutcome(returnvalue));
    });
    events.on('failed', ({ jobId, failedReason }: { jobId: string; failedReason: string }) => {
      const route = this.#take(jobId);
      if (route === undefined) return;
      route.listener.lost(route.task, /stalled/i.test(failedReason) ? `The worker host running it stopped renewing its lock (${failedReason})` : failedReason);
    });
    const started = connection.xrevrange(streamKey, '+', '-', 'COUNT', 1).then((last) => {
      (events.opts as { lastEventId?: string }).lastEventId = last.length > 0 ? last[0][0] : '0-0';
      if (!this.#closed) void events.run().catch(() => {});
    });
    return { events, started };
  }

  /** Adds jobs for `listener`'s tasks; returns their job ids in order. */
  add(listener: JobListener, jobs: readonly OutgoingJob[]): string[] {
    const line = this.#open();
    const ids: string[] = [];
    const bulk: { name: string; data: JobData; opts: { jobId: string; removeOnComplete: boolean; removeOnFail: boolean; attempts: number } }[] = [];
    for (const job of jobs) {
      const jobId = `${this.#id}-${++this.#seq}`;
      ids.push(jobId);
      this.#routes.set(jobId, { listener, task: job.task });
      bulk.push({ name: job.data.n, data: job.data, opts: { jobId, removeOnComplete: true, removeOnFail: true, attempts: 1 } });
    }
    line.started
      .then(() => line.queue.addBulk(bulk))
      .catch((err: unknown) => {
        for (const id of ids) {
          const route = this.#take(id);
          if (route !== undefined) route.listener.lost(route.task, `The job could not be added to Redis: ${err instanceof Error ? err.message : String(err)}`);
        }
      });
    return ids;
  }

  /**
   * Stops a job: removed if no host took it yet (true), else its host is asked
   * to abort it and its end still arrives (false).
   */
  async cancel(jobId: string): Promise<boolean> {
    const line = this.#open();
    await line.started;
    const removed = await line.queue.remove(jobId).catch(() => 0);
    if (removed === 1) {
      this.#routes.delete(jobId);
      return true;
    }
    await line.queueConnection.publish(this.#abortChannel, jobId).catch(() => {});
    return false;
  }

  /** Stops listening for a job (its worker is gone) and asks its host to stop it. */
  drop(jobId: string): void {
    if (this.#routes.delete(jobId)) void this.cancel(jobId).catch(() => {});
  }

  #take(jobId: string): Route | undefined {
    const route = this.#routes.get(jobId);
    if (route !== undefined) this.#routes.delete(jobId);
    return route;
  }

  /** After a reconnect: every awaited job Redis no longer knows was lost with its data. */
  async #findLostJobs(): Promise<void> {
    const line = this.#line;
    if (line === undefined) return;
    for (const jobId of [...this.#routes.keys()]) {
      const state = await line.queue.getJobState(jobId).catch(() => 'error');
      if (state !== 'unknown') continue;
      const route = this.#take(jobId);
      route?.listener.lost(route.task, 'Redis lost the job (it restarted without persistence)');
    }
  }

  /**
   * `owner` is done with the channel: the jobs it still awaits are lost; the
   * last owner's release closes the queue, the events reader and their connections.
   */
  async release(owner: object): Promise<void> {
    if (!this.#owners.delete(owner)) return;
    for (const [jobId, route] of [...this.#routes]) {
      if (route.listener.owner !== owner) continue;
      this.#routes.delete(jobId);
      route.listener.lost(route.task, 'The Redis context was closed');
    }
    if (this.#owners.size > 0) return;
    this.#closed = true;
    if (this.#key !== undefined && channels.get(this.#key) === this) channels.delete(this.#key);
    const line = this.#line;
    if (line === undefined) return;
    await Promise.allSettled([line.events.close(), line.queue.close()]);
    line.queueConnection.disconnect();
    line.eventsConnection.disconnect();
  }
}
