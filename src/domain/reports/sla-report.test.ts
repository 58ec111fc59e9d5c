import { describe, expect, it } from 'vitest';
import { monthsBetween, percentile, slaReport, type ReportIncident } from './sla-report.js';

const MIN = 60_000;
const T0 = Date.UTC(2026, 10, 10, 21, 0); // 2026-11-10 22:00 Stockholm
const NOW = Date.UTC(2026, 11, 1, 11, 0);

function incident(over: Partial<ReportIncident>): ReportIncident {
  return {
    customerId: 'c1',
    customerName: 'Nordhamn',
    tier: 'hog',
    callout: true,
    month: '2026-11',
    reportedAtMs: T0,
    responseDueMs: T0 + 15 * MIN,
    calledBackAtMs: T0 + 5 * MIN,
    actionDueMs: T0 + 60 * MIN,
    actionClockStartMs: T0,
    actionStartedAtMs: T0 + 30 * MIN,
    ...over,
  };
}

describe('percentile (nearest rank)', () => {
  it('picks the value at the rank, and null for no values', () => {
    expect(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 90)).toBe(9);
    expect(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 50)).toBe(5);
    expect(percentile([7], 90)).toBe(7);
    expect(percentile([], 50)).toBeNull();
  });
});

describe('monthsBetween', () => {
  it('lists months across a new year, inclusive', () => {
    expect(monthsBetween('2025-11', '2026-02')).toEqual(['2025-11', '2025-12', '2026-01', '2026-02']);
    expect(monthsBetween('2026-03', '2026-03')).toEqual(['2026-03']);
  });
});

describe('slaReport', () => {
  it('counts callouts per month and tier, and leaves office-hours incidents out of the callouts', () => {
    const report = slaReport(
      [
        incident({}),
        incident({ tier: 'incident' }),
        incident({ tier: 'incident', callout: false }),
        incident({ month: '2026-10' }),
      ],
      ['2026-10', '2026-11'],
      NOW,
    );
    expect(report.months).toEqual([
      { month: '2026-10', callouts: { hog: 1, incident: 0, none: 0 }, incidents: 1 },
      { month: '2026-11', callouts: { hog: 1, incident: 1, none: 0 }, incidents: 3 },
    ]);
  });

  it('gives median, 90th percentile and breaches of response and action against the target', () => {
    const report = slaReport(
      [
        incident({ calledBackAtMs: T0 + 5 * MIN, actionStartedAtMs: T0 + 30 * MIN }),
        incident({ calledBackAtMs: T0 + 10 * MIN, actionStartedAtMs: T0 + 50 * MIN }),
        incident({ calledBackAtMs: T0 + 20 * MIN, actionStartedAtMs: T0 + 75 * MIN }),
      ],
      ['2026-11'],
      NOW,
    );
    expect(report.response).toEqual({
      decided: 3,
      met: 2,
      breaches: 1,
      medianSeconds: 600,
      p90Seconds: 1200,
      targetSeconds: 900,
    });
    expect(report.action).toMatchObject({
      decided: 3,
      met: 2,
      breaches: 1,
      medianSeconds: 3000,
      targetSeconds: 3600,
    });
  });

  it('counts a clock still running past its deadline as breached, and one before it not at all', () => {
    const report = slaReport(
      [
        incident({ calledBackAtMs: null, actionStartedAtMs: null }),
        incident({
          reportedAtMs: NOW - MIN,
          responseDueMs: NOW + 14 * MIN,
          calledBackAtMs: null,
          actionDueMs: null,
        }),
      ],
      ['2026-11'],
      NOW,
    );
    expect(report.response).toMatchObject({ decided: 1, breaches: 1, medianSeconds: null });
    expect(report.action).toMatchObject({ decided: 1, breaches: 1 });
  });

  it('has no action clock before consent or outside responsibility', () => {
    const report = slaReport(
      [incident({ tier: 'incident', actionDueMs: null, actionClockStartMs: null, actionStartedAtMs: null })],
      ['2026-11'],
      NOW,
    );
    expect(report.action.decided).toBe(0);
    expect(report.byTier.find((t) => t.tier === 'incident')?.response.decided).toBe(1);
  });

  it('gives each customer the share of clocks met', () => {
    const report = slaReport(
      [
        incident({}),
        incident({ calledBackAtMs: T0 + 20 * MIN }),
        incident({ customerId: 'c2', customerName: 'Ekbacken', actionDueMs: null }),
      ],
      ['2026-11'],
      NOW,
    );
    expect(report.customers).toEqual([
      {
        customerId: 'c2',
        customerName: 'Ekbacken',
        incidents: 1,
        responseBreaches: 0,
        actionBreaches: 0,
        compliance: 1,
      },
      {
        customerId: 'c1',
        customerName: 'Nordhamn',
        incidents: 2,
        responseBreaches: 1,
        actionBreaches: 0,
        compliance: 0.75,
      },
    ]);
  });
});
