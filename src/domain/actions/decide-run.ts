import type { Tier } from '../shared/tier.js';
import type { Authorization } from './authorization.js';

/** Who or what started a run. */
export type RunTrigger = 'manual' | 'automatic';

/** Every state a run passes through or ends in. */
export const RUN_STATUSES = [
  'queued',
  'running',
  'succeeded',
  'failed',
  'timed_out',
  'error',
  'host_key_mismatch',
  'interrupted',
  'refused',
] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];

/** Why a run was refused; recorded with the refusal. */
export type RefusalReason = 'not_authorized' | 'tier_not_hog' | 'daily_limit_reached';

export type RunDecision =
  { allowed: true } | { allowed: false; reason: RefusalReason; message: string; status: 403 | 409 };

const DAY_MS = 86_400_000;

/**
 * Runs that count towards the daily limit: everything that was let through, whatever its outcome (a
 * failed restart was still a restart). A refusal and a host key mismatch (refused before logging in)
 * do not count.
 */
export function countsTowardsLimit(status: RunStatus): boolean {
  return status !== 'refused' && status !== 'host_key_mismatch';
}

/**
 * How many of the runs of one action on one server fall in the 24 hours before `nowMs` (a rolling day,
 * so a limit cannot be doubled around midnight) and count towards the limit.
 * @example runsInLastDay([{ status: 'succeeded', createdAtMs: now - 3_600_000 }], now) // 1
 */
export function runsInLastDay(
  runs: readonly { status: RunStatus; createdAtMs: number }[],
  nowMs: number,
): number {
  return runs.filter(
    (r) => countsTowardsLimit(r.status) && r.createdAtMs > nowMs - DAY_MS && r.createdAtMs <= nowMs,
  ).length;
}

/** Everything decideRun needs to know. */
export interface RunRequest {
  trigger: RunTrigger;
  /** The active authorization of this action on this server, if there is one. */
  authorization: Authorization | undefined;
  /** The incident's tier (valid when it was reported). */
  tier: Tier;
  /** Runs of this action on this server in the last 24 hours that count (runsInLastDay). */
  runsInLastDay: number;
}

/**
 * Is this run allowed (SPEC.md 7)? Only with an active authorization that allows this trigger, automatic
 * runs only for tier `hog`, and not beyond the authorization's runs per 24 hours. Each refusal says why
 * and which HTTP status a manual request gets (403 not allowed, 409 the limit).
 * @example decideRun({ trigger: 'automatic', authorization, tier: 'incident', runsInLastDay: 0 }) // { allowed: false, reason: 'tier_not_hog', … }
 */
export function decideRun(request: RunRequest): RunDecision {
  const { authorization: a, trigger } = request;
  if (!a || a.revokedAtMs !== null || (trigger === 'manual' ? !a.manual : !a.automatic)) {
    return {
      allowed: false,
      reason: 'not_authorized',
      status: 403,
      message:
        trigger === 'manual'
          ? 'the customer has not authorized this action on this server'
          : 'the customer has not authorized this action to run automatically on this server',
    };
  }
  if (trigger === 'automatic' && request.tier !== 'hog') {
    return {
      allowed: false,
      reason: 'tier_not_hog',
      status: 403,
      message: `automatic actions are only for customers of tier hog (this incident is tier ${request.tier})`,
    };
  }
  if (a.maxRunsPerDay !== null && request.runsInLastDay >= a.maxRunsPerDay) {
    return {
      allowed: false,
      reason: 'daily_limit_reached',
      status: 409,
      message: `the customer allows at most ${a.maxRunsPerDay} run(s) of this action in 24 hours, and that many have run`,
    };
  }
  return { allowed: true };
}

/** What of the incident matters for a manual run. */
export interface IncidentForRun {
  state: 'open' | 'acknowledged' | 'in_progress' | 'resolved' | 'closed';
  tier: Tier;
  /** The customer's standing consent (tiers incident/none), null when none was recorded. */
  consentGranted: boolean | null;
}

/**
 * Whether the incident lets an engineer run an action now, or why not (a message; HTTP 409): someone
 * must have taken the incident, it must not be resolved or closed, and on tiers incident/none an action
 * outside Ballou's responsibility is billable work, which needs the customer's consent (SPEC.md 5.6).
 * @example incidentRefusesManualRun({ state: 'open', tier: 'hog', consentGranted: null }, true) // 'acknowledge the incident first…'
 */
export function incidentRefusesManualRun(
  incident: IncidentForRun,
  withinResponsibility: boolean,
): string | null {
  if (incident.state === 'resolved' || incident.state === 'closed') {
    return `the incident is ${incident.state}; actions run only on open incidents`;
  }
  if (incident.state === 'open') return 'acknowledge the incident first: nobody has taken it yet';
  if (incident.tier !== 'hog' && !withinResponsibility && incident.consentGranted !== true) {
    return 'this action is billable work outside Ballou’s responsibility: record the customer’s consent first';
  }
  return null;
}
