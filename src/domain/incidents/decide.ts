import type { Calendar } from '../calendar/calendar.js';
import { DomainError, invalidField } from '../shared/domain-error.js';
import type { IncidentStatus } from './derive-incident.js';
import type { ConsentVia, IncidentFacts, PendingEvent } from './timeline.js';
import type { ExistingWorkEntry } from './work-entry.js';
import { isBillableWork, validateWorkEntry } from './work-entry.js';

/**
 * The lifecycle's commands as pure decisions (SPEC.md section 5). Each takes the derived status and
 * returns the event to append (the caller adds seq and actor, in the same transaction that read the
 * status), or null when the command repeats what is already recorded (a retried request), or throws
 * DomainError TRANSITION_NOT_ALLOWED with a message for the user (VALIDATION_FAILED for a bad field).
 */

function refuse(message: string): never {
  throw new DomainError('TRANSITION_NOT_ALLOWED', message);
}

function refuseIfClosed(status: IncidentStatus, what: string): void {
  if (status.state === 'closed') {
    refuse(
      `Cannot ${what}: the incident is closed. A closed incident can only be corrected with a credit note.`,
    );
  }
}

function refuseIfResolved(status: IncidentStatus, what: string): void {
  refuseIfClosed(status, what);
  if (status.state === 'resolved') refuse(`Cannot ${what}: the incident is already resolved.`);
}

const withNote = (note: string | undefined): { note?: string } => (note === undefined ? {} : { note });

/** Acknowledge command: when, and which engineer took it (optional). */
export interface AcknowledgeCommand {
  atMs: number;
  engineerId?: string | null;
}

/**
 * Acknowledges an incident (stops the escalation). Null once it is acknowledged in any way (an
 * acknowledgement, call-back, triage or work entry), so a second tap or SMS reply is harmless.
 */
export function decideAcknowledge(
  status: IncidentStatus,
  command: AcknowledgeCommand,
): PendingEvent<'acknowledged'> | null {
  if (status.acknowledgedAtMs !== null) return null;
  refuseIfClosed(status, 'acknowledge');
  const data = command.engineerId ? { engineerId: command.engineerId } : {};
  return { type: 'acknowledged', atMs: command.atMs, data };
}

/** Call-back command: when the engineer reached the customer (may be earlier than now). */
export interface CallBackCommand {
  atMs: number;
  engineerId?: string | null;
}

/**
 * Records the call-back that ends the response clock; it also counts as acknowledgement. The first
 * call-back counts, so a second one returns null. Refused (VALIDATION_FAILED at `/at`) before the report
 * or after `nowMs`; refused when closed, and after resolution unless it happened before it (a call-back
 * recorded late).
 * @example decideCallBack(status, { atMs: reportedAtMs + 9 * 60_000 }, nowMs) // { type: 'called_back', … }
 */
export function decideCallBack(
  status: IncidentStatus,
  command: CallBackCommand,
  nowMs: number,
): PendingEvent<'called_back'> | null {
  if (status.calledBackAtMs !== null) return null;
  refuseIfClosed(status, 'record a call-back');
  if (command.atMs < status.reportedAtMs) invalidField('/at', 'the call-back cannot be before the report');
  if (command.atMs > nowMs) invalidField('/at', 'the call-back cannot be in the future');
  if (status.resolvedAtMs !== null && command.atMs > status.resolvedAtMs) {
    refuse('Cannot record a call-back after the incident was resolved.');
  }
  const data = command.engineerId ? { engineerId: command.engineerId } : {};
  return { type: 'called_back', atMs: command.atMs, data };
}

/** Triage command: within Ballou's responsibility or not, with an optional note. */
export interface TriageCommand {
  atMs: number;
  withinResponsibility: boolean;
  note?: string;
}

/**
 * Records a triage; allowed until the incident is resolved. A re-triage is recorded too and replaces the
 * earlier one (the latest counts). Outside responsibility the caller hands over (decideHandOver).
 */
export function decideTriage(status: IncidentStatus, command: TriageCommand): PendingEvent<'triaged'> {
  refuseIfResolved(status, 'triage');
  return {
    type: 'triaged',
    atMs: command.atMs,
    data: { withinResponsibility: command.withinResponsibility, ...withNote(command.note) },
  };
}

/** Hand-over command: whom the incident was handed to and how they were told. */
export interface HandOverCommand {
  atMs: number;
  contactName: string;
  channel: string;
}

/**
 * Records the hand-over to the customer's application-level on-call contact (SPEC.md 5.5): only after a
 * triage outside responsibility, and until the incident is resolved.
 */
export function decideHandOver(
  status: IncidentStatus,
  command: HandOverCommand,
): PendingEvent<'handed_over'> {
  refuseIfResolved(status, 'hand over');
  if (status.triage === null || status.triage.withinResponsibility) {
    refuse('Cannot hand over: the incident has not been triaged as outside Ballou’s responsibility.');
  }
  return {
    type: 'handed_over',
    atMs: command.atMs,
    data: { contactName: command.contactName, channel: command.channel },
  };
}

/** Consent command: the customer's decision, who gave it and how. */
export interface ConsentCommand {
  atMs: number;
  granted: boolean;
  by: string;
  via: ConsentVia;
}

/**
 * Records the customer's decision on billable work (tiers incident/none; refused for hog, whose
 * agreement covers the work). Allowed until resolved; a different decision replaces the earlier one,
 * the same decision again returns null (so a second "yes" does not move the action deadline).
 * VALIDATION_FAILED for an empty `by` or an unknown `via`.
 */
export function decideConsent(
  status: IncidentStatus,
  facts: IncidentFacts,
  command: ConsentCommand,
): PendingEvent<'consent_recorded'> | null {
  if (facts.tier === 'hog') {
    refuse('Consent is not needed for tier hog: the agreement covers the work, Ballou may act at once.');
  }
  if (typeof command.by !== 'string' || command.by.trim() === '')
    invalidField('/by', 'must name who decided');
  if (command.via !== 'phone' && command.via !== 'portal') invalidField('/via', 'must be phone or portal');
  if (status.consent !== null && status.consent.granted === command.granted) return null;
  refuseIfResolved(status, 'record consent');
  return {
    type: 'consent_recorded',
    atMs: command.atMs,
    data: { granted: command.granted, by: command.by.trim(), via: command.via },
  };
}

/** Work command: the entry to log (its row id made by the caller) and when it is logged. */
export interface WorkCommand {
  atMs: number;
  workEntryId: string;
  engineerId: string;
  startMs: number;
  endMs: number;
  withinResponsibility: boolean;
  note?: string;
  /**
   * Whether any part is billable (isBillableWork), when the caller has computed it; otherwise pass the
   * calendar and decideWork computes it.
   */
  billable?: boolean;
}

/**
 * Logs a work entry. Refused when closed (work after resolution may still be logged, e.g. late). On tiers
 * incident/none a billable entry needs the customer's standing consent; work within responsibility that
 * lies wholly in office hours is covered by the agreement and needs none. Billability is `entry.billable`
 * when given, else computed here with `calendar` (isBillableWork; one of the two is required). The entry
 * is validated (validateWorkEntry) against `existing`, the incident's other entries.
 * @example decideWork(status, facts, { atMs, workEntryId, engineerId, startMs, endMs, withinResponsibility: true }, calendar)
 */
export function decideWork(
  status: IncidentStatus,
  facts: IncidentFacts,
  entry: WorkCommand,
  calendar?: Pick<Calendar, 'splitInterval'>,
  existing: readonly ExistingWorkEntry[] = [],
): PendingEvent<'work_logged'> {
  refuseIfClosed(status, 'log work');
  validateWorkEntry({ ...entry, id: entry.workEntryId }, existing);
  if (facts.tier !== 'hog' && status.consent?.granted !== true && billable(entry, calendar)) {
    refuse(
      status.consent === null
        ? 'Cannot log billable work yet: the customer has not given consent. Record the consent first.'
        : 'Cannot log billable work: the customer refused consent. Record a new consent if they change their mind.',
    );
  }
  return {
    type: 'work_logged',
    atMs: entry.atMs,
    data: {
      workEntryId: entry.workEntryId,
      engineerId: entry.engineerId,
      startMs: entry.startMs,
      endMs: entry.endMs,
      withinResponsibility: entry.withinResponsibility,
      ...withNote(entry.note),
    },
  };
}

function billable(entry: WorkCommand, calendar: Pick<Calendar, 'splitInterval'> | undefined): boolean {
  if (entry.billable !== undefined) return entry.billable;
  if (calendar === undefined)
    throw new DomainError('INTERNAL', 'decideWork needs the calendar or `billable`');
  return isBillableWork(entry, calendar);
}

/** Resolve or close command. */
export interface ResolveCommand {
  atMs: number;
  note?: string;
}

/** Resolves an acknowledged incident; null when already resolved; refused when open or closed. */
export function decideResolve(
  status: IncidentStatus,
  command: ResolveCommand,
): PendingEvent<'resolved'> | null {
  if (status.state === 'resolved') return null;
  refuseIfClosed(status, 'resolve');
  if (status.acknowledgedAtMs === null) {
    refuse('Cannot resolve: nobody has acknowledged the incident yet. Acknowledge it first.');
  }
  return { type: 'resolved', atMs: command.atMs, data: withNote(command.note) };
}

/** Closes a resolved incident (it is then priced); null when already closed; refused before resolution. */
export function decideClose(status: IncidentStatus, command: ResolveCommand): PendingEvent<'closed'> | null {
  if (status.state === 'closed') return null;
  if (status.state !== 'resolved')
    refuse('Cannot close: the incident is not resolved yet. Resolve it first.');
  return { type: 'closed', atMs: command.atMs, data: withNote(command.note) };
}
