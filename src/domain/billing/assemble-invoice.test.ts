import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createCalendar } from '../calendar/calendar.js';
import type { TierPeriod } from '../customers/tier-history.js';
import type { Tier } from '../shared/tier.js';
import { parseScenario } from '../tariff/parse-scenario.js';
import { priceIncident } from '../tariff/price-incident.js';
import { DEFAULT_TARIFF, type Tariff } from '../tariff/tariff.js';
import { assembleInvoice, monthlyFeeLines, tierAtReport, type PricedIncident } from './assemble-invoice.js';
import { invoiceMonth } from './invoice-month.js';

interface Example {
  name: string;
  tier: Tier;
  reportedAt: string;
  work: unknown[];
}
const EXAMPLES = JSON.parse(
  readFileSync(new URL('../../../../shared/spec/examples/pricing.json', import.meta.url), 'utf8'),
) as Example[];
const calendar = createCalendar();
const DECEMBER = invoiceMonth('2026-12');

function priced(n: number, tier?: Tier, tariff: Tariff = DEFAULT_TARIFF): PricedIncident {
  const example = EXAMPLES.find((e) => e.name === `example ${n}`) as Example;
  const scenario = parseScenario({ ...example, tier: tier ?? example.tier });
  return {
    id: `id-${n}`,
    ref: `INC-2026-${String(n).padStart(5, '0')}`,
    tier: scenario.tier,
    reportedAtMs: scenario.reportedAtMs,
    tariff,
    price: priceIncident(scenario, tariff, calendar),
  };
}

const always = (tier: Tier): TierPeriod[] => [{ tier, validFrom: '2026-01-01', validTo: null }];
const agreement = (tier: Tier, startDate = '2026-01-01', endDate: string | null = null) => ({
  startDate,
  endDate,
  tiers: always(tier),
});
const summary = (
  lines: { description: string; quantityMilli: number; unitPriceOre: number; amountOre: number }[],
) => lines.map((l) => [l.description, l.quantityMilli, l.unitPriceOre, l.amountOre]);

describe("assembling a month's invoice from the worked examples of SPEC.md 8", () => {
  it('tier hog: full monthly fee, a start-fee line per callout (0 kr), weekend and office-hours work', () => {
    const invoice = assembleInvoice({
      agreement: agreement('hog'),
      month: DECEMBER,
      tariffs: [DEFAULT_TARIFF],
      incidents: [priced(8), priced(3), priced(5)],
      operations: [],
    });
    expect(summary(invoice.lines)).toEqual([
      ['Månadsavgift Hög servicenivå 2026-12', 1000, 210000, 210000],
      ['Arbete INC-2026-00008 2026-12-02: 1 påbörjad timme × 1', 1000, 50000, 50000],
      ['Startkostnad jour INC-2026-00003 2026-12-05 (Hög servicenivå, inkl. 60 min)', 1000, 0, 0],
      ['Arbete INC-2026-00003 2026-12-05: 2 påbörjade timmar × 1,5', 2000, 75000, 150000],
      ['Startkostnad jour INC-2026-00005 2026-12-07 (Hög servicenivå, inkl. 60 min)', 1000, 0, 0],
    ]);
    expect(invoice.lines.map((l) => [l.kind, l.incidentRef, l.serviceDate, l.factorPercent, l.unit])).toEqual(
      [
        ['monthly_fee', null, '2026-12-01', 100, 'month'],
        ['hours', 'INC-2026-00008', '2026-12-02', 100, 'h'],
        ['start_fee', 'INC-2026-00003', '2026-12-05', 100, 'st'],
        ['hours', 'INC-2026-00003', '2026-12-05', 150, 'h'],
        ['start_fee', 'INC-2026-00005', '2026-12-07', 100, 'st'],
      ],
    );
    expect(invoice).toMatchObject({
      netOre: 410000,
      vatOre: 102500,
      roundingOre: 0,
      totalOre: 512500,
      billable: true,
    });
  });

  it('tier incident: 400 kr fee, start fees, hours split by factor and a non-callout', () => {
    const invoice = assembleInvoice({
      agreement: agreement('incident'),
      month: DECEMBER,
      tariffs: [DEFAULT_TARIFF],
      incidents: [priced(6), priced(1), priced(2), priced(7), priced(11)],
      operations: [],
    });
    expect(summary(invoice.lines)).toEqual([
      ['Månadsavgift Incidentsupport 2026-12', 1000, 40000, 40000],
      ['Startkostnad jour INC-2026-00001 2026-12-01 (Incidentsupport, inkl. 60 min)', 1000, 175000, 175000],
      ['Startkostnad jour INC-2026-00002 2026-12-01 (Incidentsupport, inkl. 60 min)', 1000, 175000, 175000],
      ['Arbete INC-2026-00002 2026-12-01: 2 påbörjade timmar × 1', 2000, 75000, 150000],
      ['Arbete INC-2026-00007 2026-12-02: 2 påbörjade timmar × 1', 2000, 75000, 150000],
      ['Startkostnad jour INC-2026-00011 2026-12-05 (Incidentsupport, inkl. 60 min)', 1000, 175000, 175000],
      ['Arbete INC-2026-00011 2026-12-05: 1 påbörjad timme × 1,5', 1000, 112500, 112500],
      ['Startkostnad jour INC-2026-00006 2026-12-24 (Incidentsupport, inkl. 60 min)', 1000, 175000, 175000],
      ['Arbete INC-2026-00006 2026-12-24: 1 påbörjad timme × 1,5', 1000, 112500, 112500],
    ]);
    // 12 650 kr + 3 162,50 VAT = 15 812,50 → 15 813 kr (öresavrundning +0,50)
    expect(invoice).toMatchObject({ netOre: 1265000, vatOre: 316250, roundingOre: 50, totalOre: 1581300 });
  });

  it('tier none: no monthly fee, 4 500 kr start fees, blocks across midnight into Saturday', () => {
    const invoice = assembleInvoice({
      agreement: agreement('none'),
      month: DECEMBER,
      tariffs: [DEFAULT_TARIFF],
      incidents: [priced(4), priced(10)],
      operations: [],
    });
    expect(summary(invoice.lines)).toEqual([
      ['Startkostnad jour INC-2026-00010 2026-12-04 (Utan avtal, inkl. 60 min)', 1000, 450000, 450000],
      ['Arbete INC-2026-00010 2026-12-04: 1 påbörjad timme × 1', 1000, 75000, 75000],
      ['Arbete INC-2026-00010 2026-12-05: 1 påbörjad timme × 1,5', 1000, 112500, 112500],
      ['Startkostnad jour INC-2026-00004 2026-12-04 (Utan avtal, inkl. 60 min)', 1000, 450000, 450000],
      ['Arbete INC-2026-00004 2026-12-05: 2 påbörjade timmar × 1,5', 2000, 112500, 225000],
    ]);
    // 13 125 + 3 281,25 = 16 406,25 → 16 406 kr (öresavrundning −0,25)
    expect(invoice).toMatchObject({ netOre: 1312500, vatOre: 328125, roundingOre: -25, totalOre: 1640600 });
  });

  it('a customer of tier none with nothing to bill has nothing billable', () => {
    const invoice = assembleInvoice({
      agreement: agreement('none'),
      month: DECEMBER,
      tariffs: [DEFAULT_TARIFF],
      incidents: [],
      operations: [],
    });
    expect(invoice.lines).toEqual([]);
    expect(invoice.billable).toBe(false);
  });

  it('lists operations work: on account per started hour, contract tasks at 0', () => {
    const invoice = assembleInvoice({
      agreement: agreement('none'),
      month: DECEMBER,
      tariffs: [DEFAULT_TARIFF],
      incidents: [],
      operations: [
        {
          id: 'w2',
          taskTitle: 'Säkerhetsuppdatering',
          hostname: 'web1.acme.se',
          inContract: true,
          startMs: Date.parse('2026-12-09T09:00:00+01:00'),
          endMs: Date.parse('2026-12-09T09:40:00+01:00'),
        },
        {
          id: 'w1',
          taskTitle: 'Bandbyte',
          hostname: 'web1.acme.se',
          inContract: false,
          startMs: Date.parse('2026-12-03T10:00:00+01:00'),
          endMs: Date.parse('2026-12-03T11:10:00+01:00'),
        },
      ],
    });
    expect(summary(invoice.lines)).toEqual([
      ['Bandbyte web1.acme.se 2026-12-03', 2000, 75000, 150000],
      ['Säkerhetsuppdatering web1.acme.se 2026-12-09 (ingår i avtal)', 1000, 0, 0],
    ]);
    expect(invoice.operationsWorkIds).toEqual(['w1', 'w2']);
    expect(invoice.totalOre).toBe(187500);
  });
});

describe('monthly fee: proration and tier changes', () => {
  it('prorates an agreement that starts mid-month by days', () => {
    const lines = monthlyFeeLines(agreement('hog', '2026-12-16'), DECEMBER, [DEFAULT_TARIFF]);
    expect(summary(lines)).toEqual([
      ['Månadsavgift Hög servicenivå 2026-12-16–2026-12-31 (16 av 31 dagar)', 16000, 210000, 108387],
    ]);
    expect(lines[0]).toMatchObject({ unit: 'day', baseQuantity: 31 });
  });

  it('prorates an agreement that ends mid-month (end date inclusive)', () => {
    const lines = monthlyFeeLines(
      agreement('incident', '2025-03-01', '2026-11-10'),
      invoiceMonth('2026-11'),
      [DEFAULT_TARIFF],
    );
    expect(summary(lines)).toEqual([
      ['Månadsavgift Incidentsupport 2026-11-01–2026-11-10 (10 av 30 dagar)', 10000, 40000, 13333],
    ]);
    expect(monthlyFeeLines(agreement('hog', '2027-01-05'), DECEMBER, [DEFAULT_TARIFF])).toEqual([]);
  });

  it('splits the month where the tier changes, each part prorated at its own fee', () => {
    const history: TierPeriod[] = [
      { tier: 'incident', validFrom: '2026-01-01', validTo: '2026-12-15' },
      { tier: 'hog', validFrom: '2026-12-15', validTo: null },
    ];
    const lines = monthlyFeeLines({ startDate: '2026-01-01', endDate: null, tiers: history }, DECEMBER, [
      DEFAULT_TARIFF,
    ]);
    expect(summary(lines)).toEqual([
      ['Månadsavgift Incidentsupport 2026-12-01–2026-12-14 (14 av 31 dagar)', 14000, 40000, 18065],
      ['Månadsavgift Hög servicenivå 2026-12-15–2026-12-31 (17 av 31 dagar)', 17000, 210000, 115161],
    ]);
  });

  it('splits the month where a new tariff version starts', () => {
    const old: Tariff = { ...DEFAULT_TARIFF, validTo: '2026-12-11' };
    const raised: Tariff = {
      ...DEFAULT_TARIFF,
      validFrom: '2026-12-11',
      tiers: { ...DEFAULT_TARIFF.tiers, hog: { ...DEFAULT_TARIFF.tiers.hog, monthlyFeeOre: 250_000 } },
    };
    const lines = monthlyFeeLines(agreement('hog'), DECEMBER, [old, raised]);
    expect(lines.map((l) => [l.quantityMilli, l.unitPriceOre, l.amountOre])).toEqual([
      [10000, 210000, 67742],
      [21000, 250000, 169355],
    ]);
  });

  it('prices each incident by the tier valid at its report time', () => {
    const history: TierPeriod[] = [
      { tier: 'incident', validFrom: '2026-01-01', validTo: '2026-12-05' },
      { tier: 'hog', validFrom: '2026-12-05', validTo: null },
    ];
    const before = EXAMPLES.find((e) => e.name === 'example 2') as Example; // Tue 1 Dec
    const after = EXAMPLES.find((e) => e.name === 'example 3') as Example; // Sat 5 Dec
    const t1 = tierAtReport(history, Date.parse(before.reportedAt));
    const t2 = tierAtReport(history, Date.parse(after.reportedAt));
    expect([t1, t2]).toEqual(['incident', 'hog']);
    const invoice = assembleInvoice({
      agreement: { startDate: '2026-01-01', endDate: null, tiers: history },
      month: DECEMBER,
      tariffs: [DEFAULT_TARIFF],
      incidents: [priced(2, t1), priced(3, t2)],
      operations: [],
    });
    expect(summary(invoice.lines)).toEqual([
      ['Månadsavgift Incidentsupport 2026-12-01–2026-12-04 (4 av 31 dagar)', 4000, 40000, 5161],
      ['Månadsavgift Hög servicenivå 2026-12-05–2026-12-31 (27 av 31 dagar)', 27000, 210000, 182903],
      ['Startkostnad jour INC-2026-00002 2026-12-01 (Incidentsupport, inkl. 60 min)', 1000, 175000, 175000],
      ['Arbete INC-2026-00002 2026-12-01: 2 påbörjade timmar × 1', 2000, 75000, 150000],
      ['Startkostnad jour INC-2026-00003 2026-12-05 (Hög servicenivå, inkl. 60 min)', 1000, 0, 0],
      ['Arbete INC-2026-00003 2026-12-05: 2 påbörjade timmar × 1,5', 2000, 75000, 150000],
    ]);
    expect(invoice.netOre).toBe(5161 + 182903 + 175000 + 150000 + 150000);
    expect(tierAtReport(history, Date.parse('2025-06-01T12:00:00Z'))).toBe('none');
  });
});
