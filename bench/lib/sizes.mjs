// How much work each workload does: BENCH.md's counts for the full run, small ones for --quick.

const FULL = {
  w1Tasks: 100_000,
  w2Trips: 2_000,
  w3Tasks: 16,
  w3TargetMs: 25, // fib(n) is calibrated so one task takes about this long on the main thread
  w4Tasks: 200,
  w4Bytes: 2 ** 20,
  w6Items: 10_000,
  w6Maps: 3, // W6/W6c time several maps and keep the median
  w6MinMs: 250, // ... and as many more as fit in this long (a fast map takes ~1 ms)
  w7Files: 3_000, // W7: the first files of the pnpm store by sorted path
  limitMsgs: 200_000,
  limitTrips: 5_000,
  mutexOps: 500_000,
  primItems: 100_000,
  primTrips: 20_000,
  warmTasks: 300,
  importAll: true, // W5 import time of every library (a fresh Node each)
};

const QUICK = {
  w1Tasks: 3_000,
  w2Trips: 200,
  w3Tasks: 4,
  w3TargetMs: 10,
  w4Tasks: 8,
  w4Bytes: 2 ** 20,
  w6Items: 2_000,
  w6Maps: 1,
  w6MinMs: 0,
  w7Files: 300,
  limitMsgs: 5_000,
  limitTrips: 300,
  mutexOps: 20_000,
  primItems: 2_000,
  primTrips: 300,
  warmTasks: 100,
  importAll: false, // W5 import time of multiproc only: a fresh Node per library costs seconds
};

/** The counts for this run. */
export function sizesFor(quick) {
  return quick ? { ...QUICK } : { ...FULL };
}
