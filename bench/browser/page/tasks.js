// multiproc's task module for the browser bench (bench/browser): each named export is a task,
// the same bodies as the Node bench's fixtures/common.cjs (noop for W1 and W2, echo for W4).
import { transfer } from '@multiproc/browser';

export function noop(x) {
  return x;
}

/** W4 copied: the buffer comes back as a structured-clone copy. */
export function echo(buf) {
  return buf;
}

/** W4 transferred: the buffer moves back instead of being copied. */
export function echoMove(buf) {
  return transfer(buf, [buf]);
}
