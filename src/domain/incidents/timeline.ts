import type { SlaClockName } from '../sla/sla.js';
import type { Tier } from '../shared/tier.js';

/**
 * An incident is its timeline (SPEC.md section 5): every step is an event with an actor and a time, kept
 * in append order (`seq`), and the current state is derived from it (derive-incident.ts). Instants are
 * UTC epoch milliseconds. Events are never changed or removed.
 */

/** Every kind of timeline event, in lifecycle order. */
export const INCIDENT_EVENT_TYPES = [
  'reported',
  'attached',
  'paged',
  'acknowledged',
  'escalated',
  'called_back',
  'triaged',
  'handed_over',
  'consent_recorded',
  'work_logged',
  'resolved',
  'closed',
  'sla_near_breach',
  'sla_breached',
  'note',
  'action_run',
  'page_delivery',
] as const;

/** The kind of a timeline event. */
export type IncidentEventType = (typeof INCIDENT_EVENT_TYPES)[number];

/** True for a known event type (e.g. a value read back from the database). */
export function isIncidentEventType(value: unknown): value is IncidentEventType {
  return typeof value === 'string' && (INCIDENT_EVENT_TYPES as readonly string[]).includes(value);
}

/** Every kind of actor. */
export const ACTOR_TYPES = ['user', 'token', 'system', 'integration', 'caller', 'engineer'] as const;

/** Who caused an event: a signed-in user, an API token, the system (jobs), an integration, the caller, an engineer. */
export interface Actor {
  type: (typeof ACTOR_TYPES)[number];
  id: string | null;
  name: string | null;
}

/** One stored timeline event; `data` holds the fields of IncidentEventData for its type. */
export interface IncidentEvent {
  /** Append order within the incident, strictly increasing. */
  seq: number;
  type: IncidentEventType;
  atMs: number;
  actor: Actor;
  data: Record<string, unknown>;
}

/** The incident's fixed facts: tier valid at the report time, reported in on-call time, report time. */
export interface IncidentFacts {
  tier: Tier;
  callout: boolean;
  reportedAtMs: number;
}

/** How the customer gave or refused consent. */
export type ConsentVia = 'phone' | 'portal';

/**
 * The `data` of each event type. Fields marked optional may be absent; extra fields are allowed and
 * ignored by the derivation.
 */
export interface IncidentEventData {
  /** The report itself: how it came in. */
  reported: { channel?: string; summary?: string };
  /** Another call or alert for the same customer and server joined this open incident. */
  attached: { channel: string; source?: string };
  /** Escalation step 0 (the first page); `engineerIds` are the recipients. */
  paged: { step: number; engineerIds: string[]; channel?: string; reason?: string };
  /** Someone took the incident; stops the escalation. */
  acknowledged: { engineerId?: string; via?: string };
  /** Escalation step ≥ 1. */
  escalated: { step: number; engineerIds?: string[]; reason?: string };
  /** The engineer called the customer back at `atMs`; ends the response clock. */
  called_back: { engineerId?: string };
  /** First-line triage; the latest one counts. */
  triaged: { withinResponsibility: boolean; note?: string };
  /** Outside responsibility: handed over to the customer's application-level on-call contact. */
  handed_over: { contactName: string; channel: string };
  /** The customer's decision on billable work (tiers incident/none); who gave it and how. */
  consent_recorded: { granted: boolean; by: string; via: ConsentVia };
  /** A work entry was logged; `startMs` of the first one ends the action clock. */
  work_logged: {
    workEntryId: string;
    engineerId: string;
    startMs: number;
    endMs: number;
    withinResponsibility: boolean;
    note?: string;
  };
  /** Resolved (work done); needs acknowledgement first. */
  resolved: { note?: string };
  /** Closed (ready for pricing); needs resolution first. Never reopened. */
  closed: { note?: string };
  /** A clock passed 2/3 of its target; `dueMs` is the deadline it was raised for. */
  sla_near_breach: { clock: SlaClockName; dueMs?: number };
  /** A clock passed its deadline. */
  sla_breached: { clock: SlaClockName; dueMs?: number };
  /** A free-text note. */
  note: { text: string };
  /** A pre-authorized action ran (SPEC.md section 7); counts as action started at `atMs`. */
  action_run: { runId?: string; action?: string; serverId?: string; trigger?: 'manual' | 'automatic' };
  /**
   * The provider reported on a page (SMS delivered/failed, call answered/no-answer/busy/failed); `atMs` is
   * the provider's time. Says nothing about the incident's state.
   */
  page_delivery: {
    notificationId: string;
    engineerId: string | null;
    channel: 'sms' | 'voice';
    status: 'delivered' | 'failed' | 'answered' | 'no-answer' | 'busy';
    provider: string;
  };
}

/** An event about to be appended: what a decide function returns; the caller adds seq and actor. */
export interface PendingEvent<T extends IncidentEventType = IncidentEventType> {
  type: T;
  atMs: number;
  data: IncidentEventData[T];
}

/**
 * Appends a pending event with the next seq (one more than the highest so far); returns a new array.
 * @example appendEvent([], { type: 'acknowledged', atMs, data: {} }, actor) // [{ seq: 1, … }]
 */
export function appendEvent(
  events: readonly IncidentEvent[],
  event: PendingEvent,
  actor: Actor,
): IncidentEvent[] {
  const seq = events.reduce((max, e) => Math.max(max, e.seq), 0) + 1;
  return [...events, { seq, type: event.type, atMs: event.atMs, actor, data: { ...event.data } }];
}
