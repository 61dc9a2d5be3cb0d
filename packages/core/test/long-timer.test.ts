// The re-arming timer behind every user-given timeout (issue #9, defect 8):
// a delay above setTimeout's 2³¹−1 ms limit fires once, when it is due, not
// after 1 ms; Infinity never fires; cancelling works in any chunk. Pure
// scheduling logic, so fake timers stand in for the weeks it would take.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { clearLongTimeout, MAX_TIMER_DELAY, setLongTimeout } from '../src/util/long-timer.js';

describe('setLongTimeout', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('fires a delay of 2**31 + 5 ms once, at that time', () => {
    const fn = vi.fn();
    const start = Date.now();
    setLongTimeout(() => fn(Date.now() - start), 2 ** 31 + 5);
    vi.advanceTimersByTime(2 ** 31 + 4);
    expect(fn).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(fn).toHaveBeenCalledTimes(1);
    expect(fn).toHaveBeenCalledWith(2 ** 31 + 5);
    vi.advanceTimersByTime(10 * MAX_TIMER_DELAY);
    expect(fn).toHaveBeenCalledTimes(1);
  });

  it('waits out 1e10 ms over several chunks', () => {
    const fn = vi.fn();
    setLongTimeout(fn, 1e10);
    for (let i = 0; i < 4; i++) {
      vi.advanceTimersByTime(MAX_TIMER_DELAY);
      expect(fn).not.toHaveBeenCalled();
    }
    vi.advanceTimersByTime(1e10 - 4 * MAX_TIMER_DELAY - 1);
    expect(fn).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(fn).toHaveBeenCalledTimes(1);
  });

  it('arms one plain timer for a delay that fits, and fires it on time', () => {
    const fn = vi.fn();
    setLongTimeout(fn, MAX_TIMER_DELAY);
    expect(vi.getTimerCount()).toBe(1);
    vi.advanceTimersByTime(MAX_TIMER_DELAY - 1);
    expect(fn).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(fn).toHaveBeenCalledTimes(1);
  });

  it('arms nothing for Infinity', () => {
    const fn = vi.fn();
    expect(setLongTimeout(fn, Infinity)).toBeUndefined();
    expect(vi.getTimerCount()).toBe(0);
    clearLongTimeout(undefined);
  });

  it('cancels in the middle of a later chunk', () => {
    const fn = vi.fn();
    const t = setLongTimeout(fn, 3 * MAX_TIMER_DELAY);
    vi.advanceTimersByTime(MAX_TIMER_DELAY + 1000);
    clearLongTimeout(t);
    expect(vi.getTimerCount()).toBe(0);
    vi.advanceTimersByTime(10 * MAX_TIMER_DELAY);
    expect(fn).not.toHaveBeenCalled();
  });

  it('cancels a plain timer', () => {
    const fn = vi.fn();
    const t = setLongTimeout(fn, 50);
    clearLongTimeout(t);
    vi.advanceTimersByTime(100);
    expect(fn).not.toHaveBeenCalled();
  });
});
