// The pool's dispatch policy (src/pool/dispatch.ts) as plain functions over
// plain objects: which queued task goes to which ready worker, how far ahead,
// whom to ask for unstarted tasks back, and the service-time estimate that
// sizes sending ahead. No workers, no timers.
import { describe, expect, it } from 'vitest';
import {
  AHEAD_BUDGET_MS,
  anyStarting,
  MAX_AHEAD,
  nextLive,
  pickRecalls,
  planBatches,
  readyTargets,
  recallWanted,
  RECALL_AFTER_MS,
  ServiceTime,
  type DispatchTarget,
} from '../src/pool/dispatch.js';
import { DONE, QUEUED, SENT } from '../src/pool/task.js';
import { Deque } from '../src/util/deque.js';

interface FakeTask {
  id: number;
  state: number;
  timeout: number | undefined;
}

function queueOf(n: number, timeouts: Record<number, number> = {}): Deque<FakeTask> {
  const q = new Deque<FakeTask>();
  for (let id = 1; id <= n; id++) q.push({ id, state: QUEUED, timeout: timeouts[id] });
  return q;
}

function worker(over: Partial<DispatchTarget> = {}): DispatchTarget {
  return { state: 'ready', held: 0, assigned: 0, aheadHeld: false, recalling: false, mark: 0, ...over };
}

const ids = (batch: FakeTask[] | undefined): number[] => (batch ?? []).map((t) => t.id);

describe('dispatch: which task goes to which worker', () => {
  it('gives each idle worker one task, in queue order, and sends nothing ahead while the service time says no', () => {
    const q = queueOf(5);
    const batches = planBatches(q, [worker(), worker(), worker()], 1, undefined);
    expect(Array.from(batches, ids)).toEqual([[1], [2], [3]]);
    expect(q.length).toBe(2);
  });

  it('gives a busy worker nothing while another worker is idle and tasks run out', () => {
    const q = queueOf(1);
    const batches = planBatches(q, [worker({ held: 1 }), worker()], 1, undefined);
    expect(Array.from(batches, ids)).toEqual([[], [1]]);
  });

  it('skips tasks that were cancelled or dropped while queued', () => {
    const q = queueOf(4);
    (q.at(0) as FakeTask).state = DONE;
    (q.at(2) as FakeTask).state = SENT;
    expect(nextLive(q, false)?.id).toBe(2);
    expect(nextLive(q, false)?.id).toBe(4);
    expect(nextLive(q, false)).toBeUndefined();
    expect(q.length).toBe(0);
  });

  it('only the ready workers under maxTasksPerChild may take tasks; a starting one is noticed', () => {
    const hosts = [worker(), worker({ state: 'starting' }), worker({ assigned: 3 }), worker({ state: 'closing' }), worker({ assigned: 2 })];
    expect(readyTargets(hosts, 3)).toEqual([hosts[0], hosts[4]]);
    expect(readyTargets(hosts, undefined)).toEqual([hosts[0], hosts[2], hosts[4]]);
    expect(anyStarting(hosts)).toBe(true);
    expect(anyStarting([hosts[0], hosts[2]])).toBe(false);
  });
});

describe('dispatch: sending ahead', () => {
  it('fills busy workers up to a fair share of the queue, never past the depth', () => {
    // 10 queued, 2 busy workers holding 1 each: share = min(depth, ceil(10 / 2) + 1) = 6 held each.
    let q = queueOf(10);
    let batches = planBatches(q, [worker({ held: 1 }), worker({ held: 1 })], 100, undefined);
    expect(Array.from(batches, ids)).toEqual([[1, 2, 3, 4, 5], [6, 7, 8, 9, 10]]);
    // The depth caps it: at most 3 held each.
    q = queueOf(10);
    batches = planBatches(q, [worker({ held: 1 }), worker({ held: 1 })], 3, undefined);
    expect(Array.from(batches, ids)).toEqual([[1, 2], [3, 4]]);
    expect(q.length).toBe(6);
  });

  it('an idle worker gets its one task first, then tops up ahead like the others', () => {
    const q = queueOf(6);
    const batches = planBatches(q, [worker({ held: 2 }), worker()], 3, undefined);
    // Idle first: task 1 to worker 1. Then share = min(3, ceil(5 / 2) + 1) = 3: worker 0 gets 1 more, worker 1 two more.
    expect(Array.from(batches, ids)).toEqual([[2], [1, 3, 4]]);
  });

  it('sends nothing ahead at depth 1 or less (unknown or slow tasks, or a worker starting)', () => {
    for (const depth of [0, 1]) {
      const q = queueOf(4);
      const batches = planBatches(q, [worker({ held: 1 }), worker({ held: 1 })], depth, undefined);
      expect(Array.from(batches, ids)).toEqual([[], []]);
      expect(q.length).toBe(4);
    }
  });

  it('never sends a task with a timeout ahead (its clock starts when it starts), but an idle worker takes it', () => {
    let q = queueOf(4, { 2: 1000 });
    let batches = planBatches(q, [worker({ held: 1 })], 10, undefined);
    expect(Array.from(batches, ids)).toEqual([[1]]);
    expect((q.peek() as FakeTask).id).toBe(2);
    q = queueOf(4, { 1: 1000 });
    batches = planBatches(q, [worker()], 10, undefined);
    expect(ids(batches[0])[0]).toBe(1);
    expect(ids(batches[0])).toEqual([1, 2, 3, 4]);
  });

  it('never sends a task with transferred buffers ahead (handed back, it could not be sent again), but an idle worker takes it', () => {
    const q = queueOf(4);
    (q.at(1) as FakeTask & { transfer?: unknown[] }).transfer = [new ArrayBuffer(8)];
    let batches = planBatches(q, [worker({ held: 1 })], 10, undefined);
    expect(Array.from(batches, ids)).toEqual([[1]]);
    expect((q.peek() as FakeTask).id).toBe(2);
    batches = planBatches(q, [worker()], 10, undefined);
    expect(ids(batches[0])).toEqual([2, 3, 4]);
  });

  it('sends nothing ahead to a worker that handed tasks back until it reports, but an idle one still gets a task', () => {
    let q = queueOf(6);
    let batches = planBatches(q, [worker({ held: 1, aheadHeld: true }), worker({ held: 1 })], 10, undefined);
    expect(ids(batches[0])).toEqual([]);
    expect(ids(batches[1]).length).toBeGreaterThan(0);
    q = queueOf(6);
    batches = planBatches(q, [worker({ aheadHeld: true })], 10, undefined);
    expect(ids(batches[0])[0]).toBe(1);
  });

  it('never assigns a worker more than maxTasksPerChild in its life', () => {
    const q = queueOf(10);
    const batches = planBatches(q, [worker({ held: 1, assigned: 2 }), worker({ assigned: 1 })], 100, 3);
    expect(Array.from(batches, ids)).toEqual([[2], [1, 3]]);
  });
});

describe('dispatch: recall', () => {
  it('wants a recall only when one ready worker is idle and another holds tasks behind its running one', () => {
    expect(recallWanted([worker(), worker({ held: 2 })])).toBe(true);
    expect(recallWanted([worker(), worker({ held: 1 })])).toBe(false);
    expect(recallWanted([worker({ held: 1 }), worker({ held: 3 })])).toBe(false);
    expect(recallWanted([worker(), worker({ held: 3, recalling: true })])).toBe(false);
    expect(recallWanted([worker({ held: 3 })])).toBe(false);
  });

  it('recalls from ready workers holding two or more that have been silent for RECALL_AFTER_MS, once', () => {
    const t = 1000;
    const silent = worker({ held: 3, mark: t - RECALL_AFTER_MS });
    const recent = worker({ held: 3, mark: t - RECALL_AFTER_MS + 0.5 });
    const asked = worker({ held: 3, mark: 0, recalling: true });
    const single = worker({ held: 1, mark: 0 });
    const closing = worker({ state: 'closing', held: 3, mark: 0 });
    expect(pickRecalls([silent, recent, asked, single, closing], t)).toEqual([silent]);
    expect(RECALL_AFTER_MS).toBe(AHEAD_BUDGET_MS * 2);
  });
});

describe('dispatch: the service-time estimate', () => {
  it('is unknown before any result, and then nothing is sent ahead', () => {
    const s = new ServiceTime();
    expect(s.ms).toBe(Infinity);
    expect(s.aheadDepth()).toBe(0);
  });

  it('takes the first measurement as is, then smooths 0.7 old / 0.3 new', () => {
    const s = new ServiceTime();
    s.record(10, 100);
    expect(s.ms).toBeCloseTo(0.1);
    s.record(1, 1);
    expect(s.ms).toBeCloseTo(0.1 * 0.7 + 1 * 0.3);
  });

  it('sends about AHEAD_BUDGET_MS of work ahead, at most MAX_AHEAD', () => {
    const s = new ServiceTime();
    s.record(1, 4); // 0.25 ms a task
    expect(s.aheadDepth()).toBe(Math.floor(AHEAD_BUDGET_MS / 0.25));
    const fast = new ServiceTime();
    fast.record(1, 1_000_000);
    expect(fast.aheadDepth()).toBe(MAX_AHEAD);
    const slow = new ServiceTime();
    slow.record(5, 1);
    expect(slow.aheadDepth()).toBe(0);
  });
});
