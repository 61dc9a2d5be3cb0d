/**
 * The pool's dispatch policy, as plain functions of what the scheduler
 * knows: which queued tasks go to which ready worker, how deep tasks are sent
 * ahead, which workers are asked to hand unstarted tasks back, and the
 * service-time estimate that sizes all of it. No timers, no messages: the
 * scheduler (mechanism) acts on what these return, and tests call them with
 * plain objects.
 *
 * Rules (DESIGN.md, Pool): an idle ready worker always gets the next task
 * first. Only when no worker is idle or starting are tasks sent ahead, up to
 * a share of the queue, so two tasks that wait for each other never share a
 * worker while another is free. Tasks with a `timeout` are never sent ahead,
 * so their clock starts when they start.
 */
import type { Deque } from '../util/deque.js';
import { QUEUED } from './task.js';

/** Most tasks one worker holds at once (running + sent ahead). */
export const MAX_AHEAD = 256;
/** Send ahead only about this much work (ms), so a long task strands little behind it. */
export const AHEAD_BUDGET_MS = 2;
/** A worker holding tasks sent ahead that has not reported for this long (ms) is asked for them back. */
export const RECALL_AFTER_MS = AHEAD_BUDGET_MS * 2;

/** What dispatch reads of a queued task. */
export interface QueuedTask {
  readonly state: number;
  readonly timeout: number | undefined;
  readonly transfer?: readonly unknown[] | undefined;
}

/** What dispatch reads of a worker. */
export interface DispatchTarget {
  readonly state: 'starting' | 'ready' | 'closing' | 'exited';
  /** Tasks it holds (running + sent ahead). */
  readonly held: number;
  /** Tasks sent to it in its life. */
  readonly assigned: number;
  /** It handed tasks back: nothing goes ahead to it until it reports a result. */
  readonly aheadHeld: boolean;
  /** A recall was sent and not yet answered. */
  readonly recalling: boolean;
  /** When it last went busy or reported results. */
  readonly mark: number;
}

/**
 * Smoothed time per task (ms) as the parent sees it: from a worker going busy
 * or reporting to its next report, divided by the tasks reported. Unknown
 * until results arrive, and then tasks count as slow (nothing is sent ahead).
 *
 * @example
 * ```ts
 * const service = new ServiceTime();
 * service.record(10, 100); // 100 tasks in 10 ms
 * service.aheadDepth();    // 20: about 2 ms of work per worker
 * ```
 */
export class ServiceTime {
  #ms = Infinity;

  /** The current estimate (ms per task); `Infinity` before any result. */
  get ms(): number {
    return this.#ms;
  }

  /** `ran` tasks reported `elapsed` ms after the worker's previous mark. */
  record(elapsed: number, ran: number): void {
    const perTask = elapsed / ran;
    this.#ms = this.#ms === Infinity ? perTask : this.#ms * 0.7 + perTask * 0.3;
  }

  /** Most tasks one worker may hold: about `AHEAD_BUDGET_MS` of work, at most `MAX_AHEAD`; 1 or less sends nothing ahead. */
  aheadDepth(): number {
    return Math.min(MAX_AHEAD, Math.floor(AHEAD_BUDGET_MS / this.#ms));
  }
}

/**
 * The workers that may take a task now: ready, and under `maxTasksPerChild`.
 *
 * @example
 * ```ts
 * const ready = readyTargets(hosts, options.maxTasksPerChild);
 * ```
 */
export function readyTargets<H extends DispatchTarget>(hosts: readonly H[], maxTasksPerChild: number | undefined): H[] {
  const ready: H[] = [];
  for (const h of hosts) if (h.state === 'ready' && (maxTasksPerChild === undefined || h.assigned < maxTasksPerChild)) ready.push(h);
  return ready;
}

/** Whether any worker is still starting (nothing is sent ahead while one is: it will want tasks). */
export function anyStarting(hosts: readonly DispatchTarget[]): boolean {
  for (const h of hosts) if (h.state === 'starting') return true;
  return false;
}

/**
 * Takes tasks off `queue` for the `ready` workers: one each for the idle ones
 * first, then, when `depth` > 1, up to a fair share of what is left ahead of
 * time (never past `depth` held, `maxTasksPerChild` assigned, or a task with
 * a timeout). Pass `depth` 0 while a worker is starting. Tasks no longer
 * queued (cancelled, dropped) are discarded on the way. Returns one batch per
 * ready worker, index for index; undefined or empty means nothing for it.
 *
 * @example
 * ```ts
 * const batches = planBatches(queue, ready, anyStarting(hosts) ? 0 : service.aheadDepth(), max);
 * ```
 */
export function planBatches<T extends QueuedTask>(queue: Deque<T>, ready: readonly DispatchTarget[], depth: number, maxTasksPerChild: number | undefined): (T[] | undefined)[] {
  const batches: (T[] | undefined)[] = new Array(ready.length);
  // Idle workers first, one task each.
  for (let i = 0; i < ready.length; i++) {
    if (ready[i].held !== 0) continue;
    const t = nextLive(queue, false);
    if (t === undefined) break;
    batches[i] = [t];
  }
  // Then ahead of time, only when nobody is idle or starting, and only as much as the
  // measured task time says is a couple of milliseconds of work.
  if (queue.length > 0 && depth > 1) {
    const share = Math.min(depth, Math.ceil(queue.length / ready.length) + 1);
    for (let i = 0; i < ready.length && queue.length > 0; i++) {
      const h = ready[i];
      if (h.aheadHeld && h.held !== 0) continue;
      const batch = (batches[i] ??= []);
      let room = share - h.held - batch.length;
      if (maxTasksPerChild !== undefined) room = Math.min(room, maxTasksPerChild - h.assigned - batch.length);
      while (room-- > 0) {
        const t = nextLive(queue, true);
        if (t === undefined) break;
        batch.push(t);
      }
    }
  }
  return batches;
}

/** Next task still waiting; with `ahead`, stops at a task that must not be sent ahead. */
export function nextLive<T extends QueuedTask>(queue: Deque<T>, ahead: boolean): T | undefined {
  while (queue.length > 0) {
    const t = queue.peek() as T;
    if (t.state !== QUEUED) {
      queue.shift();
      continue;
    }
    // Never ahead: a timeout's clock would start while the task waits, and a transferred buffer
    // goes with the first send, so a task handed back from behind a long one could not be sent
    // again (the copy would be a detached, empty buffer).
    if (ahead && (t.timeout !== undefined || t.transfer !== undefined)) return undefined;
    return queue.shift();
  }
  return undefined;
}

/**
 * Whether to arm the recall timer: nothing is queued (the caller checks),
 * some ready worker is idle, and another holds tasks sent ahead that it is
 * not already handing back.
 *
 * @example
 * ```ts
 * if (queue.length === 0 && recallWanted(ready)) armRecallTimer();
 * ```
 */
export function recallWanted(ready: readonly DispatchTarget[]): boolean {
  let idle = false;
  let holding = false;
  for (const h of ready) {
    if (h.held === 0) idle = true;
    else if (h.held > 1 && !h.recalling) holding = true;
  }
  return idle && holding;
}

/**
 * The workers to ask for their unstarted tasks at time `now`: ready, holding
 * tasks behind the running one, not already asked, and silent for
 * `RECALL_AFTER_MS` (their current task is long).
 *
 * @example
 * ```ts
 * for (const h of pickRecalls(hosts, now())) h.recall();
 * ```
 */
export function pickRecalls<H extends DispatchTarget>(hosts: readonly H[], now: number): H[] {
  const picked: H[] = [];
  for (const h of hosts) {
    if (h.state !== 'ready' || h.recalling || h.held < 2 || now - h.mark < RECALL_AFTER_MS) continue;
    picked.push(h);
  }
  return picked;
}
