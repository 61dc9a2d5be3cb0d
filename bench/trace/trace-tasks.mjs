// The task module of the trace scripts (bench/trace): tasks that report when and where they ran,
// on the clock every thread and every process of this machine shares (CLOCK_MONOTONIC).
import { threadId } from 'node:worker_threads';
import { transfer } from '@multiproc/node';
import common from '../fixtures/common.cjs';

const hr = () => Number(process.hrtime.bigint()) / 1000;

/** W2: when the task ran (µs). */
export function stamp() {
  return hr();
}

/** W4: the buffer back (moved, or copied), with when the task started and ended and on which thread. */
export function echoStamped(buf, move) {
  const t = hr();
  const out = { buf, threadId, t, end: hr() };
  return move ? transfer(out, [buf]) : out;
}

export const { noop, fib } = common;
