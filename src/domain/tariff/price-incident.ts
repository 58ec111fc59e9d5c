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

interface OpenBlock {
  startMs: number;
  weekendOrHoliday: boolean;
  ms: number;
}

/**
 * Prices an incident by SPEC.md section 8: a callout (reported in on-call time) pays the start fee,
 * which covers the first `includedMinutes` of billable work; the rest is cut into started hours, each
 * at hourly rate × the factor of its first billable second. Work is person-time: entries (sorted by
 * start, then end) are concatenated, overlapping engineers both count. Pieces in office hours within
 * responsibility are not billable. Entries are priced as given: an entry of any length, and entries
 * that overlap, are priced; refusing entries over 24 hours or overlapping another of the same engineer
 * is the work log's rule (SPEC.md section 8), not the price's. Streams the calendar's pieces
 * (`forEachPiece`): one pass, no intermediate arrays.
 * @example
 * // incident tier, Tue 19:10 report, work 19:20–21:35: 1 750 + 2 blocks × 750 SEK
 * priceIncident(scenario, DEFAULT_TARIFF, createCalendar()).totalOre // 325000
 */
export function priceIncident(scenario: IncidentScenario, tariff: Tariff, calendar: Calendar): IncidentPrice {
  const prices = tariff.tiers[scenario.tier];
  const callout = calendar.isOnCallTime(scenario.reportedAtMs);
  const entries =
    scenario.work.length < 2
      ? scenario.work
      : [...scenario.work].sort((a, b) => a.startMs - b.startMs || a.endMs - b.endMs);

  let toInclude = callout ? tariff.includedMinutes * MS_PER_MINUTE : 0;
  let includedMs = 0;
  let billableMs = 0;
  const blocks: OpenBlock[] = [];
  let block: OpenBlock | undefined;
  let roomInBlock = 0;
  let withinResponsibility = true;
  const bill = (startMs: number, endMs: number, office: boolean, weekendOrHoliday: boolean): void => {
    if (office && withinResponsibility) return;
    let at = startMs;
    billableMs += endMs - at;
    if (toInclude > 0) {
      const included = Math.min(toInclude, endMs - at);
      toInclude -= included;
      includedMs += included;
      at += included;
    }
    while (at < endMs) {
      if (roomInBlock === 0 || block === undefined) {
        block = { startMs: at, weekendOrHoliday, ms: 0 };
        blocks.push(block);
        roomInBlock = MS_PER_HOUR;
      }
      const used = Math.min(roomInBlock, endMs - at);
      block.ms += used;
      roomInBlock -= used;
      at += used;
    }
  };
  for (const entry of entries) {
    withinResponsibility = entry.withinResponsibility;
    calendar.forEachPiece(entry.startMs, entry.endMs, bill);
  }

  const startFeeOre = callout ? prices.startFeeOre : 0;
  const weekdayOre = blockAmountOre(prices.hourlyRateOre, 100);
  const weekendOre = blockAmountOre(prices.hourlyRateOre, tariff.weekendFactorPercent);
  const weekendFactor = tariff.weekendFactorPercent / 100;
  let totalOre = startFeeOre;
  const priced = blocks.map((b): PriceBlock => {
    const amountOre = b.weekendOrHoliday ? weekendOre : weekdayOre;
    totalOre += amountOre;
    return {
      start: formatInstant(b.startMs),
      factor: b.weekendOrHoliday ? weekendFactor : 1,
      amountOre,
      seconds: b.ms / 1000,
    };
  });
  return {
    callout,
    currency: 'SEK',
    startFeeOre,
    blocks: priced,
    totalOre,
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
