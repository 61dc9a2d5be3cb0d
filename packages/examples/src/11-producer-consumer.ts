/**
 * Producers and consumers, as in Python's `multiprocessing` docs: producer
 * processes `put()` items on a bounded `JoinableQueue` (a full queue makes
 * them wait: back-pressure), consumer processes `get()` them, process them,
 * count them in a shared `Value` under a `Lock`, and call `taskDone()`. The
 * main program waits for the producers, `join()`s the queue (every item
 * put has had its `taskDone()`), then sets an `Event`; the consumers see it
 * and return, and their processes exit with code 0.
 *
 * The counter must equal the number of items; a `SharedArray` of one flag
 * per item also shows each was processed exactly once. The program exits
 * with 1 if either check fails.
 *
 * Usage: `node dist/11-producer-consumer.js [--producers 3] [--consumers 4]
 * [--items 500] [--maxsize 64]` (`--items` per producer).
 *
 * The file is its own task module: each `Process` imports it, and
 * `isMainProcess()` keeps the main program out of them.
 */
import { createHash } from 'node:crypto';
import { parseArgs } from 'node:util';
import { currentProcess, Event, isMainProcess, JoinableQueue, Lock, Process, QueueEmptyError, SharedArray, Value } from '@multiproc/node';

/** One unit of work. */
export interface Item {
  readonly producer: number;
  readonly seq: number;
  /** Its index among all items: producer × items per producer + seq. */
  readonly index: number;
  readonly text: string;
}

/** A producer: puts `count` items on the queue, waiting whenever it is full. */
export async function producer(id: number, count: number, queue: JoinableQueue<Item>): Promise<void> {
  for (let seq = 0; seq < count; seq++) {
    await queue.put({ producer: id, seq, index: id * count + seq, text: `item ${seq} of producer ${id}` });
  }
}

/**
 * A consumer: takes items until `stop` is set. Each item is "processed"
 * (hashed), flagged in `seen` and counted in `counter` under `lock`
 * (`counter.value += 1` reads then writes; without the lock two consumers
 * could read the same value and lose an increment), then marked done.
 * A `get()` cannot be cancelled, so it waits at most 50 ms at a time and the
 * loop looks at the event in between.
 */
export async function consumer(queue: JoinableQueue<Item>, counter: Value<'int32'>, lock: Lock, stop: Event, seen: SharedArray<'uint8'>): Promise<void> {
  let mine = 0;
  while (!stop.isSet()) {
    let item: Item;
    try {
      item = await queue.get({ timeout: 50 });
    } catch (err) {
      if (err instanceof QueueEmptyError) continue;
      throw err;
    }
    try {
      createHash('sha256').update(item.text).digest();
      Atomics.add(seen.array, item.index, 1);
      await lock.withLock(() => {
        counter.value += 1;
      });
      mine++;
    } finally {
      queue.taskDone();
    }
  }
  console.log(`${currentProcess().name}: processed ${mine} items, saw the stop event, exiting`);
}

if (isMainProcess()) {
  const { values } = parseArgs({
    options: {
      producers: { type: 'string', default: '3' },
      consumers: { type: 'string', default: '4' },
      items: { type: 'string', default: '500' },
      maxsize: { type: 'string', default: '64' },
    },
  });
  const [producers, consumers, perProducer, maxsize] = [values.producers, values.consumers, values.items, values.maxsize].map(Number) as [number, number, number, number];
  const total = producers * perProducer;

  type Self = typeof import('./11-producer-consumer.js');
  const queue = new JoinableQueue<Item>(maxsize);
  const lock = new Lock();
  const counter = new Value('int32', 0, { lock: false }); // guarded by `lock`, passed along with it
  const stop = new Event();
  const seen = new SharedArray('uint8', total, { lock: false });

  const consumerProcs = Array.from(
    { length: consumers },
    (_, i) => new Process<Self, 'consumer'>({ module: import.meta.url, target: 'consumer', args: [queue, counter, lock, stop, seen], name: `Consumer-${i + 1}` }),
  );
  const producerProcs = Array.from(
    { length: producers },
    (_, i) => new Process<Self, 'producer'>({ module: import.meta.url, target: 'producer', args: [i, perProducer, queue], name: `Producer-${i + 1}` }),
  );
  console.log(`${producers} producers x ${perProducer} items, ${consumers} consumers, queue maxsize ${maxsize}`);
  for (const p of [...consumerProcs, ...producerProcs]) p.start();

  for (const p of producerProcs) await p.join();
  console.log(`producers done: ${producerProcs.map((p) => `${p.name} exitCode ${p.exitCode}`).join(', ')}`);
  await queue.join(); // every item put has had its taskDone()
  console.log('queue joined: every item was marked done');
  stop.set();
  for (const p of consumerProcs) await p.join();
  console.log(`consumers exited: ${consumerProcs.map((p) => `${p.name} exitCode ${p.exitCode}`).join(', ')}`);

  const once = seen.array.every((n) => n === 1);
  console.log(`counter: ${counter.value} (expected ${total})`);
  console.log(once ? `every item processed exactly once (${total} flags set to 1)` : 'some item was processed twice or never');
  const clean = [...producerProcs, ...consumerProcs].every((p) => p.exitCode === 0);
  process.exitCode = counter.value === total && once && clean ? 0 : 1;
}
