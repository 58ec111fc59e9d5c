import { PostgresAdapter, sql } from 'kysely';
import type { DbOrTrx, Trx } from '../database.js';
import { nextSequenceValue } from './incident.repository.js';

/**
 * Incident numbers: INC-<year>-<n>, counted per year of the report.
 *
 * SQLite counts in the `number_sequences` row "incident-<year>", locked until the transaction ends: SQLite
 * has one writer at a time anyway, so this costs nothing and leaves no gaps.
 *
 * PostgreSQL counts with a sequence per year, `incident_ref_<year>`. The row lock made every new incident
 * wait for the one before it to commit, however many connections and nodes there were: at 100 incidents/s
 * intake waited 40 ms on average for it, 88 of PostgreSQL's 96 s of statement time in a paging run. A
 * sequence hands out numbers without locks; a number taken by a transaction that rolls back is skipped (the
 * refs stay unique and increasing; invoices, which must be gap-free, have their own numbering, ADR 0018).
 * The year's sequence is created by the first report of that year, after the highest number already used
 * (the `number_sequences` row of a database from before, or bulk-loaded refs).
 */
export async function nextIncidentNumber(trx: Trx, year: string): Promise<number> {
  if (!/^\d{4}$/.test(year)) throw new Error(`incident number: bad year ${year}`);
  if (!onPostgres(trx)) return nextSequenceValue(trx, seriesName(year));
  for (let attempt = 0; attempt < 3; attempt++) {
    const next = await nextFromSequence(trx, year);
    if (next !== null) return next;
    await createYearSequence(trx, year);
  }
  throw new Error(`incident number: the sequence ${sequenceName(year)} could not be created`);
}

/** The next free number of each year's series (`incident-<year>` → n), for a bulk load of refs. */
export async function readNextIncidentNumbers(db: DbOrTrx): Promise<Map<string, number>> {
  const rows = await db
    .selectFrom('number_sequences')
    .select(['name', 'next_value'])
    .where('name', 'like', 'incident-%')
    .execute();
  const next = new Map(rows.map((r) => [r.name, Number(r.next_value)]));
  if (onPostgres(db)) {
    const sequences = await sql<{ sequencename: string; used: string }>`
      select sequencename, coalesce(last_value, start_value - 1) as used from pg_sequences
      where schemaname = current_schema() and sequencename like 'incident\\_ref\\_%'`.execute(db);
    for (const s of sequences.rows) {
      const series = seriesName(s.sequencename.slice('incident_ref_'.length));
      next.set(series, Math.max(next.get(series) ?? 1, Number(s.used) + 1));
    }
  }
  return next;
}

/** Moves a year's series forward so that its next number is at least `nextValue` (never back). */
export async function advanceIncidentNumbers(db: DbOrTrx, series: string, nextValue: number): Promise<void> {
  await db
    .insertInto('number_sequences')
    .values({ name: series, next_value: nextValue })
    .onConflict((oc) =>
      oc.column('name').doUpdateSet({
        next_value: sql`case when number_sequences.next_value > ${nextValue} then number_sequences.next_value else ${nextValue} end`,
      }),
    )
    .execute();
  const year = series.slice('incident-'.length);
  if (onPostgres(db) && /^\d{4}$/.test(year)) {
    // Only forward, and only a sequence that exists: one made later starts after the row above.
    await sql`
      select setval(to_regclass(sequencename::text), target) from (
        select sequencename, ${nextValue - 1}::bigint as target, coalesce(last_value, start_value - 1) as used
        from pg_sequences where schemaname = current_schema() and sequencename = ${sequenceName(year)}
      ) s where target > used`.execute(db);
  }
}

const seriesName = (year: string) => `incident-${year}`;
const sequenceName = (year: string) => `incident_ref_${year}`;

function onPostgres(db: DbOrTrx): boolean {
  return db.getExecutor().adapter instanceof PostgresAdapter;
}

/** nextval of the year's sequence, or null while it does not exist (nextval of null is null, no error). */
async function nextFromSequence(trx: Trx, year: string): Promise<number | null> {
  const { rows } = await sql<{
    n: string | null;
  }>`select nextval(to_regclass(${sequenceName(year)})) as n`.execute(trx);
  const n = rows[0]?.n;
  return n === null || n === undefined ? null : Number(n);
}

/**
 * Creates the year's sequence after the highest number in use. Two transactions may try at once: the
 * second waits for the first to commit and then fails on the catalog's unique index; its savepoint undoes
 * only that, and the caller takes its number from the sequence the first one made.
 */
async function createYearSequence(trx: Trx, year: string): Promise<void> {
  const { rows } = await sql<{ last: string | null }>`
    select greatest(
      (select next_value - 1 from number_sequences where name = ${seriesName(year)}),
      (select max(cast(substring(ref from 10) as bigint)) from incidents
        where ref like ${`INC-${year}-%`} and substring(ref from 10) ~ '^[0-9]+$')
    ) as last`.execute(trx);
  const start = Number(rows[0]?.last ?? 0) + 1;
  await sql`savepoint incident_sequence`.execute(trx);
  try {
    await sql.raw(`create sequence if not exists ${sequenceName(year)} start with ${start}`).execute(trx);
    await sql`release savepoint incident_sequence`.execute(trx);
  } catch (error) {
    await sql`rollback to savepoint incident_sequence`.execute(trx);
    const code = (error as { code?: string }).code;
    // 23505 unique_violation, 42P07 duplicate_table: another transaction created it first.
    if (code !== '23505' && code !== '42P07') throw error;
  }
}
