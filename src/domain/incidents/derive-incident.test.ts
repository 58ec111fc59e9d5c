import { describe, expect, it } from 'vitest';
import { parseInstant } from '../calendar/instant.js';
import { DEFAULT_SLA_TARGETS } from '../sla/sla.js';
import { deriveIncident, INCIDENT_STATES, stateRank } from './derive-incident.js';
import type { Actor, IncidentEvent, IncidentEventType, IncidentFacts } from './timeline.js';

const MIN = 60_000;
const reported = parseInstant('2026-12-01T19:10:00+01:00', '/t');
const engineer: Actor = { type: 'engineer', id: 'anna', name: 'Anna' };
const facts = (tier: IncidentFacts['tier'] = 'incident'): IncidentFacts => ({
  tier,
  callout: true,
  reportedAtMs: reported,
});
const targets = DEFAULT_SLA_TARGETS.incident;

/** Events numbered 1.. in the order given; `min` is minutes after the report. */
const timeline = (...steps: [IncidentEventType, number, Record<string, unknown>?][]): IncidentEvent[] =>
  steps.map(([type, min, data], i) => ({
    seq: i + 1,
    type,
    atMs: reported + min * MIN,
    actor: engineer,
    data: data ?? {},
  }));
const derive = (events: IncidentEvent[], tier: IncidentFacts['tier'] = 'incident') =>
  deriveIncident(facts(tier), events, DEFAULT_SLA_TARGETS[tier]);

describe('deriveIncident', () => {
  it('a new incident is open with its response deadline', () => {
    const s = derive(
      timeline(['reported', 0, { channel: 'phone' }], ['paged', 0, { step: 0, engineerIds: ['anna'] }]),
    );
    expect(s).toEqual({
      state: 'open',
      reportedAtMs: reported,
      acknowledgedAtMs: null,
      calledBackAtMs: null,
      triage: null,
      handedOver: false,
      consent: null,
      consentRequired: true,
      actionStartedAtMs: null,
      resolvedAtMs: null,
      closedAtMs: null,
      responseDueMs: reported + 15 * MIN,
      actionDueMs: null,
      actionFromMs: null,
      slaAlarmsRaised: [],
    });
  });

  it('walks the whole lifecycle', () => {
    const events = timeline(
      ['reported', 0],
      ['acknowledged', 2, { engineerId: 'anna' }],
      ['called_back', 6],
      ['triaged', 8, { withinResponsibility: true }],
      ['consent_recorded', 9, { granted: true, by: 'Kim Kund', via: 'phone' }],
      [
        'work_logged',
        80,
        {
          workEntryId: 'w1',
          engineerId: 'anna',
          startMs: reported + 10 * MIN,
          endMs: reported + 75 * MIN,
          withinResponsibility: true,
        },
      ],
      ['resolved', 81],
      ['closed', 90, { note: 'done' }],
    );
    const states = events.map((_, i) => derive(events.slice(0, i + 1)).state);
    expect(states).toEqual([
      'open',
      'acknowledged',
      'acknowledged',
      'in_progress',
      'in_progress',
      'in_progress',
      'resolved',
      'closed',
    ]);
    const s = derive(events);
    expect(s).toMatchObject({
      acknowledgedAtMs: reported + 2 * MIN,
      calledBackAtMs: reported + 6 * MIN,
      triage: { withinResponsibility: true, atMs: reported + 8 * MIN },
      consent: { granted: true, by: 'Kim Kund', via: 'phone', atMs: reported + 9 * MIN },
      actionStartedAtMs: reported + 10 * MIN,
      actionFromMs: reported + 9 * MIN,
      actionDueMs: reported + 69 * MIN,
      resolvedAtMs: reported + 81 * MIN,
      closedAtMs: reported + 90 * MIN,
    });
  });

  it('a call-back without acknowledgement counts as acknowledgement', () => {
    const s = derive(timeline(['reported', 0], ['called_back', 4]));
    expect(s.state).toBe('acknowledged');
    expect(s.acknowledgedAtMs).toBe(reported + 4 * MIN);
    expect(s.calledBackAtMs).toBe(reported + 4 * MIN);
  });

  it('a call-back recorded late for an earlier time moves the acknowledgement earlier', () => {
    const s = derive(timeline(['acknowledged', 10], ['called_back', 5]));
    expect(s.acknowledgedAtMs).toBe(reported + 5 * MIN);
  });

  it('triage or logged work without acknowledgement acknowledge too, and mean in progress', () => {
    expect(derive(timeline(['triaged', 3, { withinResponsibility: true }]))).toMatchObject({
      state: 'in_progress',
      acknowledgedAtMs: reported + 3 * MIN,
    });
    const work = {
      workEntryId: 'w',
      engineerId: 'bo',
      startMs: reported,
      endMs: reported + MIN,
      withinResponsibility: true,
    };
    expect(derive(timeline(['work_logged', 7, work]))).toMatchObject({
      state: 'in_progress',
      actionStartedAtMs: reported,
    });
  });

  it('consent alone does not move an open incident; acknowledged with consent is acknowledged', () => {
    const consent = { granted: true, by: 'Kim', via: 'portal' };
    expect(derive(timeline(['consent_recorded', 1, consent])).state).toBe('open');
    expect(derive(timeline(['consent_recorded', 1, consent], ['acknowledged', 2])).state).toBe(
      'acknowledged',
    );
  });

  it('an automatic action run starts the action clock but does not acknowledge', () => {
    const s = derive(timeline(['action_run', 1, { trigger: 'automatic' }]), 'hog');
    expect(s).toMatchObject({ state: 'open', acknowledgedAtMs: null, actionStartedAtMs: reported + MIN });
    expect(derive(timeline(['action_run', 1], ['acknowledged', 3]), 'hog').state).toBe('in_progress');
  });

  it('the first work start counts, not the first logged', () => {
    const entry = (id: string, startMin: number) => ({
      workEntryId: id,
      engineerId: 'anna',
      startMs: reported + startMin * MIN,
      endMs: reported + (startMin + 5) * MIN,
      withinResponsibility: true,
    });
    const s = derive(
      timeline(['work_logged', 60, entry('late', 40)], ['work_logged', 61, entry('early', 20)]),
    );
    expect(s.actionStartedAtMs).toBe(reported + 20 * MIN);
  });

  it('applies events in seq order whatever the array order', () => {
    const events = timeline(
      ['reported', 0],
      ['acknowledged', 1],
      ['consent_recorded', 2, { granted: true, by: 'Kim', via: 'phone' }],
      ['triaged', 3, { withinResponsibility: false }],
      ['handed_over', 4, { contactName: 'App Jour', channel: 'sms' }],
      ['triaged', 5, { withinResponsibility: true }],
      ['consent_recorded', 6, { granted: false, by: 'Kim', via: 'portal' }],
      ['consent_recorded', 7, { granted: true, by: 'Lo', via: 'portal' }],
      ['resolved', 8],
    );
    const expected = derive(events);
    expect(expected).toMatchObject({
      state: 'resolved',
      triage: { withinResponsibility: true, atMs: reported + 5 * MIN },
      handedOver: true,
      consent: { granted: true, by: 'Lo', via: 'portal', atMs: reported + 7 * MIN },
      actionDueMs: reported + 67 * MIN,
    });
    // Seeded Fisher–Yates shuffles: the array order never matters, only seq.
    let seed = 42;
    const random = () => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
    for (let round = 0; round < 20; round++) {
      const shuffled = [...events];
      for (let i = shuffled.length - 1; i > 0; i--) {
        const j = Math.floor(random() * (i + 1));
        [shuffled[i], shuffled[j]] = [shuffled[j]!, shuffled[i]!];
      }
      expect(derive(shuffled)).toEqual(expected);
    }
  });

  it('a repeated consent decision keeps the first one (the action clock does not move)', () => {
    const s = derive(
      timeline(
        ['consent_recorded', 2, { granted: true, by: 'Kim', via: 'phone' }],
        ['consent_recorded', 9, { granted: true, by: 'Lo', via: 'portal' }],
      ),
    );
    expect(s.consent).toEqual({ granted: true, by: 'Kim', via: 'phone', atMs: reported + 2 * MIN });
    expect(s.actionDueMs).toBe(reported + 62 * MIN);
  });

  it('a refused consent leaves no action deadline; outside responsibility neither', () => {
    expect(
      derive(timeline(['consent_recorded', 2, { granted: false, by: 'Kim', via: 'phone' }])).actionDueMs,
    ).toBeNull();
    const hogOutside = derive(timeline(['triaged', 2, { withinResponsibility: false }]), 'hog');
    expect(hogOutside.actionDueMs).toBeNull();
    expect(hogOutside.consentRequired).toBe(false);
    expect(derive([], 'hog').actionDueMs).toBe(reported + 60 * MIN);
  });

  it('collects the SLA alarms already raised', () => {
    const s = derive(
      timeline(
        ['sla_near_breach', 10, { clock: 'response', dueMs: reported + 15 * MIN }],
        ['sla_breached', 15, { clock: 'response' }],
        ['sla_breached', 16, { clock: 'bogus' }],
      ),
    );
    expect(s.slaAlarmsRaised).toEqual([
      { type: 'sla_near_breach', clock: 'response', dueMs: reported + 15 * MIN },
      { type: 'sla_breached', clock: 'response', dueMs: null },
    ]);
  });

  it('ignores event fields of the wrong type', () => {
    const s = derive(
      timeline(['triaged', 1, { withinResponsibility: 'yes' }], ['consent_recorded', 2, { granted: 1 }]),
    );
    expect(s).toMatchObject({ state: 'open', triage: null, consent: null });
  });

  it('uses the office targets for an incident reported in office hours', () => {
    const office = { tier: 'hog' as const, callout: false, reportedAtMs: reported };
    const s = deriveIncident(office, [], { ...targets, officeResponseMinutes: 30, officeActionMinutes: 120 });
    expect(s.responseDueMs).toBe(reported + 30 * MIN);
    expect(s.actionDueMs).toBe(reported + 120 * MIN);
  });

  it('ranks the states in lifecycle order', () => {
    expect(INCIDENT_STATES.map(stateRank)).toEqual([0, 1, 2, 3, 4]);
  });
});
