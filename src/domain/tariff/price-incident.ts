import type { Calendar } from '../calendar/calendar.js';
import { formatInstant } from '../calendar/instant.js';
import type { Ore } from '../shared/money.js';
import { divideRoundHalfUp } from '../shared/money.js';
import type { Tier } from '../shared/tier.js';
import type { Tariff } from './tariff.js';

/** One logged stretch of work on an incident, instants as epoch ms. */
export interface WorkEntry {
  startMs: number;
  endMs: number;
  engineer: string;
  withinResponsibility: boolean;
}

/** What is priced: an incident's tier, report time and work entries. */
export interface IncidentScenario {
  tier: Tier;
  reportedAtMs: number;
  work: readonly WorkEntry[];
}

/** One started hour; `start` is its first billable second in Stockholm time with offset. */
export interface PriceBlock {
  start: string;
  /** 1 or 1.5 (the weekend/holiday factor), from the block's first billable second. */
  factor: number;
  amountOre: Ore;
  /** Billable seconds in the block (3600 except maybe the last). */
  seconds: number;
}

/** The API price object (API.md "Scenario and price object") with explanatory extras. */
export interface IncidentPrice {
  callout: boolean;
  currency: 'SEK';
  startFeeOre: Ore;
  blocks: PriceBlock[];
  totalOre: Ore;
  /** All billable person-time of the incident. */
  billableSeconds: number;
  /** The part of it covered by the start fee (callouts only). */
  includedSeconds: number;
}

const MS_PER_HOUR = 3_600_000;
const MS_PER_MINUTE = 60_000;

interface BillableStretch {
  startMs: number;
  endMs: number;
  factorPercent: number;
}

/**
 * Prices an incident by SPEC.md section 8: a callout (reported in on-call time) pays the start fee,
 * which covers the first `includedMinutes` of billable work; the rest is cut into started hours, each
 * at hourly rate × the factor of its first billable second. Work is person-time: entries (sorted by
 * start, then end) are concatenated, overlapping engineers both count. Pieces in office hours within
 * responsibility are not billable. Entries are priced as given (no 24 h or overlap checks here).
 * @example
 * // incident tier, Tue 19:10 report, work 19:20–21:35: 1 750 + 2 blocks × 750 SEK
 * priceIncident(scenario, DEFAULT_TARIFF, createCalendar()).totalOre // 325000
 */
export function priceIncident(scenario: IncidentScenario, tariff: Tariff, calendar: Calendar): IncidentPrice {
  const prices = tariff.tiers[scenario.tier];
  const callout = calendar.isOnCallTime(scenario.reportedAtMs);

  const entries = [...scenario.work].sort((a, b) => a.startMs - b.startMs || a.endMs - b.endMs);
  const stretches: BillableStretch[] = [];
  for (const entry of entries) {
    for (const piece of calendar.splitInterval(entry.startMs, entry.endMs)) {
      if (piece.office && entry.withinResponsibility) continue;
      stretches.push({
        startMs: piece.startMs,
        endMs: piece.endMs,
        factorPercent: piece.weekendOrHoliday ? tariff.weekendFactorPercent : 100,
      });
    }
  }

  let toInclude = callout ? tariff.includedMinutes * MS_PER_MINUTE : 0;
  let includedMs = 0;
  let billableMs = 0;
  const blocks: { startMs: number; factorPercent: number; ms: number }[] = [];
  let roomInBlock = 0;
  for (const stretch of stretches) {
    let at = stretch.startMs;
    billableMs += stretch.endMs - at;
    const included = Math.min(toInclude, stretch.endMs - at);
    toInclude -= included;
    includedMs += included;
    at += included;
    while (at < stretch.endMs) {
      if (roomInBlock === 0) {
        blocks.push({ startMs: at, factorPercent: stretch.factorPercent, ms: 0 });
        roomInBlock = MS_PER_HOUR;
      }
      const used = Math.min(roomInBlock, stretch.endMs - at);
      const block = blocks[blocks.length - 1];
      if (block) block.ms += used;
      roomInBlock -= used;
      at += used;
    }
  }

  const startFeeOre = callout ? prices.startFeeOre : 0;
  const priced = blocks.map((b) => ({
    start: formatInstant(b.startMs),
    factor: b.factorPercent / 100,
    amountOre: blockAmountOre(prices.hourlyRateOre, b.factorPercent),
    seconds: b.ms / 1000,
  }));
  return {
    callout,
    currency: 'SEK',
    startFeeOre,
    blocks: priced,
    totalOre: priced.reduce((sum, b) => sum + b.amountOre, startFeeOre),
    billableSeconds: billableMs / 1000,
    includedSeconds: includedMs / 1000,
  };
}

/**
 * One started hour at a factor given in percent, in whole öre (exact for the price list; a rate that
 * does not divide evenly is rounded half-up).
 * @example blockAmountOre(75000, 150) // 112500
 */
export function blockAmountOre(hourlyRateOre: Ore, factorPercent: number): Ore {
  return divideRoundHalfUp(hourlyRateOre * factorPercent, 100);
}
