// The pool's engine (src/pool/scheduler.ts with the real WorkerHost) against
// scripted workers: the test plays each worker's side of the protocol by hand
// (ready, results, recalled tasks) and moves a fake clock, so dispatch,
// sending ahead, recall and the service-time estimate are checked exactly,
// without depending on how fast real workers are.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { RuntimeAdapter, WorkerSink } from '../src/adapter.js';
import { PROTOCOL_VERSION, ResultStatus, RunningWord, TaskKind } from '../src/protocol/messages.js';
import { RECALL_AFTER_MS } from '../src/pool/dispatch.js';
import { NO_TASK_OPTIONS } from '../src/pool/pool-options.js';
import { Scheduler } from '../src/pool/scheduler.js';
import type { Task, TaskSink } from '../src/pool/task.js';

interface ScriptedWorker {
  readonly pid: number;
  readonly sink: WorkerSink;
  /** Every message the parent posted to it, in order. */
  readonly posted: { type: string; batch?: unknown[]; running?: Int32Array }[];
}

function scriptedAdapter(sharedMemory = false) {
  const workers: ScriptedWorker[] = [];
  const adapter: RuntimeAdapter = {
    name: 'scripted',
    capabilities: { sharedMemory, transfer: false, isolatedGlobals: true, processes: false },
    cpuCount: () => 2,
    spawn(_options, sink) {
      const w: ScriptedWorker = { pid: 1000 + workers.length, sink, posted: [] };
      workers.push(w);
      return {
        pid: w.pid,
        postMessage: (m) => void w.posted.push(m as ScriptedWorker['posted'][number]),
        terminate: () => queueMicrotask(() => sink.exit({ code: 1, signal: null })),
      };
    },
  };
  return { adapter, workers };
}

/** The task ids of each `tasks` message a worker was sent, one array per message. */
function batchesSent(w: ScriptedWorker): number[][] {
  return w.posted.filter((m) => m.type === 'tasks').map((m) => (m.batch as unknown[]).filter((_, i) => i % 4 === 0) as number[]);
}

const sentIds = (w: ScriptedWorker): number[] => batchesSent(w).flat();

/** The worker reports results: `[id, status, value]` each. */
function report(w: ScriptedWorker, ...results: [number, number, unknown][]): void {
  w.sink.message({ type: 'results', batch: results.flat() });
}

const ok = (id: number): [number, number, unknown] => [id, ResultStatus.OK, id * 10];
const recalled = (id: number): [number, number, unknown] => [id, ResultStatus.RECALLED, undefined];

/** Lets the scheduler's queued dispatch (a microtask) run. */
async function settle(): Promise<void> {
  for (let i = 0; i < 5; i++) await Promise.resolve();
}

function setup(processes: number, sharedMemory = false) {
  const { adapter, workers } = scriptedAdapter(sharedMemory);
  const s = new Scheduler({
    adapter,
    source: { kind: 'module', url: 'file:///tasks.js' },
    processes,
    initializer: null,
    initargs: [],
    maxTasksPerChild: undefined,
    spawnExtra: undefined,
  });
  const done = new Map<number, unknown>();
  const failed = new Map<number, unknown>();
  const sink: TaskSink = {
    taskDone: (task: Task, value: unknown) => {
      expect(done.has(task.id) || failed.has(task.id)).toBe(false);
      done.set(task.id, value);
    },
    taskFailed: (task: Task, error: unknown) => {
      expect(done.has(task.id) || failed.has(task.id)).toBe(false);
      failed.set(task.id, error);
    },
  };
  const submit = (n: number): number[] => {
    const ids: number[] = [];
    for (let i = 0; i < n; i++) {
      const task = s.createTask('t', TaskKind.APPLY, [], sink, 0, NO_TASK_OPTIONS);
      s.submit(task);
      ids.push(task.id);
    }
    return ids;
  };
  const ready = (): void => {
    for (const w of workers) w.sink.message({ type: 'ready', version: PROTOCOL_VERSION });
  };
  return { s, workers, submit, ready, done, failed };
}

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] });
});

afterEach(() => {
  vi.useRealTimers();
});

describe('scheduler: dispatch', () => {
  it('each idle worker gets one task; before any result nothing is sent ahead, the rest waits', async () => {
    const { s, workers, submit, ready, done } = setup(2);
    ready();
    const [a, b, c] = submit(3);
    await settle();
    expect(workers.map(batchesSent)).toEqual([[[a]], [[b]]]);
    vi.advanceTimersByTime(10); // slow tasks: 10 ms each
    report(workers[1], ok(b));
    expect(done.get(b)).toBe(b * 10);
    expect(batchesSent(workers[1])).toEqual([[b], [c]]);
    expect(batchesSent(workers[0])).toEqual([[a]]);
    await s.terminate();
  });

  it('tasks wait for workers that are starting, and go out when they are ready', async () => {
    const { s, workers, submit, ready } = setup(2);
    const [a, b] = submit(2);
    await settle();
    expect(workers.map(sentIds)).toEqual([[], []]);
    expect(workers.map((w) => w.posted[0].type)).toEqual(['init', 'init']);
    ready();
    expect(workers.map(sentIds)).toEqual([[a], [b]]);
    await s.terminate();
  });
});

describe('scheduler: sending ahead and the service-time estimate', () => {
  it('once tasks are measured fast, a worker gets about 2 ms of them in one message', async () => {
    const { s, workers, submit, ready, done } = setup(1);
    ready();
    const [first] = submit(1);
    await settle();
    const rest = submit(20);
    await settle();
    expect(sentIds(workers[0])).toEqual([first]); // still unmeasured: nothing ahead
    vi.advanceTimersByTime(0.5);
    report(workers[0], ok(first)); // 0.5 ms a task: depth floor(2 / 0.5) = 4
    expect(batchesSent(workers[0])).toEqual([[first], rest.slice(0, 4)]);
    vi.advanceTimersByTime(0.4);
    report(workers[0], ...rest.slice(0, 4).map(ok)); // 0.1 ms a task: 0.5 * 0.7 + 0.1 * 0.3 = 0.38 ms, depth 5
    expect(batchesSent(workers[0]).at(-1)).toEqual(rest.slice(4, 9));
    expect(done.size).toBe(5);
    await s.terminate();
  });

  it('slow tasks are never sent ahead: each worker holds one at a time', async () => {
    const { s, workers, submit, ready } = setup(1);
    ready();
    const ids = submit(4);
    await settle();
    for (let k = 0; k < 3; k++) {
      vi.advanceTimersByTime(5); // 5 ms a task: depth 0
      report(workers[0], ok(ids[k]));
    }
    expect(batchesSent(workers[0])).toEqual(ids.map((id) => [id]));
    await s.terminate();
  });

  it('a batch sent ahead that the worker refuses (it started a task that may be long) goes back to the queue, and nothing more goes ahead to it until it reports', async () => {
    const { s, workers, submit, ready, done } = setup(1, true);
    ready();
    const [first] = submit(1);
    await settle();
    vi.advanceTimersByTime(0.1);
    report(workers[0], ok(first)); // fast: depth 20
    const [second] = submit(1);
    await settle();
    expect(sentIds(workers[0])).toEqual([first, second]);
    const word = workers[0].posted[0].running as Int32Array;
    Atomics.store(word, RunningWord.MAYBE_LONG, 1); // the worker flags its task as maybe long
    const rest = submit(3);
    await settle();
    expect(sentIds(workers[0])).toEqual([first, second]); // refused: nothing ahead of the long task
    Atomics.store(word, RunningWord.MAYBE_LONG, 0);
    const [extra] = submit(1);
    await settle();
    expect(sentIds(workers[0])).toEqual([first, second]); // held back until it reports
    vi.advanceTimersByTime(0.1);
    report(workers[0], ok(second));
    expect(batchesSent(workers[0]).at(-1)).toEqual([...rest, extra]); // the refused tasks first, in order
    report(workers[0], ...rest.map(ok), ok(extra));
    expect([...done.keys()].sort((x, y) => x - y)).toEqual([first, second, ...rest, extra]);
    await s.terminate();
  });
});

describe('scheduler: recall', () => {
  /** Two workers; worker 0 holds `first` plus three sent ahead, worker 1 has gone idle, nothing is queued. */
  async function holding() {
    const t = setup(2);
    const { workers, submit, ready } = t;
    ready();
    const [first, other] = submit(2);
    await settle();
    vi.advanceTimersByTime(0.1);
    report(workers[1], ok(other)); // 0.1 ms a task
    vi.advanceTimersByTime(0.1);
    const more = submit(7);
    await settle();
    const ahead = sentIds(workers[0]).slice(1);
    expect(ahead.length).toBeGreaterThanOrEqual(2);
    report(workers[1], ...sentIds(workers[1]).slice(1).map(ok));
    expect(sentIds(workers[0]).length + sentIds(workers[1]).length).toBe(9);
    return { ...t, first, ahead, more };
  }

  it('a worker silent for RECALL_AFTER_MS while another is idle is asked for its unstarted tasks, which then run elsewhere', async () => {
    const { s, workers, first, ahead, done } = await holding();
    expect(workers[0].posted.some((m) => m.type === 'recall')).toBe(false);
    vi.advanceTimersByTime(RECALL_AFTER_MS);
    expect(workers[0].posted.filter((m) => m.type === 'recall').length).toBe(1);
    vi.advanceTimersByTime(RECALL_AFTER_MS * 10);
    expect(workers[0].posted.filter((m) => m.type === 'recall').length).toBe(1); // asked once
    const before = sentIds(workers[1]).length;
    report(workers[0], ...ahead.map(recalled)); // it hands them back, still running `first`
    // The idle worker takes them as it reports; the recalled worker gets none until it reports.
    for (let reported = before; sentIds(workers[1]).length > reported; ) {
      const fresh = sentIds(workers[1]).slice(reported);
      reported += fresh.length;
      report(workers[1], ...fresh.map(ok));
    }
    expect(sentIds(workers[1]).slice(before)).toEqual(ahead);
    expect(sentIds(workers[0])).toEqual([first, ...ahead]);
    vi.advanceTimersByTime(100);
    report(workers[0], ok(first));
    expect(done.size).toBe(9);
    for (const [id, value] of done) expect(value).toBe(id * 10);
    await s.terminate();
  });

  it('a worker that reports in time is not asked', async () => {
    const { s, workers, first, ahead } = await holding();
    vi.advanceTimersByTime(RECALL_AFTER_MS - 1);
    report(workers[0], ok(first)); // its clock restarts
    vi.advanceTimersByTime(1);
    expect(workers[0].posted.some((m) => m.type === 'recall')).toBe(false);
    report(workers[0], ...ahead.map(ok));
    await s.terminate();
  });
});
