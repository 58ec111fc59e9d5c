import type { LocalDate } from '../calendar/local-date.js';
import { epochDayOf, parseLocalDate, localDateOfEpochDay } from '../calendar/local-date.js';
import { localDateOfInstant } from '../calendar/instant.js';
import type { TierPeriod } from '../customers/tier-history.js';
import { tierOn } from '../customers/tier-history.js';
import type { Ore } from '../shared/money.js';
import type { Tier } from '../shared/tier.js';
import type { IncidentPrice } from '../tariff/price-incident.js';
import { blockAmountOre } from '../tariff/price-incident.js';
import type { Tariff } from '../tariff/tariff.js';
import { tariffAt } from '../tariff/tariff.js';
import type { InvoiceMonth } from './invoice-month.js';
import type { InvoiceLine } from './invoice-line.js';
import { ACCOUNTS, formatFactor, lineAmountOre, TIER_NAMES_SV } from './invoice-line.js';
import { invoiceTotals, VAT_PERCENT, type InvoiceTotals } from './totals.js';

const MS_PER_HOUR = 3_600_000;

function line(
  fields: Omit<InvoiceLine, 'vatPercent' | 'account' | 'creditsLineId' | 'amountOre'>,
): InvoiceLine {
  return {
    ...fields,
    amountOre: lineAmountOre(fields.unitPriceOre, fields.quantityMilli, fields.baseQuantity),
    vatPercent: VAT_PERCENT,
    account: ACCOUNTS.sales,
    creditsLineId: null,
  };
}

/** The agreement's dates (inclusive) and tier history, for the monthly fee. */
export interface AgreementFacts {
  startDate: LocalDate;
  endDate: LocalDate | null;
  tiers: readonly TierPeriod[];
}

/**
 * Monthly-fee lines for one month: the days the agreement is active, split wherever the tier or the
 * tariff version changes, each stretch prorated by days (fee × days ÷ days in month, half-up to the
 * öre; SPEC.md 8). A whole month is one line of 1 month. Tiers without a fee give no line.
 * @example monthlyFeeLines({ startDate: '2026-11-16', endDate: null, tiers: [{ tier: 'hog', validFrom: '2026-11-16', validTo: null }] }, invoiceMonth('2026-11'), [DEFAULT_TARIFF])
 * // one line: 15 days of 30 at 2 100 kr → 105 000 öre
 */
export function monthlyFeeLines(
  agreement: AgreementFacts,
  month: InvoiceMonth,
  tariffs: readonly Tariff[],
): InvoiceLine[] {
  const first = epochDayOf(parseLocalDate(month.firstDay, '/month'));
  const start = Math.max(first, epochDayOf(parseLocalDate(agreement.startDate, '/agreementStart')));
  const last = first + month.days - 1;
  const end = Math.min(
    last,
    agreement.endDate === null ? last : epochDayOf(parseLocalDate(agreement.endDate, '/agreementEnd')),
  );
  const stretches: { from: number; to: number; tier: Tier; tariff: Tariff }[] = [];
  for (let day = start; day <= end; day++) {
    const date = localDateOfEpochDay(day);
    const tier = tierOn(agreement.tiers, date);
    if (tier === undefined) continue;
    const tariff = tariffAt(tariffs, date);
    const open = stretches.at(-1);
    if (open && open.to === day - 1 && open.tier === tier && open.tariff === tariff) open.to = day;
    else stretches.push({ from: day, to: day, tier, tariff });
  }
  const lines: InvoiceLine[] = [];
  for (const s of stretches) {
    const feeOre = s.tariff.tiers[s.tier].monthlyFeeOre;
    if (feeOre === 0) continue;
    const days = s.to - s.from + 1;
    const whole = days === month.days;
    const from = localDateOfEpochDay(s.from);
    const to = localDateOfEpochDay(s.to);
    lines.push(
      line({
        kind: 'monthly_fee',
        description: whole
          ? `Månadsavgift ${TIER_NAMES_SV[s.tier]} ${month.month}`
          : `Månadsavgift ${TIER_NAMES_SV[s.tier]} ${from}–${to} (${days} av ${month.days} dagar)`,
        incidentId: null,
        incidentRef: null,
        serviceDate: from,
        quantityMilli: whole ? 1000 : days * 1000,
        unit: whole ? 'month' : 'day',
        unitPriceOre: feeOre,
        baseQuantity: whole ? 1 : month.days,
        factorPercent: 100,
      }),
    );
  }
  return lines;
}

/** A closed incident with its price by the tier and tariff valid at its report time. */
export interface PricedIncident {
  id: string;
  ref: string;
  tier: Tier;
  reportedAtMs: number;
  tariff: Tariff;
  price: IncidentPrice;
}

/**
 * An incident's lines: one start-fee line when it was a callout (its included hour noted), and its
 * started hours grouped by date and factor ("INC-2026-00012 2026-12-05: 2 påbörjade timmar × 1,5").
 * Amounts are the pricing engine's, never recomputed differently.
 */
export function incidentLines(incident: PricedIncident): InvoiceLine[] {
  const { price, tariff } = incident;
  const reportDate = localDateOfInstant(incident.reportedAtMs);
  const tierName = TIER_NAMES_SV[incident.tier];
  const lines: InvoiceLine[] = [];
  if (price.callout) {
    lines.push(
      line({
        kind: 'start_fee',
        description: `Startkostnad jour ${incident.ref} ${reportDate} (${tierName}, inkl. ${tariff.includedMinutes} min)`,
        incidentId: incident.id,
        incidentRef: incident.ref,
        serviceDate: reportDate,
        quantityMilli: 1000,
        unit: 'st',
        unitPriceOre: price.startFeeOre,
        baseQuantity: 1,
        factorPercent: 100,
      }),
    );
  }
  const rate = tariff.tiers[incident.tier].hourlyRateOre;
  const groups = new Map<
    string,
    { date: LocalDate; factorPercent: number; blocks: number; amountOre: Ore }
  >();
  for (const block of price.blocks) {
    const date = block.start.slice(0, 10);
    const factorPercent = Math.round(block.factor * 100);
    const key = `${date}/${factorPercent}`;
    const group = groups.get(key) ?? { date, factorPercent, blocks: 0, amountOre: 0 };
    group.blocks += 1;
    group.amountOre += block.amountOre;
    groups.set(key, group);
  }
  for (const g of groups.values()) {
    const unitPriceOre = blockAmountOre(rate, g.factorPercent);
    const hoursLine = line({
      kind: 'hours',
      description: `Arbete ${incident.ref} ${g.date}: ${g.blocks} påbörjad${g.blocks === 1 ? '' : 'e'} timm${g.blocks === 1 ? 'e' : 'ar'} × ${formatFactor(g.factorPercent)}`,
      incidentId: incident.id,
      incidentRef: incident.ref,
      serviceDate: g.date,
      quantityMilli: g.blocks * 1000,
      unit: 'h',
      unitPriceOre,
      baseQuantity: 1,
      factorPercent: g.factorPercent,
    });
    // The engine's amounts are the truth; a line that disagrees is a bug, not a rounding choice.
    if (hoursLine.amountOre !== g.amountOre) {
      throw new RangeError(
        `hour blocks of ${incident.ref} do not add up: ${hoursLine.amountOre} ≠ ${g.amountOre}`,
      );
    }
    lines.push(hoursLine);
  }
  return lines;
}

/** A logged stretch of operations work (tape change, security update) on one of the customer's servers. */
export interface OperationsWork {
  id: string;
  taskTitle: string;
  hostname: string;
  inContract: boolean;
  startMs: number;
  endMs: number;
}

/**
 * One line per work log entry: its started hours at the on-account rate of the tariff valid on the
 * work's date, or at 0 when the task is covered by the customer's contract (listed, not billed).
 */
export function operationsLine(work: OperationsWork, tariffs: readonly Tariff[]): InvoiceLine {
  const date = localDateOfInstant(work.startMs);
  const hours = Math.max(1, Math.ceil((work.endMs - work.startMs) / MS_PER_HOUR));
  const rate = work.inContract ? 0 : tariffAt(tariffs, date).onAccountRateOre;
  return line({
    kind: 'operations',
    description: `${work.taskTitle} ${work.hostname} ${date}${work.inContract ? ' (ingår i avtal)' : ''}`,
    incidentId: null,
    incidentRef: null,
    serviceDate: date,
    quantityMilli: hours * 1000,
    unit: 'h',
    unitPriceOre: rate,
    baseQuantity: 1,
    factorPercent: 100,
  });
}

/** Everything a customer's invoice for a month is made of. */
export interface InvoiceInput {
  agreement: AgreementFacts;
  month: InvoiceMonth;
  tariffs: readonly Tariff[];
  incidents: readonly PricedIncident[];
  operations: readonly OperationsWork[];
}

export interface AssembledInvoice extends InvoiceTotals {
  lines: InvoiceLine[];
  /** Work ids each line came from (operations lines), by line index. */
  operationsWorkIds: (string | null)[];
  /** True when there is something to bill (a line with an amount). */
  billable: boolean;
}

/**
 * The invoice of one customer for one month: monthly fees, then each incident (by report time) with
 * its start fee and hours, then operations work (by start); VAT once on the net sum and öresavrundning
 * to whole kronor. `billable` is false when every line is 0 (nothing to invoice).
 */
export function assembleInvoice(input: InvoiceInput): AssembledInvoice {
  const lines: InvoiceLine[] = [];
  const operationsWorkIds: (string | null)[] = [];
  const push = (l: InvoiceLine, workId: string | null = null) => {
    lines.push(l);
    operationsWorkIds.push(workId);
  };
  for (const l of monthlyFeeLines(input.agreement, input.month, input.tariffs)) push(l);
  const incidents = [...input.incidents].sort(
    (a, b) => a.reportedAtMs - b.reportedAtMs || a.ref.localeCompare(b.ref),
  );
  for (const incident of incidents) for (const l of incidentLines(incident)) push(l);
  const work = [...input.operations].sort((a, b) => a.startMs - b.startMs || a.id.localeCompare(b.id));
  for (const w of work) push(operationsLine(w, input.tariffs), w.id);
  const net = lines.reduce((sum, l) => sum + l.amountOre, 0);
  return {
    lines,
    operationsWorkIds,
    ...invoiceTotals(net),
    billable: lines.some((l) => l.amountOre !== 0),
  };
}

/**
 * The tier an incident is billed by: the customer's tier on the local date of the report (SPEC.md 8),
 * `none` outside the tier history, as the intake records it.
 * @example tierAtReport([{ tier: 'hog', validFrom: '2026-12-15', validTo: null }], Date.parse('2026-12-14T23:30:00Z')) // 'hog' (00:30 local on the 15th)
 */
export function tierAtReport(history: readonly TierPeriod[], reportedAtMs: number): Tier {
  return tierOn(history, localDateOfInstant(reportedAtMs)) ?? 'none';
}
