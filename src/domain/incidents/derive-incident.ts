import type { RaisedSlaAlarm, SlaTargets } from '../sla/sla.js';
import { slaDeadlines } from '../sla/sla.js';
import type { ConsentVia, IncidentEvent, IncidentFacts } from './timeline.js';

/**
 * The lifecycle states, in order; the derived state never moves backwards as events are appended.
 * - `open`: reported, nobody has taken it yet (escalation runs).
 * - `acknowledged`: someone has taken it. Acknowledgement is an `acknowledged` event, and also a call-back,
 *   a triage or a logged work entry without one: an engineer who talks to the customer or works on the
 *   incident has evidently taken it, and paging the next person would be noise.
 * - `in_progress`: acknowledged, and the engineer is past taking it: triaged, logged work or ran an action.
 *   Consent alone does not move it (the customer may consent in the portal before anyone has looked).
 * - `resolved`, then `closed`; a closed incident is never reopened here (SPEC.md 5.8: credit notes only).
 */
export type IncidentState = 'open' | 'acknowledged' | 'in_progress' | 'resolved' | 'closed';

/** The states in lifecycle order. */
export const INCIDENT_STATES: readonly IncidentState[] = [
  'open',
  'acknowledged',
  'in_progress',
  'resolved',
  'closed',
];

/** Position of a state in the lifecycle (open 0 … closed 4). */
export function stateRank(state: IncidentState): number {
  return INCIDENT_STATES.indexOf(state);
}

/** Everything known about an incident now, derived from its facts and timeline. */
export interface IncidentStatus {
  state: IncidentState;
  reportedAtMs: number;
  /** Earliest acknowledgement evidence (ack, call-back, triage or work logged), by event time. */
  acknowledgedAtMs: number | null;
  /** The earliest call-back; ends the response clock. */
  calledBackAtMs: number | null;
  /** The latest triage. */
  triage: { withinResponsibility: boolean; atMs: number } | null;
  /** Ever handed over to the customer's application-level contact. */
  handedOver: boolean;
  /**
   * The customer's standing decision. A repeat of the same decision does not replace it (its time starts
   * the action clock, which a second "yes" must not move); a different decision does.
   */
  consent: { granted: boolean; by: string; via: ConsentVia; atMs: number } | null;
  /** Tiers incident/none need the customer's consent before billable work (SPEC.md 5.6); hog never. */
  consentRequired: boolean;
  /** Start of the first work entry or time of the first action run, whichever is earlier; null before. */
  actionStartedAtMs: number | null;
  resolvedAtMs: number | null;
  closedAtMs: number | null;
  /** Report + response target (sla.ts). */
  responseDueMs: number;
  /** Action deadline, null when there is none (yet); see slaDeadlines. */
  actionDueMs: number | null;
  /** When the action clock started (report for hog, consent for incident/none), null when it has not. */
  actionFromMs: number | null;
  /** SLA alarms already on the timeline, so a job raises each once (slaAlarms). */
  slaAlarmsRaised: RaisedSlaAlarm[];
}

const isNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const minOf = (a: number | null, b: number): number => (a === null || b < a ? b : a);

/**
 * Derives an incident's status from its facts and timeline. Events are applied in `seq` order whatever
 * their order in the array; event fields of the wrong type are ignored (as if absent). `policy` is the
 * tier's targets valid at the report time.
 * @example deriveIncident(facts, [{ seq: 1, type: 'acknowledged', atMs, actor, data: {} }], targets).state // 'acknowledged'
 */
export function deriveIncident(
  facts: IncidentFacts,
  events: readonly IncidentEvent[],
  policy: SlaTargets,
): IncidentStatus {
  const ordered = [...events].sort((a, b) => a.seq - b.seq);
  let acknowledgedAtMs: number | null = null;
  let calledBackAtMs: number | null = null;
  let triage: IncidentStatus['triage'] = null;
  let handedOver = false;
  let consent: IncidentStatus['consent'] = null;
  let working = false;
  let actionStartedAtMs: number | null = null;
  let resolvedAtMs: number | null = null;
  let closedAtMs: number | null = null;
  const slaAlarmsRaised: RaisedSlaAlarm[] = [];

  for (const event of ordered) {
    const { data, atMs } = event;
    switch (event.type) {
      case 'acknowledged':
        acknowledgedAtMs = minOf(acknowledgedAtMs, atMs);
        break;
      case 'called_back':
        acknowledgedAtMs = minOf(acknowledgedAtMs, atMs);
        calledBackAtMs = minOf(calledBackAtMs, atMs);
        break;
      case 'triaged':
        if (typeof data.withinResponsibility !== 'boolean') break;
        acknowledgedAtMs = minOf(acknowledgedAtMs, atMs);
        triage = { withinResponsibility: data.withinResponsibility, atMs };
        working = true;
        break;
      case 'handed_over':
        handedOver = true;
        break;
      case 'consent_recorded':
        if (typeof data.granted !== 'boolean') break;
        if (consent !== null && consent.granted === data.granted) break;
        consent = {
          granted: data.granted,
          by: typeof data.by === 'string' ? data.by : '',
          via: data.via === 'portal' ? 'portal' : 'phone',
          atMs,
        };
        break;
      case 'work_logged':
        acknowledgedAtMs = minOf(acknowledgedAtMs, atMs);
        working = true;
        if (isNumber(data.startMs)) actionStartedAtMs = minOf(actionStartedAtMs, data.startMs);
        break;
      case 'action_run':
        working = true;
        actionStartedAtMs = minOf(actionStartedAtMs, atMs);
        break;
      case 'resolved':
        resolvedAtMs ??= atMs;
        break;
      case 'closed':
        closedAtMs ??= atMs;
        break;
      case 'sla_near_breach':
      case 'sla_breached':
        if (data.clock === 'response' || data.clock === 'action') {
          slaAlarmsRaised.push({
            type: event.type,
            clock: data.clock,
            dueMs: isNumber(data.dueMs) ? data.dueMs : null,
          });
        }
        break;
      default:
        break;
    }
  }

  const state: IncidentState =
    closedAtMs !== null
      ? 'closed'
      : resolvedAtMs !== null
        ? 'resolved'
        : acknowledgedAtMs === null
          ? 'open'
          : working
            ? 'in_progress'
            : 'acknowledged';
  const deadlines = slaDeadlines(facts, { consent, triage }, policy);
  return {
    state,
    reportedAtMs: facts.reportedAtMs,
    acknowledgedAtMs,
    calledBackAtMs,
    triage,
    handedOver,
    consent,
    consentRequired: facts.tier !== 'hog',
    actionStartedAtMs,
    resolvedAtMs,
    closedAtMs,
    responseDueMs: deadlines.responseDueMs,
    actionDueMs: deadlines.actionDueMs,
    actionFromMs: deadlines.actionFromMs,
    slaAlarmsRaised,
  };
}
