import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createCalendar } from '../calendar/calendar.js';
import { DEFAULT_SLA_TARGETS, slaAlarms } from '../sla/sla.js';
import { DomainError } from '../shared/domain-error.js';
import { TIERS } from '../shared/tier.js';
import {
  decideAcknowledge,
  decideCallBack,
  decideClose,
  decideConsent,
  decideHandOver,
  decideResolve,
  decideTriage,
  decideWork,
} from './decide.js';
import type { IncidentStatus } from './derive-incident.js';
import { deriveIncident, stateRank } from './derive-incident.js';
import type { EscalationContext, EscalationTimings } from './escalation.js';
import { escalationStep, escalationStepAtMs, escalationStepDueAt } from './escalation.js';
import type { Actor, IncidentEvent, IncidentFacts, PendingEvent } from './timeline.js';
import { appendEvent } from './timeline.js';
import type { ExistingWorkEntry } from './work-entry.js';

const MIN = 60_000;
const calendar = createCalendar();
const PEOPLE = ['anna', 'bo', 'cia', 'dan', 'eva'];
const actor: Actor = { type: 'engineer', id: 'anna', name: 'Anna' };
const arbInstant = fc
  .integer({ min: Date.UTC(2020, 0, 1) / MIN, max: Date.UTC(2030, 0, 1) / MIN })
  .map((m) => m * MIN);

const arbTimings: fc.Arbitrary<EscalationTimings> = fc
  .record({
    secondary: fc.integer({ min: 1, max: 60 }),
    managerGap: fc.integer({ min: 1, max: 60 }),
    repeat: fc.integer({ min: 1, max: 60 }),
    maxRepeats: fc.option(fc.integer({ min: 0, max: 20 }), { nil: undefined }),
  })
  .map(({ secondary, managerGap, repeat, maxRepeats }) => ({
    secondaryAfterMs: secondary * MIN,
    managerAfterMs: (secondary + managerGap) * MIN,
    repeatEveryMs: repeat * MIN,
    ...(maxRepeats === undefined ? {} : { maxRepeats }),
  }));
const arbPerson = fc.option(fc.constantFrom(...PEOPLE), { nil: null });
const arbPeople = fc.array(fc.constantFrom(...PEOPLE), { maxLength: 4 });
const arbContext: fc.Arbitrary<EscalationContext> = fc
  .record({ primary: arbPerson, secondary: arbPerson, managers: arbPeople, everyoneWithPhone: arbPeople })
  .filter(
    (c) => c.primary !== null || c.secondary !== null || c.managers.length + c.everyoneWithPhone.length > 0,
  )
  .map(({ primary, secondary, managers, everyoneWithPhone }) => ({
    onCall: { primary, secondary },
    managers,
    everyoneWithPhone,
  }));

describe('escalation properties', () => {
  it('(a) recipients are never empty when anyone at all can be paged, and never repeat', () => {
    fc.assert(
      fc.property(fc.nat(50), arbInstant, arbTimings, arbContext, (step, reported, timings, ctx) => {
        const { recipients } = escalationStep(step, reported, timings, ctx);
        expect(recipients.length).toBeGreaterThan(0);
        expect(new Set(recipients).size).toBe(recipients.length);
      }),
    );
  });

  it('(b) step times strictly increase, and nextStepAtMs is the following step’s time', () => {
    fc.assert(
      fc.property(fc.nat(50), arbInstant, arbTimings, arbContext, (step, reported, timings, ctx) => {
        const at = escalationStepAtMs(step, reported, timings);
        const next = escalationStepAtMs(step + 1, reported, timings);
        expect(next).toBeGreaterThan(at);
        const { nextStepAtMs } = escalationStep(step, reported, timings, ctx);
        if (nextStepAtMs !== null) expect(nextStepAtMs).toBe(next);
        else expect(step).toBeGreaterThanOrEqual(2 + (timings.maxRepeats ?? Infinity));
        expect(escalationStepDueAt(reported, at, timings)).toBe(
          Math.min(step, 2 + (timings.maxRepeats ?? Number.MAX_SAFE_INTEGER)),
        );
      }),
    );
  });

  it('a repeat pages everyone paged before', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 3, max: 50 }),
        arbInstant,
        arbTimings,
        arbContext,
        (step, reported, timings, ctx) => {
          const earlier = new Set(
            [0, 1, 2].flatMap((s) => escalationStep(s, reported, timings, ctx).recipients),
          );
          expect(new Set(escalationStep(step, reported, timings, ctx).recipients)).toEqual(earlier);
        },
      ),
    );
  });
});

type Command =
  | { kind: 'ack'; dt: number }
  | { kind: 'callback'; dt: number; back: number }
  | { kind: 'triage'; dt: number; within: boolean }
  | { kind: 'handover'; dt: number }
  | { kind: 'consent'; dt: number; granted: boolean }
  | { kind: 'work'; dt: number; engineer: string; startBack: number; minutes: number; within: boolean }
  | { kind: 'resolve'; dt: number }
  | { kind: 'close'; dt: number };

const arbDt = fc.integer({ min: 0, max: 20 });
const arbCommand: fc.Arbitrary<Command> = fc.oneof(
  fc.record({ kind: fc.constant('ack' as const), dt: arbDt }),
  fc.record({ kind: fc.constant('callback' as const), dt: arbDt, back: fc.integer({ min: -5, max: 30 }) }),
  fc.record({ kind: fc.constant('triage' as const), dt: arbDt, within: fc.boolean() }),
  fc.record({ kind: fc.constant('handover' as const), dt: arbDt }),
  fc.record({ kind: fc.constant('consent' as const), dt: arbDt, granted: fc.boolean() }),
  fc.record({
    kind: fc.constant('work' as const),
    dt: arbDt,
    engineer: fc.constantFrom('anna', 'bo'),
    startBack: fc.integer({ min: 0, max: 120 }),
    minutes: fc.integer({ min: -5, max: 200 }),
    within: fc.boolean(),
  }),
  fc.record({ kind: fc.constant('resolve' as const), dt: arbDt }),
  fc.record({ kind: fc.constant('close' as const), dt: arbDt }),
);

function decide(
  command: Command,
  status: IncidentStatus,
  facts: IncidentFacts,
  nowMs: number,
  work: ExistingWorkEntry[],
  n: number,
): PendingEvent | null {
  switch (command.kind) {
    case 'ack':
      return decideAcknowledge(status, { atMs: nowMs, engineerId: 'anna' });
    case 'callback':
      return decideCallBack(status, { atMs: nowMs - command.back * MIN }, nowMs);
    case 'triage':
      return decideTriage(status, { atMs: nowMs, withinResponsibility: command.within });
    case 'handover':
      return decideHandOver(status, { atMs: nowMs, contactName: 'App Jour', channel: 'sms' });
    case 'consent':
      return decideConsent(status, facts, {
        atMs: nowMs,
        granted: command.granted,
        by: 'Kim',
        via: 'portal',
      });
    case 'work': {
      const startMs = nowMs - command.startBack * MIN;
      const entry = {
        atMs: nowMs,
        workEntryId: `w${n}`,
        engineerId: command.engineer,
        startMs,
        endMs: startMs + command.minutes * MIN,
        withinResponsibility: command.within,
      };
      const event = decideWork(status, facts, entry, calendar, work);
      work.push({ id: entry.workEntryId, startMs, endMs: entry.endMs, engineerId: entry.engineerId });
      return event;
    }
    case 'resolve':
      return decideResolve(status, { atMs: nowMs });
    case 'close':
      return decideClose(status, { atMs: nowMs });
  }
}

describe('lifecycle properties', () => {
  it('(c) the derived state never goes backwards, whatever valid commands are appended in any order', () => {
    const reached = new Set<string>();
    fc.assert(
      fc.property(
        fc.constantFrom(...TIERS),
        fc.boolean(),
        arbInstant,
        fc.array(arbCommand, { maxLength: 30 }),
        (tier, callout, reportedAtMs, commands) => {
          const facts: IncidentFacts = { tier, callout, reportedAtMs };
          const targets = DEFAULT_SLA_TARGETS[tier];
          let events: IncidentEvent[] = [];
          let status = deriveIncident(facts, events, targets);
          let nowMs = reportedAtMs;
          const work: ExistingWorkEntry[] = [];
          commands.forEach((command, n) => {
            nowMs += command.dt * MIN;
            let event: PendingEvent | null;
            try {
              event = decide(command, status, facts, nowMs, work, n);
            } catch (error) {
              if (!(error instanceof DomainError)) throw error;
              expect(['TRANSITION_NOT_ALLOWED', 'VALIDATION_FAILED', 'CONFLICT']).toContain(error.code);
              return;
            }
            if (event === null) return;
            expect(status.state).not.toBe('closed');
            events = appendEvent(events, event, actor);
            const next = deriveIncident(facts, events, targets);
            expect(stateRank(next.state)).toBeGreaterThanOrEqual(stateRank(status.state));
            for (const key of [
              'acknowledgedAtMs',
              'calledBackAtMs',
              'resolvedAtMs',
              'closedAtMs',
              'actionStartedAtMs',
            ] as const) {
              if (status[key] !== null) expect(next[key]).not.toBeNull();
            }
            if (next.state === 'resolved' || next.state === 'closed')
              expect(next.acknowledgedAtMs).not.toBeNull();
            if (status.calledBackAtMs !== null) expect(next.calledBackAtMs).toBe(status.calledBackAtMs);
            expect(next.responseDueMs).toBe(status.responseDueMs);
            status = next;
            reached.add(status.state);
          });
          // The array order never matters, only seq.
          expect(deriveIncident(facts, [...events].reverse(), targets)).toEqual(status);
        },
      ),
    );
    // The generator is worth its name: it drives incidents through the whole lifecycle.
    for (const state of ['acknowledged', 'in_progress', 'resolved', 'closed'])
      expect(reached).toContain(state);
  });
});

describe('SLA alarm properties', () => {
  it('a periodic job appending slaAlarms raises each alarm at most once, near-breach before breach', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...TIERS),
        arbInstant,
        fc.option(fc.integer({ min: 0, max: 90 }), { nil: null }),
        fc.array(fc.integer({ min: 0, max: 10 * MIN }), { maxLength: 40 }),
        (tier, reportedAtMs, consentAfter, steps) => {
          const facts: IncidentFacts = { tier, callout: true, reportedAtMs };
          const targets = DEFAULT_SLA_TARGETS[tier];
          let events: IncidentEvent[] = [];
          if (consentAfter !== null && tier !== 'hog') {
            const consent = decideConsent(deriveIncident(facts, events, targets), facts, {
              atMs: reportedAtMs + consentAfter * MIN,
              granted: true,
              by: 'Kim',
              via: 'phone',
            });
            if (consent) events = appendEvent(events, consent, actor);
          }
          let nowMs = reportedAtMs;
          for (const step of steps) {
            nowMs += step;
            for (const alarm of slaAlarms(deriveIncident(facts, events, targets), facts, nowMs)) {
              events = appendEvent(events, alarm, { type: 'system', id: null, name: 'Ballou' });
            }
          }
          const keys = events
            .filter((e) => e.type.startsWith('sla_'))
            .map((e) => `${e.type}:${String(e.data.clock)}`);
          expect(new Set(keys).size).toBe(keys.length);
          for (const clock of ['response', 'action']) {
            const near = keys.indexOf(`sla_near_breach:${clock}`);
            const breach = keys.indexOf(`sla_breached:${clock}`);
            if (near >= 0 && breach >= 0) expect(near).toBeLessThan(breach);
          }
        },
      ),
    );
  });
});
