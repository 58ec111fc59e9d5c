/**
 * What the reliability tests assert, read straight from the database the server processes wrote.
 */
import type { Db } from '../../../src/db/database.js';
import { fromDbBool } from '../../../src/db/instant.js';
import type { DeliveryRecord } from './traffic.js';

/** Deliveries whose marker is on no timeline event (lost) or on more than one (taken twice). */
export async function deliveriesNotOnce<D extends DeliveryRecord>(
  db: Db,
  deliveries: readonly D[],
): Promise<{ lost: D[]; doubled: D[] }> {
  const events = await db
    .selectFrom('incident_events')
    .select(['data'])
    .where('type', 'in', ['reported', 'attached'])
    .execute();
  const lost: D[] = [];
  const doubled: D[] = [];
  for (const delivery of deliveries) {
    const found = events.filter((e) => e.data.includes(delivery.marker)).length;
    if (found === 0) lost.push(delivery);
    if (found > 1) doubled.push(delivery);
  }
  return { lost, doubled };
}

/** Dedupe keys that more than one incident carries (one problem must be one incident). */
export async function duplicatedIncidentKeys(db: Db): Promise<string[]> {
  const rows = await db
    .selectFrom('incidents')
    .select(['dedup_key'])
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('dedup_key', 'is not', null)
    .groupBy('dedup_key')
    .execute();
  return rows.filter((r) => Number(r.n) > 1).map((r) => `${r.dedup_key} ×${r.n}`);
}

/** Customers (and server) with more than one open incident: reports of theirs must join the open one. */
export async function duplicatedCustomerIncidents(db: Db): Promise<string[]> {
  const rows = await db
    .selectFrom('incidents')
    .select(['customer_id', 'server_id'])
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('customer_id', 'is not', null)
    .where('state', 'in', ['open', 'acknowledged', 'in_progress'])
    .groupBy(['customer_id', 'server_id'])
    .execute();
  return rows.filter((r) => Number(r.n) > 1).map((r) => `${r.customer_id}/${r.server_id ?? '-'} ×${r.n}`);
}

export interface CalloutIncident {
  id: string;
  ref: string;
  /** Status of its step-0 escalation job, or undefined when there is none. */
  firstStepJob: string | undefined;
}

/** Every incident reported in on-call time, with the state of the job that pages it first. */
export async function calloutIncidents(db: Db): Promise<CalloutIncident[]> {
  const incidents = await db.selectFrom('incidents').select(['id', 'ref', 'callout']).execute();
  const jobs = await db
    .selectFrom('jobs')
    .select(['dedupe_key', 'status'])
    .where('kind', '=', 'incident.escalate')
    .execute();
  const byKey = new Map(jobs.map((j) => [j.dedupe_key, j.status]));
  return incidents
    .filter((i) => fromDbBool(i.callout))
    .map((i) => ({ id: i.id, ref: i.ref, firstStepJob: byKey.get(`escalate:${i.id}:0`) }));
}

/** Polls `done` every 250 ms until it is true or `ms` has passed; returns whether it became true. */
export async function eventually(ms: number, done: () => Promise<boolean> | boolean): Promise<boolean> {
  const deadline = Date.now() + ms;
  for (;;) {
    if (await done()) return true;
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/**
 * Polls `state` every 250 ms until it reports done, or until its progress number has not grown for
 * `stallMs` (work that is slow but moving is waited for; work that stopped is not). Returns whether done.
 */
export async function untilDoneOrStalled(
  stallMs: number,
  state: () => Promise<{ done: boolean; progress: number }>,
): Promise<boolean> {
  let best = -1;
  let since = Date.now();
  for (;;) {
    const now = await state();
    if (now.done) return true;
    if (now.progress > best) [best, since] = [now.progress, Date.now()];
    else if (Date.now() - since > stallMs) return false;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/** A short, readable description of deliveries for a failure message. */
export function describeDeliveries(deliveries: readonly DeliveryRecord[], max = 10): string {
  return deliveries
    .slice(0, max)
    .map((d) => `${d.kind} ${d.marker} [${d.outcomes.join(', ')}]`)
    .join('\n  ');
}
