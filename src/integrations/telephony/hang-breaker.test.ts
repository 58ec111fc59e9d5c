import { describe, expect, it } from 'vitest';
import { HangBreaker, type BreakerDecision } from './hang-breaker.js';

function breaker(openMs = 30_000) {
  let now = 1_000_000;
  const changes: { open: boolean; retryAtMs?: number; timeouts: number }[] = [];
  const b = new HangBreaker({ openMs, now: () => now, onChange: (c) => changes.push(c) });
  return {
    b,
    changes,
    advance: (ms: number) => {
      now += ms;
    },
    at: () => now,
    /** One request that the breaker lets through, with its outcome. */
    run(outcome: 'timeout' | 'answered'): BreakerDecision {
      const d = b.decide();
      if (d.attempt) b.record(outcome, d);
      return d;
    },
  };
}

describe('HangBreaker: skip a provider that keeps timing out', () => {
  it('opens after two timeouts in a row, then skips the provider until the cool-down ends', () => {
    const s = breaker();
    expect(s.run('timeout')).toEqual({ attempt: true, probe: false });
    expect(s.b.isOpen).toBe(false);
    s.run('timeout');
    expect(s.b.isOpen).toBe(true);
    expect(s.changes).toEqual([{ open: true, retryAtMs: s.at() + 30_000, timeouts: 2 }]);
    s.advance(29_999);
    expect(s.b.decide()).toEqual({ attempt: false, probe: false, retryAtMs: s.at() + 1 });
  });

  it('counts only timeouts in a row: an answer in between (even an error answer) starts the count again', () => {
    const s = breaker();
    s.run('timeout');
    s.run('answered');
    s.run('timeout');
    expect(s.b.isOpen).toBe(false);
    s.run('timeout');
    expect(s.b.isOpen).toBe(true);
  });

  it('after the cool-down lets exactly one request probe; the others still skip until it is back', () => {
    const s = breaker();
    s.run('timeout');
    s.run('timeout');
    s.advance(30_000);
    const probe = s.b.decide();
    expect(probe).toEqual({ attempt: true, probe: true });
    // While the probe is under way, other pages do not wait for it.
    expect(s.b.decide().attempt).toBe(false);
    s.b.record('answered', probe);
    expect(s.b.isOpen).toBe(false);
    expect(s.changes.map((c) => c.open)).toEqual([true, false]);
    expect(s.b.decide()).toEqual({ attempt: true, probe: false });
  });

  it('a probe that times out opens it for another cool-down at once', () => {
    const s = breaker();
    s.run('timeout');
    s.run('timeout');
    s.advance(30_000);
    s.run('timeout');
    expect(s.changes.at(-1)).toEqual({ open: true, retryAtMs: s.at() + 30_000, timeouts: 3 });
    expect(s.b.decide().attempt).toBe(false);
    s.advance(30_000);
    expect(s.b.decide().probe).toBe(true);
  });

  it('a request already under way when it opened does not extend the cool-down', () => {
    const s = breaker();
    const slow = s.b.decide();
    s.run('timeout');
    s.run('timeout');
    const opened = s.changes.length;
    s.advance(5_000);
    s.b.record('timeout', slow);
    expect(s.changes).toHaveLength(opened);
    s.advance(25_000);
    expect(s.b.decide().probe).toBe(true);
  });
});
