import type { Tier } from '../../domain/shared/tier.js';
import { swedishTime } from '../roster/roster-jobs.js';

const TIER_LABEL: Record<Tier, string> = { hog: 'Hög', incident: 'Incident', none: 'Utan avtal' };

/** What a page says about an incident, whichever channel carries it. */
export interface PageFacts {
  customerName: string | null;
  callerNumber: string | null;
  tier: Tier;
  hostname: string | null;
  summary: string;
  responseDueMs: number;
}

/**
 * The Swedish core of every page (SMS, e-mail, push): customer, tier, server, summary and the call-back
 * deadline, e.g. `Acme AB (Hög) web1: Disk full. Ring upp senast 3 dec 03:15.`
 */
export function pageHeadline(facts: PageFacts): string {
  const who =
    facts.customerName ?? (facts.callerNumber ? `okänd uppringare ${facts.callerNumber}` : 'okänd kund');
  return [
    `${who} (${TIER_LABEL[facts.tier]})`,
    facts.hostname ? ` ${facts.hostname}` : '',
    `: ${facts.summary.slice(0, 200)}.`,
    ` Ring upp senast ${swedishTime(facts.responseDueMs)}.`,
  ].join('');
}
