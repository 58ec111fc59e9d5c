import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { SlaClockState } from './sla.js';
import { nearBreachAtMs, slaClock } from './sla.js';

const RANK: Record<SlaClockState, number> = { pending: 0, near_breach: 1, breached: 2, met: 3, missed: 3 };
const arbInstant = fc.integer({ min: Date.UTC(1990, 0, 1), max: Date.UTC(2100, 0, 1) });

describe('slaClock properties', () => {
  it('(d) is monotone in now: pending → near_breach → breached, never back', () => {
    fc.assert(
      fc.property(
        arbInstant,
        fc.integer({ min: 0, max: 7 * 24 * 3_600_000 }),
        fc.array(fc.integer({ min: -3_600_000, max: 8 * 24 * 3_600_000 }), { minLength: 2, maxLength: 20 }),
        (start, target, offsets) => {
          const due = start + target;
          const states = [...offsets].sort((a, b) => a - b).map((o) => slaClock(due, start, null, start + o));
          for (let i = 1; i < states.length; i++) {
            expect(RANK[states[i]!]).toBeGreaterThanOrEqual(RANK[states[i - 1]!]);
          }
          for (const s of states) expect(['pending', 'near_breach', 'breached']).toContain(s);
        },
      ),
    );
  });

  it('changes state exactly at nearBreachAtMs and at the deadline', () => {
    fc.assert(
      fc.property(arbInstant, fc.integer({ min: 3, max: 7 * 24 * 3_600_000 }), (start, target) => {
        const due = start + target;
        const near = nearBreachAtMs(start, due);
        expect(slaClock(due, start, null, near - 1)).toBe('pending');
        expect(slaClock(due, start, null, near)).toBe('near_breach');
        expect(slaClock(due, start, null, due - 1)).toBe('near_breach');
        expect(slaClock(due, start, null, due)).toBe('breached');
      }),
    );
  });

  it('a stopped clock does not depend on now', () => {
    fc.assert(
      fc.property(arbInstant, fc.nat(1e9), fc.nat(2e9), fc.integer(), (start, target, met, now) => {
        const due = start + target;
        const state = slaClock(due, start, start + met, now);
        expect(state).toBe(start + met <= due ? 'met' : 'missed');
      }),
    );
  });
});
