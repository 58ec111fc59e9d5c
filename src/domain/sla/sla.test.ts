import { describe, expect, it } from 'vitest';
import { parseInstant } from '../calendar/instant.js';
import { DomainError } from '../shared/domain-error.js';
import type { SlaAlarmInput, SlaFacts, SlaTargets } from './sla.js';
import {
  DEFAULT_SLA_TARGETS,
  firstSlaAlarmAtMs,
  nearBreachAtMs,
  nextSlaAlarmAtMs,
  slaAlarms,
  slaClock,
  slaDeadlines,
  validateSlaTargets,
} from './sla.js';

const MIN = 60_000;
const at = (text: string) => parseInstant(text, '/t');
const reported = at('2026-12-01T19:10:00+01:00');
const callout = (tier: SlaFacts['tier']): SlaFacts => ({ tier, callout: true, reportedAtMs: reported });
const noInput = { consent: null, triage: null };

describe('slaDeadlines', () => {
  it('hog: response 15 min and action 60 min from the report', () => {
    expect(slaDeadlines(callout('hog'), noInput, DEFAULT_SLA_TARGETS.hog)).toEqual({
      responseDueMs: reported + 15 * MIN,
      actionDueMs: reported + 60 * MIN,
      actionFromMs: reported,
    });
  });

  it('hog: no consent needed, a recorded one does not move the action clock', () => {
    const input = { consent: { granted: true, atMs: reported + 30 * MIN }, triage: null };
    expect(slaDeadlines(callout('hog'), input, DEFAULT_SLA_TARGETS.hog).actionDueMs).toBe(
      reported + 60 * MIN,
    );
  });

  it.each(['incident', 'none'] as const)('%s: no action deadline before consent', (tier) => {
    const d = slaDeadlines(callout(tier), noInput, DEFAULT_SLA_TARGETS[tier]);
    expect(d).toEqual({ responseDueMs: reported + 15 * MIN, actionDueMs: null, actionFromMs: null });
  });

  it.each(['incident', 'none'] as const)(
    '%s: action due 60 min after a consent given later than the report',
    (tier) => {
      const consentAt = reported + 37 * MIN;
      const d = slaDeadlines(
        callout(tier),
        { consent: { granted: true, atMs: consentAt }, triage: null },
        DEFAULT_SLA_TARGETS[tier],
      );
      expect(d.responseDueMs).toBe(reported + 15 * MIN);
      expect(d.actionDueMs).toBe(consentAt + 60 * MIN);
      expect(d.actionFromMs).toBe(consentAt);
    },
  );

  it('a refused consent gives no action deadline', () => {
    const input = { consent: { granted: false, atMs: reported + MIN }, triage: null };
    expect(slaDeadlines(callout('incident'), input, DEFAULT_SLA_TARGETS.incident).actionDueMs).toBeNull();
  });

  it.each(['hog', 'incident', 'none'] as const)(
    '%s: outside responsibility there is no action promise',
    (tier) => {
      const input = {
        consent: { granted: true, atMs: reported + MIN },
        triage: { withinResponsibility: false },
      };
      expect(slaDeadlines(callout(tier), input, DEFAULT_SLA_TARGETS[tier]).actionDueMs).toBeNull();
    },
  );

  it('triaged within responsibility keeps the deadline', () => {
    const input = { consent: null, triage: { withinResponsibility: true } };
    expect(slaDeadlines(callout('hog'), input, DEFAULT_SLA_TARGETS.hog).actionDueMs).toBe(
      reported + 60 * MIN,
    );
  });

  it('office hours use the desk targets, callouts the promised ones', () => {
    const targets: SlaTargets = {
      responseMinutes: 15,
      actionMinutes: 60,
      officeResponseMinutes: 30,
      officeActionMinutes: 240,
    };
    const office = { tier: 'hog' as const, callout: false, reportedAtMs: reported };
    expect(slaDeadlines(office, noInput, targets)).toMatchObject({
      responseDueMs: reported + 30 * MIN,
      actionDueMs: reported + 240 * MIN,
    });
    expect(slaDeadlines(callout('hog'), noInput, targets)).toMatchObject({
      responseDueMs: reported + 15 * MIN,
      actionDueMs: reported + 60 * MIN,
    });
  });
});

describe('slaClock', () => {
  const due = 15 * MIN;
  it('is pending before 2/3 of the target', () => {
    expect(slaClock(due, 0, null, 0)).toBe('pending');
    expect(slaClock(due, 0, null, 10 * MIN - 1)).toBe('pending');
  });
  it('is near breach exactly at 10 min of 15', () => {
    expect(slaClock(due, 0, null, 10 * MIN)).toBe('near_breach');
    expect(slaClock(due, 0, null, due - 1)).toBe('near_breach');
    expect(nearBreachAtMs(0, due)).toBe(10 * MIN);
  });
  it('is breached at the deadline and after', () => {
    expect(slaClock(due, 0, null, due)).toBe('breached');
    expect(slaClock(due, 0, null, due + 3_600_000)).toBe('breached');
  });
  it('is met at or before the deadline, missed after, whatever now is', () => {
    expect(slaClock(due, 0, due, due + 1)).toBe('met');
    expect(slaClock(due, 0, 5 * MIN, 0)).toBe('met');
    expect(slaClock(due, 0, due + 1, due + 2)).toBe('missed');
  });
  it('works from a start other than zero (action clock from consent)', () => {
    const start = reported + 37 * MIN;
    expect(slaClock(start + 60 * MIN, start, null, start + 40 * MIN - 1)).toBe('pending');
    expect(slaClock(start + 60 * MIN, start, null, start + 40 * MIN)).toBe('near_breach');
  });
  it('rounds the near-breach instant up for targets not divisible by 3', () => {
    expect(nearBreachAtMs(0, 1000)).toBe(667);
    expect(slaClock(1000, 0, null, 666)).toBe('pending');
    expect(slaClock(1000, 0, null, 667)).toBe('near_breach');
  });
});

describe('slaAlarms', () => {
  const facts = callout('hog');
  const base: SlaAlarmInput = {
    state: 'open',
    calledBackAtMs: null,
    responseDueMs: reported + 15 * MIN,
    actionFromMs: reported,
    actionDueMs: reported + 60 * MIN,
    actionStartedAtMs: null,
    slaAlarmsRaised: [],
  };

  it('raises nothing while pending', () => {
    expect(slaAlarms(base, facts, reported + 9 * MIN)).toEqual([]);
  });

  it('raises the response near-breach at 10 min, once', () => {
    const now = reported + 10 * MIN;
    const alarms = slaAlarms(base, facts, now);
    expect(alarms).toEqual([
      { type: 'sla_near_breach', atMs: now, data: { clock: 'response', dueMs: reported + 15 * MIN } },
    ]);
    const after = {
      ...base,
      slaAlarmsRaised: [
        { type: 'sla_near_breach' as const, clock: 'response' as const, dueMs: reported + 15 * MIN },
      ],
    };
    expect(slaAlarms(after, facts, now + MIN)).toEqual([]);
  });

  it('raises the breach at the deadline but no late near-breach', () => {
    const alarms = slaAlarms(base, facts, reported + 15 * MIN);
    expect(alarms.map((a) => [a.type, a.data.clock])).toEqual([['sla_breached', 'response']]);
  });

  it('raises both clocks independently', () => {
    const alarms = slaAlarms(base, facts, reported + 60 * MIN);
    expect(alarms.map((a) => [a.type, a.data.clock])).toEqual([
      ['sla_breached', 'response'],
      ['sla_breached', 'action'],
    ]);
  });

  it('stops the response clock at the call-back and the action clock at the first work', () => {
    const status = { ...base, calledBackAtMs: reported + 20 * MIN, actionStartedAtMs: reported + 70 * MIN };
    expect(slaAlarms(status, facts, reported + 90 * MIN)).toEqual([]);
  });

  it('raises nothing once resolved or closed', () => {
    expect(slaAlarms({ ...base, state: 'resolved' }, facts, reported + 90 * MIN)).toEqual([]);
    expect(slaAlarms({ ...base, state: 'closed' }, facts, reported + 90 * MIN)).toEqual([]);
  });

  it('a new action deadline raises its own alarms; an alarm without dueMs matches any deadline', () => {
    const status: SlaAlarmInput = {
      ...base,
      calledBackAtMs: reported + MIN,
      actionFromMs: reported + 100 * MIN,
      actionDueMs: reported + 160 * MIN,
      slaAlarmsRaised: [{ type: 'sla_breached', clock: 'action', dueMs: reported + 60 * MIN }],
    };
    expect(slaAlarms(status, facts, reported + 160 * MIN)).toHaveLength(1);
    const legacy = {
      ...status,
      slaAlarmsRaised: [{ type: 'sla_breached' as const, clock: 'action' as const, dueMs: null }],
    };
    expect(slaAlarms(legacy, facts, reported + 160 * MIN)).toEqual([]);
  });

  it('nextSlaAlarmAtMs gives the next threshold of a running clock', () => {
    expect(nextSlaAlarmAtMs(base, facts, reported)).toBe(reported + 10 * MIN);
    expect(nextSlaAlarmAtMs(base, facts, reported + 10 * MIN)).toBe(reported + 15 * MIN);
    expect(nextSlaAlarmAtMs(base, facts, reported + 15 * MIN)).toBe(reported + 40 * MIN);
    expect(nextSlaAlarmAtMs(base, facts, reported + 60 * MIN)).toBeNull();
    expect(nextSlaAlarmAtMs({ ...base, state: 'resolved' }, facts, reported)).toBeNull();
  });
});

describe('firstSlaAlarmAtMs', () => {
  it('is the earliest near breach of either clock, and no alarm is due a millisecond before it', () => {
    const consentAt = reported + 30 * MIN;
    const clocks = { reportedAtMs: reported, responseDueMs: reported + 15 * MIN, actionTargetMs: 60 * MIN };
    expect(firstSlaAlarmAtMs({ ...clocks, actionDueMs: null })).toBe(reported + 10 * MIN);
    // A consent early in the response window starts an action clock whose near breach comes first.
    const early = { ...clocks, responseDueMs: reported + 240 * MIN, actionDueMs: consentAt + 60 * MIN };
    expect(firstSlaAlarmAtMs(early)).toBe(consentAt + 40 * MIN);
    const status: SlaAlarmInput = {
      state: 'open',
      calledBackAtMs: null,
      responseDueMs: early.responseDueMs,
      actionFromMs: consentAt,
      actionDueMs: early.actionDueMs,
      actionStartedAtMs: null,
      slaAlarmsRaised: [],
    };
    const facts = { tier: 'incident', callout: true, reportedAtMs: reported } as SlaFacts;
    expect(slaAlarms(status, facts, firstSlaAlarmAtMs(early) - 1)).toEqual([]);
    expect(slaAlarms(status, facts, firstSlaAlarmAtMs(early))).toHaveLength(1);
  });
});

describe('validateSlaTargets', () => {
  it('accepts the defaults', () => {
    for (const targets of Object.values(DEFAULT_SLA_TARGETS))
      expect(() => validateSlaTargets(targets)).not.toThrow();
  });
  it('names the bad target', () => {
    const bad = { ...DEFAULT_SLA_TARGETS.hog, officeActionMinutes: 0 };
    try {
      validateSlaTargets(bad, '/policy');
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(DomainError);
      expect((error as DomainError).errors).toEqual([
        { path: '/policy/officeActionMinutes', message: 'must be a whole number of minutes from 1 to 10080' },
      ]);
    }
    expect(() => validateSlaTargets({ ...DEFAULT_SLA_TARGETS.hog, responseMinutes: 1.5 })).toThrow(
      /responseMinutes/,
    );
  });
});
