import { invalidField } from '../shared/domain-error.js';
import type { Tier } from '../shared/tier.js';

/**
 * Service-level promises (SPEC.md sections 3 and 5): the response clock runs from the report to the
 * call-back, the action clock to the first work. Instants are UTC epoch milliseconds; `now` is always an
 * argument. The decisions, each tested in sla.test.ts:
 * - Callouts (reported in on-call time) get the promised targets; incidents reported in office hours get
 *   the support desk's own targets (`office*`), so the board can show a countdown for them too.
 * - Time to action runs from the report for tier `hog`, and from the customer's consent for tiers
 *   `incident` and `none` (unknown until consent is granted). It applies within Ballou's responsibility
 *   only: after a triage "outside responsibility" there is no action deadline.
 * - A clock is near breach from 2/3 of its target elapsed (10 min of 15) and breached at its deadline.
 */

const MS_PER_MINUTE = 60_000;

/** Longest target accepted, in minutes (one week); anything longer is a typo in the policy table. */
export const MAX_SLA_TARGET_MINUTES = 7 * 24 * 60;

/** One tier's targets in minutes, as loaded from the sla_policies table for the report date. */
export interface SlaTargets {
  /** Report → call-back, for callouts. */
  responseMinutes: number;
  /** Report (hog) or consent (incident/none) → work started, for callouts. */
  actionMinutes: number;
  /** The support desk's response target for incidents reported in office hours. */
  officeResponseMinutes: number;
  /** The support desk's action target for incidents reported in office hours. */
  officeActionMinutes: number;
}

/** The price list's targets (15 min response, 60 min action), also used by the desk in office hours. */
export const DEFAULT_SLA_TARGETS: Readonly<Record<Tier, SlaTargets>> = {
  hog: { responseMinutes: 15, actionMinutes: 60, officeResponseMinutes: 15, officeActionMinutes: 60 },
  incident: { responseMinutes: 15, actionMinutes: 60, officeResponseMinutes: 15, officeActionMinutes: 60 },
  none: { responseMinutes: 15, actionMinutes: 60, officeResponseMinutes: 15, officeActionMinutes: 60 },
};

/** Throws VALIDATION_FAILED unless every target is a whole number of minutes in 1..MAX_SLA_TARGET_MINUTES. */
export function validateSlaTargets(targets: SlaTargets, path = ''): void {
  for (const key of [
    'responseMinutes',
    'actionMinutes',
    'officeResponseMinutes',
    'officeActionMinutes',
  ] as const) {
    const value = targets[key];
    if (!Number.isInteger(value) || value < 1 || value > MAX_SLA_TARGET_MINUTES) {
      invalidField(`${path}/${key}`, `must be a whole number of minutes from 1 to ${MAX_SLA_TARGET_MINUTES}`);
    }
  }
}

/** What the clocks need to know about an incident (IncidentFacts satisfies it). */
export interface SlaFacts {
  tier: Tier;
  /** Reported in on-call time. */
  callout: boolean;
  reportedAtMs: number;
}

/** The parts of an incident's status the deadlines depend on (IncidentStatus satisfies it). */
export interface SlaDeadlineInput {
  /** The customer's standing decision; `atMs` is when it was given. */
  consent: { granted: boolean; atMs: number } | null;
  /** The latest triage. */
  triage: { withinResponsibility: boolean } | null;
}

/** An incident's deadlines; `actionFromMs` is when the action clock started (null while it has not). */
export interface SlaDeadlines {
  responseDueMs: number;
  actionDueMs: number | null;
  actionFromMs: number | null;
}

/**
 * The response and action deadlines of an incident.
 * @example
 * // incident tier, callout reported 19:10, consent given 19:40: response due 19:25, action due 20:40
 * slaDeadlines({ tier: 'incident', callout: true, reportedAtMs: t1910 },
 *   { consent: { granted: true, atMs: t1940 }, triage: null }, DEFAULT_SLA_TARGETS.incident)
 */
export function slaDeadlines(facts: SlaFacts, input: SlaDeadlineInput, targets: SlaTargets): SlaDeadlines {
  const responseMinutes = facts.callout ? targets.responseMinutes : targets.officeResponseMinutes;
  const actionMinutes = facts.callout ? targets.actionMinutes : targets.officeActionMinutes;
  const responseDueMs = facts.reportedAtMs + responseMinutes * MS_PER_MINUTE;
  let actionFromMs: number | null;
  if (input.triage !== null && !input.triage.withinResponsibility) actionFromMs = null;
  else if (facts.tier === 'hog') actionFromMs = facts.reportedAtMs;
  else actionFromMs = input.consent?.granted ? input.consent.atMs : null;
  const actionDueMs = actionFromMs === null ? null : actionFromMs + actionMinutes * MS_PER_MINUTE;
  return { responseDueMs, actionDueMs, actionFromMs };
}

/**
 * A clock's state: `met`/`missed` once it has stopped (at or before / after the deadline); otherwise
 * `pending`, `near_breach` from 2/3 of the target elapsed, `breached` from the deadline on.
 */
export type SlaClockState = 'pending' | 'near_breach' | 'breached' | 'met' | 'missed';

/** The two clocks of an incident. */
export type SlaClockName = 'response' | 'action';

/**
 * The first instant at which a clock running from `startMs` to `dueMs` is near breach (2/3 elapsed,
 * rounded up to the millisecond).
 * @example nearBreachAtMs(0, 15 * 60_000) // 600000 (10 min of 15)
 */
export function nearBreachAtMs(startMs: number, dueMs: number): number {
  return startMs + Math.ceil((2 * (dueMs - startMs)) / 3);
}

/**
 * The state of one clock at `nowMs`. The target is `dueMs − startMs`; `metAtMs` is when the clock stopped
 * (call-back, first work), null while it runs. Monotone in `nowMs`: pending → near_breach → breached.
 * @example slaClock(15 * 60_000, 0, null, 10 * 60_000) // 'near_breach'
 */
export function slaClock(
  dueMs: number,
  startMs: number,
  metAtMs: number | null,
  nowMs: number,
): SlaClockState {
  if (metAtMs !== null) return metAtMs <= dueMs ? 'met' : 'missed';
  if (nowMs >= dueMs) return 'breached';
  // Integer comparison, no rounding: elapsed/target ≥ 2/3.
  if (3 * (nowMs - startMs) >= 2 * (dueMs - startMs)) return 'near_breach';
  return 'pending';
}

/** An SLA alarm recorded on an incident's timeline (event types sla_near_breach / sla_breached). */
export interface RaisedSlaAlarm {
  type: 'sla_near_breach' | 'sla_breached';
  clock: SlaClockName;
  /** The deadline it was raised for; null for an event recorded without one (matches any deadline). */
  dueMs: number | null;
}

/** A timeline event to append for an alarm (the caller adds seq and actor). */
export interface SlaAlarmEvent {
  type: 'sla_near_breach' | 'sla_breached';
  atMs: number;
  data: { clock: SlaClockName; dueMs: number };
}

/** The parts of an incident's status the alarms depend on (IncidentStatus satisfies it). */
export interface SlaAlarmInput {
  state: string;
  calledBackAtMs: number | null;
  responseDueMs: number;
  actionFromMs: number | null;
  actionDueMs: number | null;
  actionStartedAtMs: number | null;
  slaAlarmsRaised: readonly RaisedSlaAlarm[];
}

interface RunningClock {
  clock: SlaClockName;
  startMs: number;
  dueMs: number;
}

function runningClocks(status: SlaAlarmInput, facts: SlaFacts): RunningClock[] {
  if (status.state === 'resolved' || status.state === 'closed') return [];
  const clocks: RunningClock[] = [];
  if (status.calledBackAtMs === null) {
    clocks.push({ clock: 'response', startMs: facts.reportedAtMs, dueMs: status.responseDueMs });
  }
  if (status.actionDueMs !== null && status.actionFromMs !== null && status.actionStartedAtMs === null) {
    clocks.push({ clock: 'action', startMs: status.actionFromMs, dueMs: status.actionDueMs });
  }
  return clocks;
}

function raised(status: SlaAlarmInput, type: RaisedSlaAlarm['type'], clock: SlaClockName, dueMs: number) {
  return status.slaAlarmsRaised.some(
    (a) => a.type === type && a.clock === clock && (a.dueMs === null || a.dueMs === dueMs),
  );
}

/**
 * The alarm events due at `nowMs` and not yet on the timeline, for a periodic job to append (once each):
 * per running clock (response until the call-back, action until work starts; none once resolved) a
 * `sla_breached` from the deadline, else a `sla_near_breach` from 2/3 of the target. A clock already
 * breached gets no late near-breach. Alarms are keyed by clock and deadline, so a new action deadline
 * (consent withdrawn and given again) raises its own alarms. Events are stamped `nowMs`.
 * @example slaAlarms(status, facts, reportedAtMs + 10 * 60_000)
 * // [{ type: 'sla_near_breach', atMs: …, data: { clock: 'response', dueMs: reportedAtMs + 900000 } }]
 */
export function slaAlarms(status: SlaAlarmInput, facts: SlaFacts, nowMs: number): SlaAlarmEvent[] {
  const events: SlaAlarmEvent[] = [];
  for (const { clock, startMs, dueMs } of runningClocks(status, facts)) {
    const state = slaClock(dueMs, startMs, null, nowMs);
    if (state === 'breached') {
      if (!raised(status, 'sla_breached', clock, dueMs)) {
        events.push({ type: 'sla_breached', atMs: nowMs, data: { clock, dueMs } });
      }
    } else if (state === 'near_breach') {
      if (!raised(status, 'sla_near_breach', clock, dueMs) && !raised(status, 'sla_breached', clock, dueMs)) {
        events.push({ type: 'sla_near_breach', atMs: nowMs, data: { clock, dueMs } });
      }
    }
  }
  return events;
}

/**
 * The first instant at which `slaAlarms` can return anything for an incident, from what its row keeps:
 * the near breach of the response clock (report to response deadline) and of the action clock (its
 * deadline less the action target), whether or not those clocks still run. Before it no alarm can be
 * due, so a periodic check need not load the timeline.
 * @example firstSlaAlarmAtMs({ reportedAtMs: 0, responseDueMs: 15 * 60_000, actionDueMs: null, actionTargetMs: 0 }) // 600000
 */
export function firstSlaAlarmAtMs(clocks: {
  reportedAtMs: number;
  responseDueMs: number;
  actionDueMs: number | null;
  actionTargetMs: number;
}): number {
  const response = nearBreachAtMs(clocks.reportedAtMs, clocks.responseDueMs);
  if (clocks.actionDueMs === null) return response;
  return Math.min(response, nearBreachAtMs(clocks.actionDueMs - clocks.actionTargetMs, clocks.actionDueMs));
}

/**
 * When the next alarm of a running clock falls due after `nowMs` (near breach or breach), or null when
 * no clock runs: a periodic job can sleep until then.
 */
export function nextSlaAlarmAtMs(status: SlaAlarmInput, facts: SlaFacts, nowMs: number): number | null {
  let next: number | null = null;
  for (const { startMs, dueMs } of runningClocks(status, facts)) {
    for (const at of [nearBreachAtMs(startMs, dueMs), dueMs]) {
      if (at > nowMs && (next === null || at < next)) next = at;
    }
  }
  return next;
}
