import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { atMostEvery } from './at-most-every.js';

describe('atMostEvery', () => {
  beforeEach(() => vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] }));
  afterEach(() => vi.useRealTimers());

  it('runs the first trigger at once and a burst after it once, at the end of the interval', () => {
    const run = vi.fn();
    const gate = atMostEvery(50, run);
    gate.trigger();
    expect(run).toHaveBeenCalledTimes(1);
    for (let i = 0; i < 10; i += 1) {
      vi.advanceTimersByTime(3);
      gate.trigger();
    }
    expect(run).toHaveBeenCalledTimes(1);
    vi.advanceTimersByTime(20);
    expect(run).toHaveBeenCalledTimes(2);
    vi.advanceTimersByTime(1_000);
    expect(run).toHaveBeenCalledTimes(2);
    gate.trigger();
    expect(run).toHaveBeenCalledTimes(3);
  });

  it('runs nothing more once cancelled', () => {
    const run = vi.fn();
    const gate = atMostEvery(50, run);
    gate.trigger();
    gate.trigger();
    gate.cancel();
    vi.advanceTimersByTime(100);
    expect(run).toHaveBeenCalledTimes(1);
  });
});
