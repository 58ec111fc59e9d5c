import { invalidField } from '../shared/domain-error.js';

/**
 * The paging plan of a callout (SPEC.md 5.2) as pure decisions; a durable job runs one step at a time,
 * checks before each step that nobody has acknowledged, and schedules the next at `nextStepAtMs`.
 *
 * | step | due at                                   | recipients                                   |
 * |------|------------------------------------------|----------------------------------------------|
 * | 0    | report                                   | primary                                      |
 * | 1    | report + secondaryAfter                  | secondary, and the primary again             |
 * | 2    | report + managerAfter                    | managers, primary, secondary                 |
 * | k≥3  | report + managerAfter + (k−2)·repeatEvery | everyone of steps 0–2 again ('repeat')       |
 *
 * Never silent: a step whose list would be empty (no primary at step 0; neither on-call engineer at step
 * 1; nobody at step 2) pages the managers, everyone with a phone and whoever is on call ('roster-gap').
 * Recipients are de-duplicated, in the order above. The context is resolved by the caller at the time of
 * each step (the roster may change during a long night).
 */

/** Escalation timings in milliseconds after the report (configuration). */
export interface EscalationTimings {
  secondaryAfterMs: number;
  managerAfterMs: number;
  repeatEveryMs: number;
  /** How many repeat steps (k ≥ 3) at most; unset or null pages until acknowledged. */
  maxRepeats?: number | null;
}

/** SPEC.md 5.2: secondary at 5 minutes, managers at 10; then every 5 minutes until acknowledged. */
export const DEFAULT_ESCALATION_TIMINGS: EscalationTimings = {
  secondaryAfterMs: 5 * 60_000,
  managerAfterMs: 10 * 60_000,
  repeatEveryMs: 5 * 60_000,
};

/** Who can be paged at the time of a step (engineer ids). */
export interface EscalationContext {
  onCall: { primary: string | null; secondary: string | null };
  managers: string[];
  everyoneWithPhone: string[];
}

/** Why a step pages whom it pages. */
export type EscalationReason = 'primary' | 'secondary' | 'managers' | 'repeat' | 'roster-gap';

/** One step of the plan: whom to page now, and when the following step is due (null: no more steps). */
export interface EscalationStep {
  step: number;
  recipients: string[];
  reason: EscalationReason;
  nextStepAtMs: number | null;
}

/** The smallest gap between two steps and the shortest repeat interval the plan uses. */
const MIN_GAP_MS = 1_000;
const MIN_REPEAT_MS = 30_000;

/**
 * Throws VALIDATION_FAILED unless 0 < secondaryAfter < managerAfter, repeatEvery ≥ 30 s (all whole ms)
 * and maxRepeats (if set) is a non-negative integer. Call it where configuration is loaded.
 */
export function validateEscalationTimings(timings: EscalationTimings, path = ''): void {
  const { secondaryAfterMs, managerAfterMs, repeatEveryMs, maxRepeats } = timings;
  if (!Number.isSafeInteger(secondaryAfterMs) || secondaryAfterMs <= 0) {
    invalidField(`${path}/secondaryAfterMs`, 'must be a positive whole number of milliseconds');
  }
  if (!Number.isSafeInteger(managerAfterMs) || managerAfterMs <= secondaryAfterMs) {
    invalidField(`${path}/managerAfterMs`, 'must be later than the secondary’s page');
  }
  if (!Number.isSafeInteger(repeatEveryMs) || repeatEveryMs < MIN_REPEAT_MS) {
    invalidField(`${path}/repeatEveryMs`, `must be at least ${MIN_REPEAT_MS / 1000} seconds`);
  }
  if (
    maxRepeats !== undefined &&
    maxRepeats !== null &&
    (!Number.isSafeInteger(maxRepeats) || maxRepeats < 0)
  ) {
    invalidField(`${path}/maxRepeats`, 'must be a whole number, 0 or more');
  }
}

/**
 * The timings as used: a page job must never fail on configuration, so instead of refusing, steps are
 * kept strictly increasing (each at least 1 s after the previous) and repeats at least 30 s apart.
 */
function effectiveTimings(timings: EscalationTimings) {
  const whole = (ms: number, min: number) => (Number.isFinite(ms) ? Math.max(min, Math.round(ms)) : min);
  const secondaryAfterMs = whole(timings.secondaryAfterMs, MIN_GAP_MS);
  const managerAfterMs = whole(timings.managerAfterMs, secondaryAfterMs + MIN_GAP_MS);
  const repeatEveryMs = whole(timings.repeatEveryMs, MIN_REPEAT_MS);
  const maxRepeats =
    timings.maxRepeats === undefined || timings.maxRepeats === null || !Number.isFinite(timings.maxRepeats)
      ? null
      : Math.max(0, Math.floor(timings.maxRepeats));
  return { secondaryAfterMs, managerAfterMs, repeatEveryMs, maxRepeats };
}

function assertStep(step: number): void {
  if (!Number.isSafeInteger(step) || step < 0) invalidField('/step', 'must be a whole number, 0 or more');
}

/**
 * When step `step` is due.
 * @example escalationStepAtMs(3, 0, DEFAULT_ESCALATION_TIMINGS) // 900000 (10 min + one 5-min repeat)
 */
export function escalationStepAtMs(step: number, reportedAtMs: number, timings: EscalationTimings): number {
  assertStep(step);
  const t = effectiveTimings(timings);
  if (step === 0) return reportedAtMs;
  if (step === 1) return reportedAtMs + t.secondaryAfterMs;
  return reportedAtMs + t.managerAfterMs + (step - 2) * t.repeatEveryMs;
}

/**
 * The latest step due at `nowMs` (0 before or at the report): after an outage the job can run this one
 * step instead of every missed page.
 * @example escalationStepDueAt(0, 12 * 60_000, DEFAULT_ESCALATION_TIMINGS) // 2
 */
export function escalationStepDueAt(reportedAtMs: number, nowMs: number, timings: EscalationTimings): number {
  const t = effectiveTimings(timings);
  const elapsed = nowMs - reportedAtMs;
  let step: number;
  if (elapsed < t.secondaryAfterMs) step = 0;
  else if (elapsed < t.managerAfterMs) step = 1;
  else step = 2 + Math.floor((elapsed - t.managerAfterMs) / t.repeatEveryMs);
  return t.maxRepeats === null ? step : Math.min(step, 2 + t.maxRepeats);
}

function unique(ids: readonly (string | null)[]): string[] {
  const seen = new Set<string>();
  for (const id of ids) if (id !== null && id !== '') seen.add(id);
  return [...seen];
}

function rosterGap(ctx: EscalationContext): string[] {
  return unique([...ctx.managers, ...ctx.everyoneWithPhone, ctx.onCall.primary, ctx.onCall.secondary]);
}

function planOf(step: 0 | 1 | 2, ctx: EscalationContext): { recipients: string[]; reason: EscalationReason } {
  const { primary, secondary } = ctx.onCall;
  const [wanted, reason]: [string[], EscalationReason] =
    step === 0
      ? [unique([primary]), 'primary']
      : step === 1
        ? [unique([secondary, primary]), 'secondary']
        : [unique([...ctx.managers, primary, secondary]), 'managers'];
  return wanted.length > 0
    ? { recipients: wanted, reason }
    : { recipients: rosterGap(ctx), reason: 'roster-gap' };
}

/**
 * Step `step` of the paging plan for an incident reported at `reportedAtMs`. Recipients are empty only
 * when the context names nobody at all (no on-call engineer, manager or phone): the caller must then
 * raise an operator alarm.
 * @example
 * escalationStep(0, t, DEFAULT_ESCALATION_TIMINGS, { onCall: { primary: null, secondary: 'bo' }, managers: ['max'], everyoneWithPhone: ['bo', 'cia'] })
 * // { step: 0, recipients: ['max', 'bo', 'cia'], reason: 'roster-gap', nextStepAtMs: t + 300000 }
 */
export function escalationStep(
  step: number,
  reportedAtMs: number,
  timings: EscalationTimings,
  ctx: EscalationContext,
): EscalationStep {
  assertStep(step);
  const t = effectiveTimings(timings);
  const last = t.maxRepeats === null ? null : 2 + t.maxRepeats;
  const nextStepAtMs =
    last !== null && step >= last ? null : escalationStepAtMs(step + 1, reportedAtMs, timings);
  if (step <= 2) return { step, ...planOf(step as 0 | 1 | 2, ctx), nextStepAtMs };
  const everyone = unique([0, 1, 2].flatMap((s) => planOf(s as 0 | 1 | 2, ctx).recipients));
  return { step, recipients: everyone, reason: 'repeat', nextStepAtMs };
}

/** Only callouts are paged; an incident reported in office hours goes to the support desk's queue. */
export function shouldPage(facts: { callout: boolean }): boolean {
  return facts.callout;
}
