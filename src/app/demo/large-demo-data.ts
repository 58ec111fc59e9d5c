import { toDbInstant } from '../../db/instant.js';
import {
  analyzeAfterBulkLoad,
  dropSecondaryIndexes,
  isEmptyTable,
  recreateIndexes,
  insertRowArrays,
  openBulkWriter,
} from '../../db/repositories/bulk-load.repository.js';
import { listSlaPolicies } from '../../db/repositories/incident.repository.js';
import { claimSystemState } from '../../db/repositories/system-state.repository.js';
import type { Calendar } from '../../domain/calendar/calendar.js';
import { parseInstant } from '../../domain/calendar/instant.js';
import { deriveIncident } from '../../domain/incidents/derive-incident.js';
import type { Actor, IncidentEvent, IncidentEventType } from '../../domain/incidents/timeline.js';
import { DomainError } from '../../domain/shared/domain-error.js';
import type { Tier } from '../../domain/shared/tier.js';
import type { SlaTargets } from '../../domain/sla/sla.js';
import type { AppContext } from '../app-context.js';
import { loadPricingRules } from '../pricing/pricing-rules.js';
import { SeededRandom } from './seeded-random.js';
import {
  advanceIncidentNumbers,
  readNextIncidentNumbers,
} from '../../db/repositories/incident-number.repository.js';

/**
 * The large demo data set (`ballou demo --incidents N`, the list benchmarks): years of history of a
 * hosting company's support desk, written straight into the tables in batches. Every incident's
 * timeline follows the lifecycle the commands enforce (reported, paged, acknowledged, called back,
 * triaged, consent, work, resolved, closed) and its state and deadline columns are derived from that
 * timeline by the same `deriveIncident` as the app, so the incident page, the lists and pricing read
 * generated incidents exactly like real ones. Same seed, same data.
 */

/** Bump when the generated data changes shape: cached copies (bench/) are keyed by it. */
export const LARGE_DEMO_VERSION = 1;

export interface LargeDemoOptions {
  incidents: number;
  seed?: number;
  years?: number;
  /** The end of the history; default the context's clock. */
  endMs?: number;
  onProgress?: (p: { done: number; total: number }) => void;
}

export interface LargeDemoSummary {
  seed: number;
  customers: number;
  engineers: number;
  incidents: number;
  events: number;
  workEntries: number;
  fromMs: number;
  toMs: number;
}

const DAY = 86_400_000;
const MINUTE = 60_000;
const INCIDENTS_PER_BATCH = 2_000;
/** Below this many incidents, loading into live indexes costs less than dropping and rebuilding them. */
const DEFER_INDEXES_FROM = 10_000;

const FIRST = [
  'Anna',
  'Bo',
  'Cecilia',
  'David',
  'Elin',
  'Fredrik',
  'Greta',
  'Hassan',
  'Ida',
  'Johan',
  'Karin',
  'Lars',
  'Maja',
  'Nils',
  'Olivia',
  'Per',
  'Sara',
  'Tove',
  'Ulf',
  'Vera',
  'Yusuf',
  'Åsa',
  'Örjan',
  'Leila',
];
const LAST = [
  'Andersson',
  'Berg',
  'Carlsson',
  'Dahl',
  'Ek',
  'Forsberg',
  'Gustafsson',
  'Holm',
  'Lind',
  'Nyström',
  'Olsson',
  'Persson',
  'Sandberg',
  'Wikström',
  'Öberg',
  'Karimi',
  'Lundqvist',
  'Mattsson',
];
const PLACE = [
  'Nordhamn',
  'Solvik',
  'Ekbacken',
  'Lindö',
  'Björkdal',
  'Sjöviken',
  'Granlunda',
  'Havsudden',
  'Ängsbacka',
  'Tallmo',
  'Rosendal',
  'Bergslagen',
  'Kvarnby',
  'Stenhaga',
  'Ljungby',
  'Fjällsta',
  'Åkerö',
];
const TRADE = [
  'Handel',
  'Media',
  'Bygg',
  'Konsult',
  'Logistik',
  'Fastigheter',
  'Data',
  'Resor',
  'Design',
  'Tandvård',
  'Redovisning',
  'El',
  'Café',
  'Mode',
  'Förlag',
  'Juridik',
];
const CITY = ['Stockholm', 'Göteborg', 'Malmö', 'Uppsala', 'Västerås', 'Örebro', 'Linköping', 'Umeå', 'Lund'];
const HOST = ['www', 'web1', 'web2', 'db1', 'shop', 'app', 'mail', 'api'];
const PHONE_SUMMARIES = [
  'Webbplatsen svarar inte',
  'Butiken visar felsida',
  'Kan inte logga in i adminpanelen',
  'E-posten fungerar inte',
  'Sidan är mycket långsam',
  'Certifikatfel i webbläsaren',
  'Databasfel på sajten',
];
const ALERTS = [
  'HTTP 503 från lastbalanseraren',
  'Disk 95 % full',
  'MariaDB svarar inte',
  'PHP-FPM-pool full',
  'Hög last (load > 20)',
  'TLS-certifikat går ut om 2 dagar',
  'Ping förlorad',
];

type Channel = 'phone' | 'sms' | 'portal' | 'api' | 'email' | 'alert';
const CHANNELS: Record<Channel, number> = { phone: 35, alert: 30, portal: 15, sms: 10, email: 5, api: 5 };
const TIER_WEIGHTS: Record<Tier, number> = { hog: 25, incident: 45, none: 30 };

interface GenCustomer {
  id: string;
  name: string;
  startMs: number;
  periods: Array<{ tier: Tier; fromMs: number; toMs: number }>;
  servers: Array<{ id: string; hostname: string }>;
  contacts: Array<{ id: string; name: string; phone: string }>;
}

interface GenEngineer {
  id: string;
  name: string;
}

/** A Luhn-checked Swedish organisation number (NNNNNN-NNNN). */
function orgNumber(rng: SeededRandom): string {
  const digits = [5, 5, ...Array.from({ length: 7 }, () => rng.int(0, 9))];
  let sum = 0;
  digits.forEach((d, i) => {
    const v = i % 2 === 0 ? d * 2 : d;
    sum += v > 9 ? v - 9 : v;
  });
  digits.push((10 - (sum % 10)) % 10);
  const text = digits.join('');
  return `${text.slice(0, 6)}-${text.slice(6)}`;
}

function unique(rng: SeededRandom, seen: Set<string>, make: (rng: SeededRandom) => string): string {
  for (;;) {
    const value = make(rng);
    if (!seen.has(value)) {
      seen.add(value);
      return value;
    }
  }
}

/** Local midnight (Stockholm) of a date, as an instant. */
function startOfLocalDay(date: string): number {
  return parseInstant(`${date}T00:00:00`, '/date');
}

/**
 * Generates and writes the data set. Refuses a seed already loaded into this database (the rows would
 * collide); a different seed adds another company's worth of history beside it.
 */
export async function generateLargeDemoData(
  ctx: AppContext,
  options: LargeDemoOptions,
): Promise<LargeDemoSummary> {
  const total = options.incidents;
  if (!Number.isInteger(total) || total < 1 || total > 10_000_000) {
    throw new DomainError('VALIDATION_FAILED', '/incidents: must be an integer from 1 to 10 000 000', [
      { path: '/incidents', message: 'must be an integer from 1 to 10 000 000' },
    ]);
  }
  const seed = options.seed ?? 1;
  const rng = new SeededRandom(seed);
  const toMs = options.endMs ?? ctx.clock.now();
  const fromMs = toMs - Math.round((options.years ?? 10) * 365.25 * DAY);
  const span = toMs - fromMs;
  const { calendar } = await loadPricingRules(ctx.db);
  const nowIso = toDbInstant(ctx.clock.now());
  const tag = seed.toString(36);

  // Customers: one per ~250 incidents (about 25 a year each), between 20 and 5 000.
  const customerCount = Math.min(5_000, Math.max(20, Math.round(total / 250)));
  const engineerCount = Math.min(40, 8 + Math.round(customerCount / 150));
  const orgNumbers = new Set<string>();
  const phones = new Set<string>();
  const hostnames = new Set<string>();
  const customers: GenCustomer[] = [];
  const rows = {
    customers: [] as unknown[][],
    tiers: [] as unknown[][],
    contacts: [] as unknown[][],
    servers: [] as unknown[][],
    appOncall: [] as unknown[][],
    engineers: [] as unknown[][],
  };
  for (let c = 0; c < customerCount; c++) {
    // A sixth were customers from the start; the rest signed up over the first 85 % of the decade.
    const startMs = rng.chance(1 / 6) ? fromMs : fromMs + Math.floor(rng.float() * span * 0.85);
    const startDate = calendar.localDateOf(startMs);
    const id = rng.uuidAt(startMs);
    const place = rng.pick(PLACE);
    const trade = rng.pick(TRADE);
    const name = `${place} ${trade} ${rng.chance(0.85) ? 'AB' : 'HB'} ${c + 1}`;
    const slug = `${place}${trade}${c + 1}`.toLowerCase().replace(/[åä]/g, 'a').replace(/ö/g, 'o');
    const org = unique(rng, orgNumbers, orgNumber);
    rows.customers.push([
      id,
      name,
      org,
      `SE${org.replace('-', '')}01`,
      `${rng.pick(PLACE)}vägen ${rng.int(1, 90)}`,
      `${rng.int(100, 989)} ${rng.int(10, 99)}`,
      rng.pick(CITY),
      'SE',
      `faktura@${slug}-${tag}.example`,
      startDate,
      null,
      toDbInstant(startMs),
      toDbInstant(startMs),
    ]);
    // Tier history: a quarter changed tier once (most often an upgrade to hög).
    const first = rng.weighted(TIER_WEIGHTS);
    const periods: GenCustomer['periods'] = [];
    const startOfTier = startOfLocalDay(startDate);
    if (rng.chance(0.25) && toMs - startMs > 120 * DAY) {
      const changeDate = calendar.localDateOf(
        startMs + 60 * DAY + Math.floor(rng.float() * (toMs - startMs - 90 * DAY)),
      );
      const second: Tier =
        first === 'hog' ? 'incident' : rng.chance(0.6) ? 'hog' : first === 'none' ? 'incident' : 'none';
      const changeMs = startOfLocalDay(changeDate);
      periods.push(
        { tier: first, fromMs: startOfTier, toMs: changeMs },
        { tier: second, fromMs: changeMs, toMs: Infinity },
      );
      rows.tiers.push([rng.uuidAt(startMs), id, first, startDate, changeDate, toDbInstant(startMs)]);
      rows.tiers.push([rng.uuidAt(changeMs), id, second, changeDate, null, toDbInstant(changeMs)]);
    } else {
      periods.push({ tier: first, fromMs: startOfTier, toMs: Infinity });
      rows.tiers.push([rng.uuidAt(startMs), id, first, startDate, null, toDbInstant(startMs)]);
    }
    const customer: GenCustomer = { id, name, startMs, periods, servers: [], contacts: [] };
    for (let k = rng.int(1, 3); k > 0; k--) {
      const contactName = `${rng.pick(FIRST)} ${rng.pick(LAST)}`;
      const phone = unique(rng, phones, (r) => `+4673${String(r.int(0, 9_999_999)).padStart(7, '0')}`);
      const contactId = rng.uuidAt(startMs);
      customer.contacts.push({ id: contactId, name: contactName, phone });
      rows.contacts.push([
        contactId,
        id,
        contactName,
        phone,
        `${contactName.split(' ')[0]?.toLowerCase()}@${slug}-${tag}.example`,
        toDbInstant(startMs),
      ]);
    }
    for (let k = rng.int(0, 4); k > 0; k--) {
      const hostname = unique(rng, hostnames, (r) => `${r.pick(HOST)}${r.int(1, 99)}.${slug}-${tag}.example`);
      const serverId = rng.uuidAt(startMs);
      customer.servers.push({ id: serverId, hostname });
      rows.servers.push([
        serverId,
        id,
        hostname,
        hostname,
        22,
        'ballou',
        null,
        rng.chance(0.3) ? 1 : 0,
        toDbInstant(startMs),
      ]);
    }
    if (periods.some((p) => p.tier === 'hog')) {
      rows.appOncall.push([
        rng.uuidAt(startMs),
        id,
        null,
        `${rng.pick(FIRST)} ${rng.pick(LAST)} (app)`,
        unique(rng, phones, (r) => `+4676${String(r.int(0, 9_999_999)).padStart(7, '0')}`),
        null,
        toDbInstant(startMs),
      ]);
    }
    customers.push(customer);
  }
  customers.sort((a, b) => a.startMs - b.startMs);
  const engineers: GenEngineer[] = [];
  for (let e = 0; e < engineerCount; e++) {
    const name = `${rng.pick(FIRST)} ${rng.pick(LAST)}`;
    const id = rng.uuidAt(fromMs);
    engineers.push({ id, name });
    rows.engineers.push([
      id,
      name,
      unique(rng, phones, (r) => `+4670${String(r.int(0, 9_999_999)).padStart(7, '0')}`),
      `${name
        .toLowerCase()
        .replace(/\s+/g, '.')
        .normalize('NFD')
        .replace(/[^a-z.]/g, '')}.${e + 1}.${tag}@ballou.example`,
      e === 0 ? 1 : 0,
      1,
      'sms',
      null,
      toDbInstant(fromMs),
    ]);
  }

  await ctx.db.transaction().execute(async (trx) => {
    if (!(await claimSystemState(trx, `large_demo_seed_${seed}`, String(total), nowIso))) {
      throw new DomainError(
        'DUPLICATE',
        `demo data of seed ${seed} is in this database already; pick another --seed`,
      );
    }
    const k = ctx.dbKind;
    await insertRowArrays(
      trx,
      k,
      'customers',
      [
        'id',
        'name',
        'org_number',
        'vat_number',
        'address_street',
        'address_postal_code',
        'address_city',
        'address_country',
        'invoice_email',
        'agreement_start',
        'agreement_end',
        'created_at',
        'updated_at',
      ],
      rows.customers,
    );
    await insertRowArrays(
      trx,
      k,
      'customer_tiers',
      ['id', 'customer_id', 'tier', 'valid_from', 'valid_to', 'created_at'],
      rows.tiers,
    );
    await insertRowArrays(
      trx,
      k,
      'contacts',
      ['id', 'customer_id', 'name', 'phone', 'email', 'created_at'],
      rows.contacts,
    );
    await insertRowArrays(
      trx,
      k,
      'servers',
      [
        'id',
        'customer_id',
        'hostname',
        'ssh_host',
        'ssh_port',
        'ssh_user',
        'ssh_host_key',
        'critical_data',
        'created_at',
      ],
      rows.servers,
    );
    await insertRowArrays(
      trx,
      k,
      'app_oncall_contacts',
      ['id', 'customer_id', 'server_id', 'name', 'phone', 'email', 'created_at'],
      rows.appOncall,
    );
    await insertRowArrays(
      trx,
      k,
      'engineers',
      [
        'id',
        'name',
        'phone',
        'email',
        'is_manager',
        'active',
        'notify_channel',
        'phone_failing_since',
        'created_at',
      ],
      rows.engineers,
    );
  });
  const counts = await writeIncidentHistory(ctx, {
    rng,
    customers,
    engineers,
    total,
    fromMs,
    toMs,
    nowMs: toMs,
    ...(options.onProgress ? { onProgress: options.onProgress } : {}),
  });
  return {
    seed,
    customers: customerCount,
    engineers: engineerCount,
    incidents: total,
    ...counts,
    fromMs,
    toMs,
  };
}

export interface RecentHistoryOptions {
  /** How far back the history goes (default six months). */
  months?: number;
  /** Incidents a month, all customers together (default 30: a small desk's normal month). */
  perMonth?: number;
  seed?: number;
}

/** The history ends this long before now, so every incident of it is closed or waits only for closing. */
const RECENT_HISTORY_GAP_MS = 3 * DAY;

/**
 * The demo desk's own past (the customers and engineers already in the database): a few months of
 * incidents with their timelines and work, every one finished, so the reports, the customers' pages and
 * the billing of past months show what a desk in use looks like. No page or job is queued for them.
 */
export async function generateRecentHistory(
  ctx: AppContext,
  options: RecentHistoryOptions = {},
): Promise<{ incidents: number; events: number; workEntries: number; fromMs: number }> {
  const [customerRows, tierRows, serverRows, contactRows, engineerRows] = await Promise.all([
    ctx.db
      .selectFrom('customers')
      .select(['id', 'name', 'agreement_start'])
      .orderBy('agreement_start')
      .execute(),
    ctx.db.selectFrom('customer_tiers').select(['customer_id', 'tier', 'valid_from', 'valid_to']).execute(),
    ctx.db.selectFrom('servers').select(['id', 'customer_id', 'hostname']).orderBy('hostname').execute(),
    ctx.db.selectFrom('contacts').select(['id', 'customer_id', 'name', 'phone']).orderBy('name').execute(),
    ctx.db.selectFrom('engineers').select(['id', 'name']).where('active', '=', 1).orderBy('name').execute(),
  ]);
  const customers: GenCustomer[] = customerRows.map((c) => ({
    id: c.id,
    name: c.name,
    startMs: startOfLocalDay(c.agreement_start),
    periods: tierRows
      .filter((t) => t.customer_id === c.id)
      .map((t) => ({
        tier: t.tier as Tier,
        fromMs: startOfLocalDay(t.valid_from),
        toMs: t.valid_to === null ? Infinity : startOfLocalDay(t.valid_to),
      })),
    servers: serverRows
      .filter((r) => r.customer_id === c.id)
      .map((r) => ({ id: r.id, hostname: r.hostname })),
    contacts: contactRows
      .filter((r) => r.customer_id === c.id && r.phone !== null)
      .map((r) => ({ id: r.id, name: r.name, phone: r.phone as string })),
  }));
  const engineers: GenEngineer[] = engineerRows.map((e) => ({ id: e.id, name: e.name }));
  // Every customer reports by phone or SMS from a contact; one without contacts would have nobody to call.
  const callers = customers.filter((c) => c.contacts.length > 0);
  const nowMs = ctx.clock.now();
  if (callers.length === 0 || engineers.length === 0)
    return { incidents: 0, events: 0, workEntries: 0, fromMs: nowMs };
  const months = options.months ?? 6;
  const total = Math.round(months * (options.perMonth ?? 30));
  const toMs = nowMs - RECENT_HISTORY_GAP_MS;
  const fromMs = toMs - Math.round((months * 365.25 * DAY) / 12);
  const counts = await writeIncidentHistory(ctx, {
    rng: new SeededRandom(options.seed ?? 2025),
    customers: callers,
    engineers,
    total,
    fromMs,
    toMs,
    nowMs,
  });
  return { incidents: total, ...counts, fromMs };
}

interface HistoryPlan {
  rng: SeededRandom;
  /** Sorted by the start of their agreement: incidents are only reported by customers who have one. */
  customers: GenCustomer[];
  engineers: GenEngineer[];
  total: number;
  /** Reports are spread evenly over [fromMs, toMs). */
  fromMs: number;
  toMs: number;
  /** Timelines are cut here: younger incidents are still being worked on. */
  nowMs: number;
  onProgress?: (p: { done: number; total: number }) => void;
}

/**
 * Writes `total` incidents of these customers and engineers, with their timelines and work, in batches,
 * numbered on from the database's incident series.
 */
async function writeIncidentHistory(
  ctx: AppContext,
  plan: HistoryPlan,
): Promise<{ events: number; workEntries: number }> {
  const { rng, customers, engineers, total, fromMs, toMs } = plan;
  const span = toMs - fromMs;
  const { calendar } = await loadPricingRules(ctx.db);
  const targetsFor = slaTargetLookup(await listSlaPolicies(ctx.db));
  const counts = { events: 0, workEntries: 0 };
  const writer = openBulkWriter(ctx.db, ctx.dbKind, ctx.config.databaseUrl);
  try {
    // Into an empty incident table (a new database), a large load builds the incident indexes once at
    // the end. A small one (the demo's past, at a server's start) keeps them: with several nodes on one
    // PostgreSQL another node may already be serving, and the unique indexes must hold throughout.
    const deferred =
      total >= DEFER_INDEXES_FROM && (await isEmptyTable(ctx.db, 'incidents'))
        ? await dropSecondaryIndexes(ctx.db, ctx.dbKind, ['incidents', 'incident_events', 'work_entries'])
        : [];
    try {
      await loadIncidents();
    } finally {
      await recreateIndexes(ctx.db, deferred);
    }
    await analyzeAfterBulkLoad(ctx.db, ctx.dbKind);
    return counts;
  } finally {
    await writer.close();
  }

  async function loadIncidents(): Promise<void> {
    const sequences = await readNextIncidentNumbers(ctx.db);
    const incidentGen = new IncidentGenerator(rng, calendar, targetsFor, customers, engineers, plan.nowMs);
    let active = 0;
    for (let start = 0; start < total; start += INCIDENTS_PER_BATCH) {
      const batch = { incidents: [] as unknown[][], events: [] as unknown[][], work: [] as unknown[][] };
      const end = Math.min(total, start + INCIDENTS_PER_BATCH);
      for (let i = start; i < end; i++) {
        // Stratified over the span: sorted, about evenly spread, with a random time in each slot.
        const reportedAtMs = fromMs + Math.floor((((i + rng.float()) / total) * span) / 1000) * 1000;
        while (active < customers.length && (customers[active] as GenCustomer).startMs <= reportedAtMs)
          active++;
        const year = calendar.localDateOf(reportedAtMs).slice(0, 4);
        const series = `incident-${year}`;
        const number = sequences.get(series) ?? 1;
        sequences.set(series, number + 1);
        incidentGen.generate(reportedAtMs, `INC-${year}-${String(number).padStart(5, '0')}`, active, batch);
      }
      counts.events += batch.events.length;
      counts.workEntries += batch.work.length;
      await writer.writeBatch([
        { table: 'incidents', columns: INCIDENT_COLUMNS, rows: batch.incidents },
        { table: 'incident_events', columns: EVENT_COLUMNS, rows: batch.events },
        { table: 'work_entries', columns: WORK_COLUMNS, rows: batch.work },
      ]);
      plan.onProgress?.({ done: end, total });
    }
    await ctx.db.transaction().execute(async (trx) => {
      for (const [name, next] of sequences) await advanceIncidentNumbers(trx, name, next);
    });
  }
}

const INCIDENT_COLUMNS = [
  'id',
  'ref',
  'customer_id',
  'server_id',
  'contact_id',
  'summary',
  'channel',
  'caller_number',
  'unknown_caller',
  'tier',
  'callout',
  'dedup_key',
  'state',
  'reported_at',
  'response_due',
  'action_due',
  'closed_at',
  'created_at',
  'updated_at',
] as const;
const EVENT_COLUMNS = [
  'id',
  'incident_id',
  'seq',
  'type',
  'at',
  'actor_type',
  'actor_id',
  'actor_name',
  'data',
  'created_at',
] as const;
const WORK_COLUMNS = [
  'id',
  'incident_id',
  'engineer_id',
  'start_at',
  'end_at',
  'within_responsibility',
  'note',
  'source',
  'created_at',
] as const;

type PolicyRow = Awaited<ReturnType<typeof listSlaPolicies>>[number];

/** The SLA targets of a tier at an instant, from the policy table read once (periods as instants). */
function slaTargetLookup(policies: PolicyRow[]): (tier: Tier, atMs: number) => SlaTargets {
  const periods = policies.map((p) => ({
    tier: p.tier,
    fromMs: startOfLocalDay(p.valid_from),
    toMs: p.valid_to === null ? Infinity : startOfLocalDay(p.valid_to),
    targets: {
      responseMinutes: p.response_minutes,
      actionMinutes: p.action_minutes,
      officeResponseMinutes: p.office_response_minutes,
      officeActionMinutes: p.office_action_minutes,
    },
  }));
  return (tier, atMs) => {
    const found = periods.find((p) => p.tier === tier && p.fromMs <= atMs && atMs < p.toMs);
    if (!found) throw new DomainError('INTERNAL', `no service-level targets for tier ${tier}`);
    return found.targets;
  };
}

interface Batch {
  incidents: unknown[][];
  events: unknown[][];
  work: unknown[][];
}

/** One incident and its timeline at a time, as rows. */
class IncidentGenerator {
  private readonly system: Actor = { type: 'system', id: null, name: 'Ballou' };

  constructor(
    private readonly rng: SeededRandom,
    private readonly calendar: Calendar,
    private readonly targetsFor: (tier: Tier, atMs: number) => SlaTargets,
    private readonly customers: GenCustomer[],
    private readonly engineers: GenEngineer[],
    private readonly nowMs: number,
  ) {}

  generate(reportedAtMs: number, ref: string, activeCustomers: number, batch: Batch): void {
    const { rng } = this;
    const id = rng.uuidAt(reportedAtMs);
    const unknownCaller = activeCustomers === 0 || rng.chance(0.015);
    // Older customers call more: a skewed pick gives a few busy customers and a long quiet tail.
    const customer = unknownCaller
      ? null
      : (this.customers[Math.floor(activeCustomers * rng.float() ** 1.6)] as GenCustomer);
    const tier: Tier = customer
      ? (customer.periods.find((p) => p.fromMs <= reportedAtMs && reportedAtMs < p.toMs)?.tier ?? 'none')
      : 'none';
    let channel: Channel = unknownCaller ? (rng.chance(0.8) ? 'phone' : 'sms') : rng.weighted(CHANNELS);
    if (channel === 'alert' && (!customer || customer.servers.length === 0)) channel = 'phone';
    const server =
      customer && customer.servers.length > 0 && (channel === 'alert' || rng.chance(0.75))
        ? rng.pick(customer.servers)
        : null;
    const contact = customer && channel !== 'alert' ? rng.pick(customer.contacts) : null;
    const callerNumber = unknownCaller
      ? `+4670${String(rng.int(0, 9_999_999)).padStart(7, '0')}`
      : channel === 'phone' || channel === 'sms'
        ? (contact?.phone ?? null)
        : null;
    const summary =
      channel === 'alert'
        ? `${rng.pick(ALERTS)} på ${server?.hostname ?? 'servern'}`
        : rng.pick(PHONE_SUMMARIES) + (server ? ` (${server.hostname})` : '');
    const callout = this.calendar.isOnCallTime(reportedAtMs);
    const facts = { tier, callout, reportedAtMs };
    const reporter: Actor =
      channel === 'alert'
        ? { type: 'integration', id: null, name: 'Alertmanager' }
        : channel === 'api'
          ? { type: 'token', id: null, name: 'kundens API-nyckel' }
          : { type: 'caller', id: null, name: contact?.name ?? callerNumber };

    const events: IncidentEvent[] = [];
    const work: unknown[][] = [];
    const add = (type: IncidentEventType, atMs: number, actor: Actor, data: Record<string, unknown> = {}) =>
      events.push({ seq: events.length + 1, type, atMs, actor, data });
    const eng = (): GenEngineer => rng.pick(this.engineers);
    const actorOf = (e: GenEngineer): Actor => ({ type: 'engineer', id: e.id, name: e.name });
    const after = (atMs: number, typicalMinutes: number) =>
      atMs + rng.minutes(typicalMinutes) * MINUTE + rng.int(0, 59) * 1000;

    add('reported', reportedAtMs, reporter, { channel, summary });
    let responder = eng();
    let t = reportedAtMs;
    if (callout && tier !== 'none') {
      add('paged', reportedAtMs + rng.int(2, 20) * 1000, this.system, {
        step: 0,
        engineerIds: [responder.id],
        channel: 'sms',
      });
      if (rng.chance(0.04)) {
        responder = eng();
        t = reportedAtMs + 5 * MINUTE;
        add('escalated', t, this.system, { step: 1, engineerIds: [responder.id] });
      }
    }
    t = after(t, callout ? 4 : 7);
    add('acknowledged', t, actorOf(responder), { engineerId: responder.id });
    t = after(t, 3);
    add('called_back', t, actorOf(responder), { engineerId: responder.id });
    t = after(t, 5);
    const within = rng.chance(0.88);
    add('triaged', t, actorOf(responder), { withinResponsibility: within });
    let doWork = within;
    if (!within) {
      t = after(t, 2);
      add('handed_over', t, actorOf(responder), {
        contactName: contact?.name ?? 'kundens jour',
        channel: 'sms',
      });
    } else if (tier !== 'hog') {
      t = after(t, 6);
      const granted = rng.chance(0.94);
      const viaPortal = rng.chance(0.3);
      add('consent_recorded', t, viaPortal ? reporter : actorOf(responder), {
        granted,
        by: contact?.name ?? 'Uppringaren',
        via: viaPortal ? 'portal' : 'phone',
      });
      doWork = granted;
    }
    if (doWork) {
      const entries = rng.chance(0.7) ? 1 : rng.chance(0.7) ? 2 : 3;
      let start = after(t, 4);
      for (let w = 0; w < entries; w++) {
        const worker = w === 0 || rng.chance(0.6) ? responder : eng();
        const end = start + Math.min(8 * 60, rng.minutes(40)) * MINUTE;
        const workId = rng.uuidAt(reportedAtMs);
        work.push([
          workId,
          id,
          worker.id,
          toDbInstant(start),
          toDbInstant(end),
          1,
          null,
          'manual',
          toDbInstant(end),
        ]);
        add('work_logged', end, actorOf(worker), {
          workEntryId: workId,
          engineerId: worker.id,
          startMs: start,
          endMs: end,
          withinResponsibility: true,
        });
        t = end;
        start = after(end, 30);
      }
    }
    t = after(t, 10);
    add('resolved', t, actorOf(responder));
    t = after(t, 12 * 60);
    add('closed', t, actorOf(responder));

    // Cut the timeline at "now": recent incidents are still being worked on, some resolved ones wait
    // for closing, everything older is closed.
    const age = this.nowMs - reportedAtMs;
    let keep = events.filter((e) => e.atMs <= this.nowMs).length;
    if (age < 12 * 3_600_000) keep = Math.min(keep, rng.int(1, events.length));
    else if (age < 10 * DAY && rng.chance(0.2)) keep = Math.min(keep, events.length - 1);
    const kept = events.slice(0, keep);
    const keptWork = new Set(kept.filter((e) => e.type === 'work_logged').map((e) => e.data.workEntryId));

    const status = deriveIncident(facts, kept, this.targetsFor(tier, reportedAtMs));
    const last = kept.at(-1) as IncidentEvent;
    batch.incidents.push([
      id,
      ref,
      customer?.id ?? null,
      server?.id ?? null,
      contact?.id ?? null,
      summary,
      channel,
      callerNumber,
      unknownCaller ? 1 : 0,
      tier,
      callout ? 1 : 0,
      channel === 'alert' ? `alertmanager:${rng.uuidAt(reportedAtMs).slice(-16)}` : null,
      status.state,
      toDbInstant(reportedAtMs),
      toDbInstant(status.responseDueMs),
      status.actionDueMs === null ? null : toDbInstant(status.actionDueMs),
      status.closedAtMs === null ? null : toDbInstant(status.closedAtMs),
      toDbInstant(reportedAtMs),
      toDbInstant(last.atMs),
    ]);
    for (const e of kept) {
      const at = toDbInstant(e.atMs);
      batch.events.push([
        rng.uuidAt(reportedAtMs),
        id,
        e.seq,
        e.type,
        at,
        e.actor.type,
        e.actor.id,
        e.actor.name,
        JSON.stringify(e.data),
        at,
      ]);
    }
    for (const w of work) if (keptWork.has(w[0])) batch.work.push(w);
  }
}
