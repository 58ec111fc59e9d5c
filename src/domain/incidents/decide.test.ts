import { describe, expect, it } from 'vitest';
import { createCalendar } from '../calendar/calendar.js';
import { parseInstant } from '../calendar/instant.js';
import { DEFAULT_SLA_TARGETS } from '../sla/sla.js';
import { DomainError } from '../shared/domain-error.js';
import type { WorkCommand } from './decide.js';
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
import { deriveIncident } from './derive-incident.js';
import type { Actor, IncidentEvent, IncidentFacts, PendingEvent } from './timeline.js';
import { appendEvent } from './timeline.js';

const MIN = 60_000;
const calendar = createCalendar();
const at = (text: string) => parseInstant(text, '/t');
const engineer: Actor = { type: 'engineer', id: 'anna', name: 'Anna' };
// Tuesday evening: on-call time.
const reported = at('2026-12-01T19:10:00+01:00');
const facts = (tier: IncidentFacts['tier'] = 'incident', reportedAtMs = reported): IncidentFacts => ({
  tier,
  callout: true,
  reportedAtMs,
});

/** An incident built by applying decisions, as the use cases do. */
class Incident {
  events: IncidentEvent[] = [];
  constructor(readonly facts: IncidentFacts) {}
  get status(): IncidentStatus {
    return deriveIncident(this.facts, this.events, DEFAULT_SLA_TARGETS[this.facts.tier]);
  }
  apply(decide: (status: IncidentStatus) => PendingEvent | null): this {
    const event = decide(this.status);
    if (event) this.events = appendEvent(this.events, event, engineer);
    return this;
  }
}
const incident = (tier: IncidentFacts['tier'] = 'incident', reportedAtMs = reported) =>
  new Incident(facts(tier, reportedAtMs));
const ack = (s: IncidentStatus) => decideAcknowledge(s, { atMs: reported + 2 * MIN, engineerId: 'anna' });
const grant = (f: IncidentFacts) => (s: IncidentStatus) =>
  decideConsent(s, f, { atMs: reported + 5 * MIN, granted: true, by: 'Kim Kund', via: 'phone' });
const resolve = (s: IncidentStatus) => decideResolve(s, { atMs: reported + 90 * MIN });
const close = (s: IncidentStatus) => decideClose(s, { atMs: reported + 95 * MIN });
const work = (over: Partial<WorkCommand> = {}): WorkCommand => ({
  atMs: reported + 80 * MIN,
  workEntryId: 'w1',
  engineerId: 'anna',
  startMs: reported + 10 * MIN,
  endMs: reported + 70 * MIN,
  withinResponsibility: true,
  ...over,
});

const refusal = (run: () => unknown): DomainError => {
  try {
    run();
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error('expected a refusal');
};

describe('decideAcknowledge', () => {
  it('acknowledges an open incident, naming the engineer', () => {
    expect(ack(incident().status)).toEqual({
      type: 'acknowledged',
      atMs: reported + 2 * MIN,
      data: { engineerId: 'anna' },
    });
    expect(decideAcknowledge(incident().status, { atMs: reported })).toEqual({
      type: 'acknowledged',
      atMs: reported,
      data: {},
    });
  });

  it('a second acknowledgement is an idempotent repeat', () => {
    expect(ack(incident().apply(ack).status)).toBeNull();
  });

  it('after a call-back there is nothing to acknowledge', () => {
    const i = incident().apply((s) => decideCallBack(s, { atMs: reported + 3 * MIN }, reported + 3 * MIN));
    expect(ack(i.status)).toBeNull();
  });

  it('a closed incident has been acknowledged: still a repeat', () => {
    const f = facts('hog');
    const i = new Incident(f).apply(ack).apply(resolve).apply(close);
    expect(ack(i.status)).toBeNull();
  });
});

describe('decideCallBack', () => {
  const now = reported + 20 * MIN;

  it('records the call-back time, which may be earlier than now', () => {
    expect(decideCallBack(incident().apply(ack).status, { atMs: reported + 9 * MIN }, now)).toEqual({
      type: 'called_back',
      atMs: reported + 9 * MIN,
      data: {},
    });
  });

  it('a call-back at the report time and at now are fine', () => {
    expect(decideCallBack(incident().status, { atMs: reported }, now)).not.toBeNull();
    expect(decideCallBack(incident().status, { atMs: now, engineerId: 'bo' }, now)?.data).toEqual({
      engineerId: 'bo',
    });
  });

  it('refuses a call-back before the report', () => {
    const e = refusal(() => decideCallBack(incident().status, { atMs: reported - 1 }, now));
    expect(e.code).toBe('VALIDATION_FAILED');
    expect(e.errors).toEqual([{ path: '/at', message: 'the call-back cannot be before the report' }]);
  });

  it('refuses a call-back in the future', () => {
    const e = refusal(() => decideCallBack(incident().status, { atMs: now + 1 }, now));
    expect(e.code).toBe('VALIDATION_FAILED');
    expect(e.errors).toEqual([{ path: '/at', message: 'the call-back cannot be in the future' }]);
  });

  it('a second call-back is a repeat (the first ended the clock)', () => {
    const i = incident().apply((s) => decideCallBack(s, { atMs: reported + 5 * MIN }, now));
    expect(decideCallBack(i.status, { atMs: reported + 8 * MIN }, now)).toBeNull();
  });

  it('after resolution only a call-back made before it may be recorded', () => {
    const i = incident('hog')
      .apply(ack)
      .apply((s) => decideResolve(s, { atMs: reported + 12 * MIN }));
    expect(decideCallBack(i.status, { atMs: reported + 11 * MIN }, now)).not.toBeNull();
    const e = refusal(() => decideCallBack(i.status, { atMs: reported + 13 * MIN }, now));
    expect(e.code).toBe('TRANSITION_NOT_ALLOWED');
    expect(e.message).toBe('Cannot record a call-back after the incident was resolved.');
  });

  it('refuses on a closed incident', () => {
    const i = incident('hog').apply(ack).apply(resolve).apply(close);
    const e = refusal(() => decideCallBack(i.status, { atMs: reported + 5 * MIN }, reported + 100 * MIN));
    expect(e.code).toBe('TRANSITION_NOT_ALLOWED');
    expect(e.message).toBe(
      'Cannot record a call-back: the incident is closed. A closed incident can only be corrected with a credit note.',
    );
  });
});

describe('decideTriage', () => {
  it('records a triage with its note', () => {
    expect(
      decideTriage(incident().apply(ack).status, {
        atMs: reported + 8 * MIN,
        withinResponsibility: false,
        note: 'app bug',
      }),
    ).toEqual({
      type: 'triaged',
      atMs: reported + 8 * MIN,
      data: { withinResponsibility: false, note: 'app bug' },
    });
  });

  it('a re-triage is recorded and the latest counts', () => {
    const i = incident()
      .apply(ack)
      .apply((s) => decideTriage(s, { atMs: reported + 8 * MIN, withinResponsibility: false }))
      .apply((s) => decideTriage(s, { atMs: reported + 9 * MIN, withinResponsibility: true }));
    expect(i.events.filter((e) => e.type === 'triaged')).toHaveLength(2);
    expect(i.status.triage).toEqual({ withinResponsibility: true, atMs: reported + 9 * MIN });
  });

  it('is refused once resolved, and once closed', () => {
    const resolved = incident('hog').apply(ack).apply(resolve);
    const e = refusal(() => decideTriage(resolved.status, { atMs: reported, withinResponsibility: true }));
    expect(e.code).toBe('TRANSITION_NOT_ALLOWED');
    expect(e.message).toBe('Cannot triage: the incident is already resolved.');
    const closed = resolved.apply(close);
    expect(
      refusal(() => decideTriage(closed.status, { atMs: reported, withinResponsibility: true })).message,
    ).toMatch(/^Cannot triage: the incident is closed\./);
  });
});

describe('decideHandOver', () => {
  const handOver = (s: IncidentStatus) =>
    decideHandOver(s, { atMs: reported + 10 * MIN, contactName: 'App Jour', channel: 'sms' });

  it('hands over after a triage outside responsibility', () => {
    const i = incident()
      .apply(ack)
      .apply((s) => decideTriage(s, { atMs: reported + 8 * MIN, withinResponsibility: false }));
    expect(handOver(i.status)).toEqual({
      type: 'handed_over',
      atMs: reported + 10 * MIN,
      data: { contactName: 'App Jour', channel: 'sms' },
    });
    expect(i.apply(handOver).status.handedOver).toBe(true);
  });

  it('is refused without such a triage', () => {
    const e = refusal(() => handOver(incident().apply(ack).status));
    expect(e.code).toBe('TRANSITION_NOT_ALLOWED');
    expect(e.message).toBe(
      'Cannot hand over: the incident has not been triaged as outside Ballou’s responsibility.',
    );
    const within = incident().apply((s) => decideTriage(s, { atMs: reported, withinResponsibility: true }));
    expect(refusal(() => handOver(within.status)).code).toBe('TRANSITION_NOT_ALLOWED');
  });
});

describe('decideConsent', () => {
  it('records the decision, who gave it and how', () => {
    expect(grant(facts())(incident().status)).toEqual({
      type: 'consent_recorded',
      atMs: reported + 5 * MIN,
      data: { granted: true, by: 'Kim Kund', via: 'phone' },
    });
  });

  it('is refused for tier hog: not needed', () => {
    const e = refusal(() => grant(facts('hog'))(incident('hog').status));
    expect(e.code).toBe('TRANSITION_NOT_ALLOWED');
    expect(e.message).toBe(
      'Consent is not needed for tier hog: the agreement covers the work, Ballou may act at once.',
    );
  });

  it('a later different decision replaces the earlier one; the same one again is a repeat', () => {
    const f = facts('none');
    const i = new Incident(f).apply(grant(f));
    expect(grant(f)(i.status)).toBeNull();
    i.apply((s) =>
      decideConsent(s, f, { atMs: reported + 7 * MIN, granted: false, by: 'Kim Kund', via: 'portal' }),
    );
    expect(i.status.consent).toEqual({
      granted: false,
      by: 'Kim Kund',
      via: 'portal',
      atMs: reported + 7 * MIN,
    });
    expect(i.status.actionDueMs).toBeNull();
    i.apply((s) =>
      decideConsent(s, f, { atMs: reported + 30 * MIN, granted: true, by: 'Lo', via: 'portal' }),
    );
    expect(i.status.actionDueMs).toBe(reported + 90 * MIN);
  });

  it('is refused once resolved', () => {
    const f = facts();
    const i = new Incident(f).apply(ack).apply(resolve);
    const e = refusal(() => grant(f)(i.status));
    expect(e.code).toBe('TRANSITION_NOT_ALLOWED');
    expect(e.message).toBe('Cannot record consent: the incident is already resolved.');
  });

  it('names who decided and how', () => {
    const f = facts();
    const s = incident().status;
    expect(
      refusal(() => decideConsent(s, f, { atMs: reported, granted: true, by: ' ', via: 'phone' })).errors,
    ).toEqual([{ path: '/by', message: 'must name who decided' }]);
    const via = 'fax' as 'phone';
    expect(
      refusal(() => decideConsent(s, f, { atMs: reported, granted: true, by: 'Kim', via })).errors,
    ).toEqual([{ path: '/via', message: 'must be phone or portal' }]);
  });
});

describe('decideWork', () => {
  it('logs work on a hog incident without consent', () => {
    const f = facts('hog');
    expect(
      decideWork(new Incident(f).apply(ack).status, f, work({ note: 'restarted php-fpm' }), calendar),
    ).toEqual({
      type: 'work_logged',
      atMs: reported + 80 * MIN,
      data: {
        workEntryId: 'w1',
        engineerId: 'anna',
        startMs: reported + 10 * MIN,
        endMs: reported + 70 * MIN,
        withinResponsibility: true,
        note: 'restarted php-fpm',
      },
    });
  });

  it.each(['incident', 'none'] as const)('%s: refuses billable work before consent', (tier) => {
    const f = facts(tier);
    const e = refusal(() => decideWork(new Incident(f).apply(ack).status, f, work(), calendar));
    expect(e.code).toBe('TRANSITION_NOT_ALLOWED');
    expect(e.message).toBe(
      'Cannot log billable work yet: the customer has not given consent. Record the consent first.',
    );
  });

  it('refuses billable work after a refused consent', () => {
    const f = facts();
    const i = new Incident(f).apply((s) =>
      decideConsent(s, f, { atMs: reported, granted: false, by: 'Kim', via: 'phone' }),
    );
    const e = refusal(() => decideWork(i.status, f, work(), calendar));
    expect(e.message).toBe(
      'Cannot log billable work: the customer refused consent. Record a new consent if they change their mind.',
    );
  });

  it('allows billable work once consent is granted', () => {
    const f = facts();
    const i = new Incident(f)
      .apply(ack)
      .apply(grant(f))
      .apply((s) => decideWork(s, f, work(), calendar));
    expect(i.status).toMatchObject({ state: 'in_progress', actionStartedAtMs: reported + 10 * MIN });
  });

  it('work within responsibility in office hours is covered by the agreement: no consent needed', () => {
    const office = at('2026-12-02T10:00:00+01:00');
    const f = facts('incident', office);
    const s = new Incident(f).status;
    const entry = work({ startMs: office, endMs: office + 30 * MIN, atMs: office + 31 * MIN });
    expect(decideWork(s, f, entry, calendar)).not.toBeNull();
    // ...but not outside responsibility, and not once it runs past 17:00.
    expect(refusal(() => decideWork(s, f, { ...entry, withinResponsibility: false }, calendar)).code).toBe(
      'TRANSITION_NOT_ALLOWED',
    );
    const late = work({ startMs: at('2026-12-02T16:30:00+01:00'), endMs: at('2026-12-02T17:10:00+01:00') });
    expect(refusal(() => decideWork(s, f, late, calendar)).code).toBe('TRANSITION_NOT_ALLOWED');
  });

  it('takes the billable flag instead of the calendar', () => {
    const f = facts();
    const s = new Incident(f).status;
    expect(decideWork(s, f, work({ billable: false }))).not.toBeNull();
    expect(refusal(() => decideWork(s, f, work({ billable: true }))).code).toBe('TRANSITION_NOT_ALLOWED');
    expect(refusal(() => decideWork(s, f, work())).code).toBe('INTERNAL');
  });

  it('may log work after resolution, never once closed', () => {
    const f = facts('hog');
    const resolved = new Incident(f).apply(ack).apply(resolve);
    expect(decideWork(resolved.status, f, work(), calendar)).not.toBeNull();
    const closed = resolved.apply(close);
    const e = refusal(() => decideWork(closed.status, f, work(), calendar));
    expect(e.code).toBe('TRANSITION_NOT_ALLOWED');
    expect(e.message).toBe(
      'Cannot log work: the incident is closed. A closed incident can only be corrected with a credit note.',
    );
  });

  it('validates the entry against the incident’s other entries', () => {
    const f = facts('hog');
    const s = new Incident(f).status;
    expect(refusal(() => decideWork(s, f, work({ endMs: reported }), calendar)).errors[0]?.path).toBe('/end');
    const other = { id: 'w0', startMs: reported, endMs: reported + 20 * MIN, engineerId: 'anna' };
    expect(refusal(() => decideWork(s, f, work(), calendar, [other])).code).toBe('CONFLICT');
    // The entry itself (same id) is not a clash.
    expect(decideWork(s, f, work(), calendar, [{ ...other, id: 'w1' }])).not.toBeNull();
  });
});

describe('decideResolve and decideClose', () => {
  it('resolves an acknowledged incident with a note, then closes it', () => {
    const i = incident('hog').apply(ack);
    expect(decideResolve(i.status, { atMs: reported + 90 * MIN, note: 'fixed' })).toEqual({
      type: 'resolved',
      atMs: reported + 90 * MIN,
      data: { note: 'fixed' },
    });
    i.apply(resolve);
    expect(decideClose(i.status, { atMs: reported + 95 * MIN })).toEqual({
      type: 'closed',
      atMs: reported + 95 * MIN,
      data: {},
    });
  });

  it('refuses to resolve an unacknowledged incident', () => {
    const e = refusal(() => resolve(incident().status));
    expect(e.code).toBe('TRANSITION_NOT_ALLOWED');
    expect(e.message).toBe('Cannot resolve: nobody has acknowledged the incident yet. Acknowledge it first.');
  });

  it('a call-back is acknowledgement enough to resolve', () => {
    const i = incident().apply((s) => decideCallBack(s, { atMs: reported + MIN }, reported + MIN));
    expect(resolve(i.status)).not.toBeNull();
  });

  it('a second resolve and a second close are repeats', () => {
    const i = incident('hog').apply(ack).apply(resolve);
    expect(resolve(i.status)).toBeNull();
    i.apply(close);
    expect(close(i.status)).toBeNull();
  });

  it('refuses to close before resolution', () => {
    for (const i of [incident(), incident().apply(ack)]) {
      const e = refusal(() => close(i.status));
      expect(e.code).toBe('TRANSITION_NOT_ALLOWED');
      expect(e.message).toBe('Cannot close: the incident is not resolved yet. Resolve it first.');
    }
  });

  it('never reopens a closed incident', () => {
    const i = incident('hog').apply(ack).apply(resolve).apply(close);
    const e = refusal(() => resolve(i.status));
    expect(e.code).toBe('TRANSITION_NOT_ALLOWED');
    expect(e.message).toBe(
      'Cannot resolve: the incident is closed. A closed incident can only be corrected with a credit note.',
    );
    expect(i.status.state).toBe('closed');
  });
});
