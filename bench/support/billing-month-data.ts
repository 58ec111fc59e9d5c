import type { Db, DbOrTrx } from '../../src/db/database.js';
import { mulberry32 } from '../../src/app/demo/seeded-random.js';
import { toDbInstant } from '../../src/db/instant.js';
import { invoiceMonth } from '../../src/domain/billing/invoice-month.js';
import { parseInstant } from '../../src/domain/calendar/instant.js';

/**
 * A month of billing at scale for the invoice-run bench and its equivalence test: customers of all
 * three tiers (some agreements starting or ending mid-month, some tier changes in the month), closed
 * incidents reported at every kind of hour (office hours, evenings, nights, weekends, holidays) with
 * work entries, a few incidents reported the month before and closed late, some not closed yet (not
 * billed), and operations work on customers' servers (in contract and on account). Deterministic for a
 * seed; written with multi-row inserts straight into the tables the run reads.
 */
export interface BillingMonthSize {
  customers: number;
  /** Closed incidents reported in the month (the late-closed and still-open extras come on top). */
  incidents: number;
  /** The month to fill, YYYY-MM. */
  month: string;
  seed?: number;
}

export interface BillingMonthData {
  customers: number;
  incidents: number;
  workEntries: number;
  operationsWork: number;
}

/** A deterministic UUID-shaped id: the kind in the first group, a counter in the last. */
function idOf(kind: number, n: number): string {
  return `${kind.toString(16).padStart(8, '0')}-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
// Rows per INSERT: under SQLite's and PostgreSQL's bound-parameter limits for the widest table here.
const BATCH = 500;

type GeneratedTable =
  | 'customers'
  | 'customer_tiers'
  | 'servers'
  | 'engineers'
  | 'incidents'
  | 'work_entries'
  | 'operations_tasks'
  | 'operations_work';

/** Rows are built loosely typed (one generator for many tables); the database checks every column. */
async function insertBatched(
  db: DbOrTrx,
  table: GeneratedTable,
  rows: Record<string, unknown>[],
): Promise<void> {
  for (let i = 0; i < rows.length; i += BATCH) {
    await db
      .insertInto(table)
      .values(rows.slice(i, i + BATCH) as never)
      .execute();
  }
}

/** Local Stockholm wall time → UTC ms; a time DST skips or repeats is moved an hour on. */
function localInstant(date: string, hour: number, minute: number): number {
  const text = (h: number) => `${date}T${String(h).padStart(2, '0')}:${String(minute).padStart(2, '0')}:00`;
  try {
    return parseInstant(text(hour), '/at');
  } catch {
    return parseInstant(text((hour + 1) % 24), '/at');
  }
}

/** Hours of the day weighted as calls come in: office hours busiest, evenings next, nights fewest. */
function hourOfCall(r: () => number): number {
  const x = r();
  if (x < 0.45) return 8 + Math.floor(r() * 9); // 08–16
  if (x < 0.75) return 17 + Math.floor(r() * 6); // 17–22
  return [23, 0, 1, 2, 3, 4, 5, 6, 7][Math.floor(r() * 9)] as number;
}

/**
 * Fills an empty, migrated database (with its reference data: the tariff) with the month. Customers
 * are named so the run's order (by name) mixes tiers; ids, refs and times depend only on the seed.
 */
export async function generateBillingMonth(db: Db, size: BillingMonthSize): Promise<BillingMonthData> {
  // One transaction: one fsync for the month instead of one per batch.
  return db.transaction().execute((trx) => fill(trx, size));
}

async function fill(db: DbOrTrx, size: BillingMonthSize): Promise<BillingMonthData> {
  const r = mulberry32(size.seed ?? 20261);
  const month = invoiceMonth(size.month);
  const monthStartMs = localInstant(month.firstDay, 0, 0);
  const created = toDbInstant(monthStartMs - 90 * 24 * HOUR);
  const day = (d: number) => `${month.month}-${String(d).padStart(2, '0')}`;
  const [year] = month.month.split('-');
  const prevMonthDay = (d: number) => {
    const first = new Date(`${month.firstDay}T00:00:00Z`);
    first.setUTCDate(first.getUTCDate() - d);
    return first.toISOString().slice(0, 10);
  };

  const engineers = Array.from({ length: 24 }, (_, i) => ({
    id: idOf(1, i),
    name: `Tekniker ${i + 1}`,
    phone: `+4670900${String(i).padStart(4, '0')}`,
    email: `tekniker${i + 1}@ballou.example`,
    is_manager: i < 2 ? 1 : 0,
    active: 1,
    notify_channel: 'sms',
    phone_failing_since: null,
    created_at: created,
  }));
  await insertBatched(db, 'engineers', engineers);

  type Tier = 'hog' | 'incident' | 'none';
  const customers: Record<string, unknown>[] = [];
  const tiers: Record<string, unknown>[] = [];
  const servers: Record<string, unknown>[] = [];
  const tasks: Record<string, unknown>[] = [];
  const operationsWork: Record<string, unknown>[] = [];
  /** Per customer: its tier on each day of the month (for the incident rows' recorded tier). */
  const customerTier: ((date: string) => Tier)[] = [];
  const serverOf: string[] = [];
  for (let c = 0; c < size.customers; c++) {
    const id = idOf(2, c);
    const x = r();
    const tier: Tier = x < 0.2 ? 'hog' : x < 0.7 ? 'incident' : 'none';
    const roll = r();
    // 4 % start in the month, 1 % end in it, 3 % change tier in it; the rest run the whole month.
    const startsMidMonth = roll < 0.04;
    const endsMidMonth = roll >= 0.04 && roll < 0.05;
    const changesTier = roll >= 0.05 && roll < 0.08;
    const start = startsMidMonth ? day(2 + Math.floor(r() * (month.days - 2))) : prevMonthDay(30 + (c % 700));
    const end = endsMidMonth ? day(1 + Math.floor(r() * (month.days - 1))) : null;
    customers.push({
      id,
      // A name that does not sort by tier or creation order, and sorts alike under any collation
      // (fixed width, upper-case letters and digits only): invoice numbers follow the name order.
      name: `Kund ${((c * 7919) % 1_000_003).toString(36).toUpperCase().padStart(4, '0')} AB`,
      org_number: `55${String(1_000_000 + c).padStart(8, '0')}`,
      vat_number: `SE55${String(1_000_000 + c).padStart(8, '0')}01`,
      address_street: `Storgatan ${1 + (c % 90)}`,
      address_postal_code: `${11_000 + (c % 8000)}`,
      address_city: ['Stockholm', 'Göteborg', 'Malmö', 'Uppsala', 'Umeå'][c % 5] as string,
      address_country: 'SE',
      invoice_email: `faktura${c}@kund.example`,
      agreement_start: start,
      agreement_end: end,
      created_at: created,
      updated_at: created,
    });
    if (changesTier) {
      const change = day(2 + Math.floor(r() * (month.days - 2)));
      const next: Tier = tier === 'hog' ? 'incident' : tier === 'incident' ? 'hog' : 'incident';
      tiers.push({
        id: idOf(3, 2 * c),
        customer_id: id,
        tier,
        valid_from: start,
        valid_to: change,
        created_at: created,
      });
      tiers.push({
        id: idOf(3, 2 * c + 1),
        customer_id: id,
        tier: next,
        valid_from: change,
        valid_to: null,
        created_at: created,
      });
      customerTier.push((date) => (date < change ? tier : next));
    } else {
      tiers.push({
        id: idOf(3, 2 * c),
        customer_id: id,
        tier,
        valid_from: start,
        valid_to: null,
        created_at: created,
      });
      customerTier.push(() => tier);
    }
    const serverId = idOf(4, c);
    serverOf.push(serverId);
    servers.push({
      id: serverId,
      customer_id: id,
      hostname: `srv${c}.kund${c}.example`,
      ssh_host: null,
      ssh_port: null,
      ssh_user: null,
      ssh_host_key: null,
      critical_data: c % 3 === 0 ? 1 : 0,
      created_at: created,
    });
    // A fifth of the customers buy operations: tape changes in contract, security updates on account.
    if (c % 5 === 0) {
      const inContract = c % 10 === 0;
      const taskId = idOf(5, c);
      tasks.push({
        id: taskId,
        server_id: serverId,
        kind: inContract ? 'tape_change' : 'security_update',
        title: inContract ? 'Bandbyte' : 'Säkerhetsuppdatering',
        in_contract: inContract ? 1 : 0,
        interval_days: 7,
        archived_at: null,
        created_at: created,
      });
      for (let w = 0; w < 1 + Math.floor(r() * 4); w++) {
        const startMs = localInstant(day(1 + Math.floor(r() * month.days)), 8 + Math.floor(r() * 9), 0);
        operationsWork.push({
          id: idOf(6, operationsWork.length),
          task_id: taskId,
          engineer_id: engineers[Math.floor(r() * engineers.length)]?.id,
          start_at: toDbInstant(startMs),
          end_at: toDbInstant(startMs + (15 + Math.floor(r() * 150)) * MINUTE),
          note: null,
          invoice_line_id: null,
          created_at: toDbInstant(startMs + 3 * HOUR),
        });
      }
    }
  }
  await insertBatched(db, 'customers', customers);
  await insertBatched(db, 'customer_tiers', tiers);
  await insertBatched(db, 'servers', servers);
  await insertBatched(db, 'operations_tasks', tasks);
  await insertBatched(db, 'operations_work', operationsWork);

  // Incidents: skewed over customers (a few busy ones, many quiet), 1 % reported the month before and
  // closed late (billed now), 2 % more still open (not billed).
  let incidentCount = 0;
  let workCount = 0;
  const lateClosed = Math.floor(size.incidents / 100);
  const stillOpen = Math.floor(size.incidents / 50);
  const total = size.incidents + lateClosed + stillOpen;
  let incidents: Record<string, unknown>[] = [];
  let work: Record<string, unknown>[] = [];
  const flush = async () => {
    await insertBatched(db, 'incidents', incidents);
    await insertBatched(db, 'work_entries', work);
    incidents = [];
    work = [];
  };
  for (let n = 0; n < total; n++) {
    const c = Math.floor(Math.pow(r(), 1.6) * size.customers);
    const late = n >= size.incidents && n < size.incidents + lateClosed;
    const open = n >= size.incidents + lateClosed;
    const date = late ? prevMonthDay(1 + Math.floor(r() * 5)) : day(1 + Math.floor(r() * month.days));
    const reportedMs = localInstant(date, hourOfCall(r), Math.floor(r() * 60));
    const id = idOf(7, n);
    const tier = customerTier[c]?.(date) ?? 'none';
    // Work: one to three entries from shortly after the report, 10 minutes to 3 hours each; now and
    // then one outside the hosting company's responsibility.
    let cursor = reportedMs + (5 + Math.floor(r() * 40)) * MINUTE;
    const entries = 1 + Math.floor(Math.pow(r(), 2) * 3);
    for (let w = 0; w < entries; w++) {
      const length = (10 + Math.floor(Math.pow(r(), 2) * 170)) * MINUTE;
      work.push({
        id: idOf(8, workCount++),
        incident_id: id,
        engineer_id: engineers[Math.floor(r() * engineers.length)]?.id,
        start_at: toDbInstant(cursor),
        end_at: toDbInstant(cursor + length),
        within_responsibility: r() < 0.9 ? 1 : 0,
        note: null,
        source: 'manual',
        created_at: toDbInstant(cursor + length),
      });
      cursor += length + Math.floor(r() * 90) * MINUTE;
    }
    const closedMs = late ? monthStartMs + (2 + Math.floor(r() * 48)) * HOUR : cursor + HOUR;
    incidents.push({
      id,
      ref: `INC-${late ? date.slice(0, 4) : year}-${String(n + 1).padStart(6, '0')}`,
      customer_id: idOf(2, c),
      server_id: serverOf[c],
      contact_id: null,
      summary: `Larm ${n + 1}: tjänsten svarar inte`,
      channel: ['phone', 'sms', 'portal', 'alertmanager'][n % 4] as string,
      caller_number: null,
      unknown_caller: 0,
      tier,
      callout: 1,
      dedup_key: null,
      state: open ? 'resolved' : 'closed',
      reported_at: toDbInstant(reportedMs),
      response_due: toDbInstant(reportedMs + 15 * MINUTE),
      action_due: toDbInstant(reportedMs + 60 * MINUTE),
      closed_at: open ? null : toDbInstant(closedMs),
      created_at: toDbInstant(reportedMs),
      updated_at: toDbInstant(open ? cursor : closedMs),
    });
    if (!open) incidentCount += 1;
    if (incidents.length >= 5 * BATCH) await flush();
  }
  await flush();
  return {
    customers: size.customers,
    incidents: incidentCount,
    workEntries: workCount,
    operationsWork: operationsWork.length,
  };
}
