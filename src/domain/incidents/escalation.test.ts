import { describe, expect, it } from 'vitest';
import { DomainError } from '../shared/domain-error.js';
import type { EscalationContext, EscalationTimings } from './escalation.js';
import {
  DEFAULT_ESCALATION_TIMINGS,
  escalationStep,
  escalationStepAtMs,
  escalationStepDueAt,
  shouldPage,
  validateEscalationTimings,
} from './escalation.js';

const MIN = 60_000;
const t = Date.UTC(2026, 11, 1, 18, 10);
const timings = DEFAULT_ESCALATION_TIMINGS;
const ctx = (over: Partial<EscalationContext> = {}): EscalationContext => ({
  onCall: { primary: 'anna', secondary: 'bo' },
  managers: ['max'],
  everyoneWithPhone: ['anna', 'bo', 'cia', 'max'],
  ...over,
});
const plan = (c: EscalationContext, steps = 6, tm: EscalationTimings = timings) =>
  Array.from({ length: steps }, (_, step) => escalationStep(step, t, tm, c));

describe('escalationStep', () => {
  it('pages primary, then secondary (and primary), then managers, then repeats', () => {
    expect(plan(ctx())).toEqual([
      { step: 0, recipients: ['anna'], reason: 'primary', nextStepAtMs: t + 5 * MIN },
      { step: 1, recipients: ['bo', 'anna'], reason: 'secondary', nextStepAtMs: t + 10 * MIN },
      { step: 2, recipients: ['max', 'anna', 'bo'], reason: 'managers', nextStepAtMs: t + 15 * MIN },
      { step: 3, recipients: ['anna', 'bo', 'max'], reason: 'repeat', nextStepAtMs: t + 20 * MIN },
      { step: 4, recipients: ['anna', 'bo', 'max'], reason: 'repeat', nextStepAtMs: t + 25 * MIN },
      { step: 5, recipients: ['anna', 'bo', 'max'], reason: 'repeat', nextStepAtMs: t + 30 * MIN },
    ]);
  });

  it('roster gap at the report: no primary pages managers and everyone with a phone at once', () => {
    const c = ctx({ onCall: { primary: null, secondary: 'bo' } });
    expect(escalationStep(0, t, timings, c)).toEqual({
      step: 0,
      recipients: ['max', 'anna', 'bo', 'cia'],
      reason: 'roster-gap',
      nextStepAtMs: t + 5 * MIN,
    });
    expect(escalationStep(1, t, timings, c)).toMatchObject({ recipients: ['bo'], reason: 'secondary' });
  });

  it('nobody on call: every step is a roster gap until the repeats', () => {
    const c = ctx({ onCall: { primary: null, secondary: null } });
    const steps = plan(c, 4);
    expect(steps.map((s) => s.reason)).toEqual(['roster-gap', 'roster-gap', 'managers', 'repeat']);
    expect(steps[0]!.recipients).toEqual(['max', 'anna', 'bo', 'cia']);
    expect(steps[2]!.recipients).toEqual(['max']);
    expect(steps[3]!.recipients).toEqual(['max', 'anna', 'bo', 'cia']);
  });

  it('nobody on call and no managers: everyone with a phone', () => {
    const c = { onCall: { primary: null, secondary: null }, managers: [], everyoneWithPhone: ['cia', 'dan'] };
    for (const s of plan(c, 4)) {
      expect(s.recipients).toEqual(['cia', 'dan']);
      expect(s.reason).toBe(s.step === 3 ? 'repeat' : 'roster-gap');
    }
  });

  it('a missing secondary re-pages the primary at step 1; managers still come at step 2', () => {
    const steps = plan(ctx({ onCall: { primary: 'anna', secondary: null }, managers: [] }), 3);
    expect(steps.map((s) => [s.recipients, s.reason])).toEqual([
      [['anna'], 'primary'],
      [['anna'], 'secondary'],
      [['anna'], 'managers'],
    ]);
  });

  it('de-duplicates (same person in both roles, a manager on call)', () => {
    const c = ctx({ onCall: { primary: 'anna', secondary: 'anna' }, managers: ['anna', 'max', 'max'] });
    expect(escalationStep(1, t, timings, c).recipients).toEqual(['anna']);
    expect(escalationStep(2, t, timings, c).recipients).toEqual(['anna', 'max']);
  });

  it('only an empty context leaves nobody to page (the caller raises an operator alarm)', () => {
    const c = { onCall: { primary: null, secondary: null }, managers: [], everyoneWithPhone: [] };
    expect(escalationStep(0, t, timings, c)).toMatchObject({ recipients: [], reason: 'roster-gap' });
  });

  it('stops after maxRepeats', () => {
    const limited = { ...timings, maxRepeats: 2 };
    expect(plan(ctx(), 5, limited).map((s) => s.nextStepAtMs)).toEqual([
      t + 5 * MIN,
      t + 10 * MIN,
      t + 15 * MIN,
      t + 20 * MIN,
      null,
    ]);
    expect(escalationStep(2, t, { ...timings, maxRepeats: 0 }, ctx()).nextStepAtMs).toBeNull();
  });

  it('refuses a negative or fractional step', () => {
    expect(() => escalationStep(-1, t, timings, ctx())).toThrow(DomainError);
    expect(() => escalationStep(1.5, t, timings, ctx())).toThrow(DomainError);
  });
});

describe('escalation timing', () => {
  it('step times follow the configuration', () => {
    const custom = { secondaryAfterMs: 2 * MIN, managerAfterMs: 7 * MIN, repeatEveryMs: 3 * MIN };
    expect([0, 1, 2, 3, 4].map((k) => escalationStepAtMs(k, t, custom) - t)).toEqual(
      [0, 2, 7, 10, 13].map((m) => m * MIN),
    );
  });

  it('the step due at a time (catch-up after an outage)', () => {
    expect(
      [0, 4.99, 5, 9.99, 10, 14.99, 15, 61].map((m) => escalationStepDueAt(t, t + m * MIN, timings)),
    ).toEqual([0, 0, 1, 1, 2, 2, 3, 12]);
    expect(escalationStepDueAt(t, t - MIN, timings)).toBe(0);
    expect(escalationStepDueAt(t, t + 600 * MIN, { ...timings, maxRepeats: 1 })).toBe(3);
  });

  it('bad configuration is refused by the validator but never stops the pages', () => {
    const bad = { secondaryAfterMs: 10 * MIN, managerAfterMs: 10 * MIN, repeatEveryMs: 0 };
    expect(() => validateEscalationTimings(bad, '/escalation')).toThrow(/\/escalation\/managerAfterMs/);
    expect(() => validateEscalationTimings({ ...timings, repeatEveryMs: 1000 })).toThrow(/repeatEveryMs/);
    expect(() => validateEscalationTimings({ ...timings, secondaryAfterMs: 0 })).toThrow(/secondaryAfterMs/);
    expect(() => validateEscalationTimings({ ...timings, maxRepeats: -1 })).toThrow(/maxRepeats/);
    expect(() => validateEscalationTimings(timings)).not.toThrow();
    const times = [0, 1, 2, 3].map((k) => escalationStepAtMs(k, t, bad) - t);
    expect(times).toEqual([0, 10 * MIN, 10 * MIN + 1000, 10 * MIN + 31_000]);
  });
});

describe('shouldPage', () => {
  it('pages callouts only; office-hours incidents go to the desk queue', () => {
    expect(shouldPage({ callout: true })).toBe(true);
    expect(shouldPage({ callout: false })).toBe(false);
  });
});
