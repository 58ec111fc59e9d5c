import type { Tier } from '../shared/tier.js';
import { TIERS } from '../shared/tier.js';

/**
 * The SLA report (SPEC.md section 1, the duty planner's "monthly SLA compliance"): callouts per month and
 * tier, response and action times against their targets (median, 90th percentile, breaches), and the
 * share of clocks met per customer. Pure: the incidents and `now` come in; instants are epoch ms.
 *
 * A clock counts once it is decided: stopped (the call-back, the first work) or past its deadline while
 * still running. A clock still running before its deadline is left out, neither met nor breached.
 */
export interface ReportIncident {
  customerId: string | null;
  customerName: string | null;
  tier: Tier;
  callout: boolean;
  /** The Stockholm month of the report, YYYY-MM. */
  month: string;
  reportedAtMs: number;
  responseDueMs: number | null;
  calledBackAtMs: number | null;
  actionDueMs: number | null;
  /** When the action clock started: the report (tier hog) or the customer's consent. */
  actionClockStartMs: number | null;
  actionStartedAtMs: number | null;
}

export interface ClockStats {
  /** Clocks decided (met or breached). */
  decided: number;
  met: number;
  breaches: number;
  /** Of the clocks stopped, in seconds; null when none stopped. */
  medianSeconds: number | null;
  p90Seconds: number | null;
  /** The median target in seconds of the clocks counted (15 min response, 60 min action by default). */
  targetSeconds: number | null;
}

export interface SlaReport {
  months: Array<{ month: string; callouts: Record<Tier, number>; incidents: number }>;
  response: ClockStats;
  action: ClockStats;
  byTier: Array<{ tier: Tier; response: ClockStats; action: ClockStats }>;
  customers: Array<{
    customerId: string | null;
    customerName: string | null;
    incidents: number;
    responseBreaches: number;
    actionBreaches: number;
    /** Clocks met ÷ clocks decided, 0..1; null when no clock was decided. */
    compliance: number | null;
  }>;
}

interface ClockSample {
  decided: boolean;
  met: boolean;
  seconds: number | null;
  targetSeconds: number | null;
}

/** Nearest-rank percentile of sorted values (p in 0..100). */
export function percentile(sorted: readonly number[], p: number): number | null {
  if (sorted.length === 0) return null;
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[rank - 1] as number;
}

function clock(
  startMs: number | null,
  dueMs: number | null,
  stoppedMs: number | null,
  nowMs: number,
): ClockSample | null {
  if (dueMs === null) return null;
  const decided = stoppedMs !== null || nowMs > dueMs;
  const met = stoppedMs !== null && stoppedMs <= dueMs;
  const seconds =
    stoppedMs !== null && startMs !== null ? Math.max(0, Math.round((stoppedMs - startMs) / 1000)) : null;
  const targetSeconds = startMs !== null ? Math.round((dueMs - startMs) / 1000) : null;
  return { decided, met, seconds, targetSeconds };
}

function stats(samples: Array<ClockSample | null>): ClockStats {
  const counted = samples.filter((s): s is ClockSample => s !== null && s.decided);
  const durations = counted.flatMap((s) => (s.seconds === null ? [] : [s.seconds])).sort((a, b) => a - b);
  const targets = counted
    .flatMap((s) => (s.targetSeconds === null ? [] : [s.targetSeconds]))
    .sort((a, b) => a - b);
  const met = counted.filter((s) => s.met).length;
  return {
    decided: counted.length,
    met,
    breaches: counted.length - met,
    medianSeconds: percentile(durations, 50),
    p90Seconds: percentile(durations, 90),
    targetSeconds: percentile(targets, 50),
  };
}

/** Every month from `from` to `to` (YYYY-MM, inclusive). */
export function monthsBetween(from: string, to: string): string[] {
  const months: string[] = [];
  let [y, m] = from.split('-').map(Number) as [number, number];
  const [ty, tm] = to.split('-').map(Number) as [number, number];
  while (y < ty || (y === ty && m <= tm)) {
    months.push(`${y}-${String(m).padStart(2, '0')}`);
    m += 1;
    if (m > 12) {
      m = 1;
      y += 1;
    }
  }
  return months;
}

export function slaReport(
  incidents: readonly ReportIncident[],
  months: readonly string[],
  nowMs: number,
): SlaReport {
  const response = (i: ReportIncident) => clock(i.reportedAtMs, i.responseDueMs, i.calledBackAtMs, nowMs);
  const action = (i: ReportIncident) =>
    clock(i.actionClockStartMs, i.actionDueMs, i.actionStartedAtMs, nowMs);

  const byCustomer = new Map<string, ReportIncident[]>();
  for (const i of incidents) {
    const key = i.customerId ?? '';
    byCustomer.set(key, [...(byCustomer.get(key) ?? []), i]);
  }

  return {
    months: months.map((month) => {
      const inMonth = incidents.filter((i) => i.month === month);
      const callouts = Object.fromEntries(TIERS.map((t) => [t, 0])) as Record<Tier, number>;
      for (const i of inMonth) if (i.callout) callouts[i.tier] += 1;
      return { month, callouts, incidents: inMonth.length };
    }),
    response: stats(incidents.map(response)),
    action: stats(incidents.map(action)),
    byTier: TIERS.map((tier) => {
      const ofTier = incidents.filter((i) => i.tier === tier);
      return { tier, response: stats(ofTier.map(response)), action: stats(ofTier.map(action)) };
    }),
    customers: [...byCustomer.values()]
      .map((list) => {
        const r = stats(list.map(response));
        const a = stats(list.map(action));
        const decided = r.decided + a.decided;
        return {
          customerId: list[0]?.customerId ?? null,
          customerName: list[0]?.customerName ?? null,
          incidents: list.length,
          responseBreaches: r.breaches,
          actionBreaches: a.breaches,
          compliance: decided === 0 ? null : (r.met + a.met) / decided,
        };
      })
      .sort((x, y) => (x.customerName ?? '').localeCompare(y.customerName ?? '', 'sv')),
  };
}
