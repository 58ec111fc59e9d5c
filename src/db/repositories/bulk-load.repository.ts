import SQLite from 'better-sqlite3';
import { CompiledQuery, sql } from 'kysely';
import type { DatabaseKind, Db, DbOrTrx } from '../database.js';
import type { Database } from '../schema.js';

/**
 * Bulk loading for large generated data sets (`ballou demo --incidents N`): multi-row inserts with the
 * statement text built once per table and row count, so a million rows cost a few thousand statements.
 */

/** Bound parameters per statement: under SQLite's 32 766 and PostgreSQL's 65 535. */
const MAX_PARAMETERS = 30_000;

const statementCache = new Map<string, string>();

function insertStatement(
  kind: DatabaseKind,
  table: string,
  columns: readonly string[],
  rows: number,
): string {
  const key = `${kind}|${table}|${columns.join(',')}|${rows}`;
  const cached = statementCache.get(key);
  if (cached) return cached;
  const tuples: string[] = [];
  let n = 0;
  for (let r = 0; r < rows; r++) {
    const marks = columns.map(() => (kind === 'postgres' ? `$${++n}` : '?'));
    tuples.push(`(${marks.join(',')})`);
  }
  const text = `insert into "${table}" (${columns.map((c) => `"${c}"`).join(',')}) values ${tuples.join(',')}`;
  statementCache.set(key, text);
  return text;
}

/**
 * Inserts rows given as value arrays in `columns` order, in as few statements as the engine's parameter
 * limit allows. Call inside a transaction: one commit per batch is what makes it fast.
 */
export async function insertRowArrays<T extends keyof Database & string>(
  db: DbOrTrx,
  kind: DatabaseKind,
  table: T,
  columns: ReadonlyArray<keyof Database[T] & string>,
  rows: ReadonlyArray<readonly unknown[]>,
): Promise<void> {
  const perStatement = Math.max(1, Math.floor(MAX_PARAMETERS / columns.length));
  for (let start = 0; start < rows.length; start += perStatement) {
    const chunk = rows.slice(start, start + perStatement);
    const params: unknown[] = [];
    for (const row of chunk) for (const value of row) params.push(value);
    await db.executeQuery(CompiledQuery.raw(insertStatement(kind, table, columns, chunk.length), params));
  }
}

/** One table's rows of a batch, value arrays in `columns` order. */
export interface TableRows {
  table: keyof Database & string;
  columns: readonly string[];
  rows: ReadonlyArray<readonly unknown[]>;
}

/** Writes batches of rows, each batch in one transaction. */
export interface BulkWriter {
  writeBatch(tables: readonly TableRows[]): Promise<void>;
  close(): Promise<void>;
}

/** Rows per statement on the SQLite writer: one prepared statement per table, reused for every batch. */
const SQLITE_ROWS_PER_STATEMENT = 100;

/**
 * A writer for a bulk load. On SQLite its own connection to the file with prepared statements reused
 * across batches (Kysely prepares every statement anew, which costs more than the insert itself at
 * millions of rows), a big page cache and NORMAL sync (a crash mid-load loses at most the last batches
 * of generated data, never corrupts the file). On PostgreSQL multi-row inserts through Kysely.
 */
export function openBulkWriter(db: Db, kind: DatabaseKind, url: string): BulkWriter {
  if (kind === 'postgres') {
    return {
      writeBatch: (tables) =>
        db.transaction().execute(async (trx) => {
          for (const t of tables) await insertRowArrays(trx, kind, t.table, t.columns as never, t.rows);
        }),
      close: async () => undefined,
    };
  }
  const sqlite = new SQLite(url.slice('sqlite:'.length));
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma('busy_timeout = 5000');
  sqlite.pragma('cache_size = -262144');
  const statements = new Map<string, SQLite.Statement>();
  const statement = (t: TableRows, rows: number): SQLite.Statement => {
    const key = `${t.table}|${t.columns.join(',')}|${rows}`;
    let stmt = statements.get(key);
    if (!stmt) {
      stmt = sqlite.prepare(insertStatement('sqlite', t.table, t.columns, rows));
      statements.set(key, stmt);
    }
    return stmt;
  };
  const write = sqlite.transaction((tables: readonly TableRows[]) => {
    for (const t of tables) {
      let i = 0;
      const params: unknown[] = [];
      for (; i + SQLITE_ROWS_PER_STATEMENT <= t.rows.length; i += SQLITE_ROWS_PER_STATEMENT) {
        params.length = 0;
        for (let r = i; r < i + SQLITE_ROWS_PER_STATEMENT; r++)
          for (const v of t.rows[r] as unknown[]) params.push(v);
        statement(t, SQLITE_ROWS_PER_STATEMENT).run(params);
      }
      if (i < t.rows.length) statement(t, t.rows.length - i).run(t.rows.slice(i).flat());
    }
  });
  return {
    writeBatch: async (tables) => {
      write(tables);
    },
    close: async () => {
      sqlite.close();
    },
  };
}

/** Refreshes the planner's statistics after a bulk load (approximate on SQLite, so it stays fast). */
export async function analyzeAfterBulkLoad(db: DbOrTrx, kind: DatabaseKind): Promise<void> {
  if (kind === 'sqlite') {
    await sql`pragma analysis_limit = 1000`.execute(db);
    await sql`analyze`.execute(db);
  } else {
    await sql`analyze incidents, incident_events, work_entries, customers, customer_tiers`.execute(db);
  }
}

/** True when the table has no rows (a bulk load into an empty table may defer its indexes). */
export async function isEmptyTable(db: DbOrTrx, table: keyof Database & string): Promise<boolean> {
  const row = await sql<{ one: number }>`select 1 as one from ${sql.table(table)} limit 1`.execute(db);
  return row.rows.length === 0;
}

/**
 * Drops the secondary indexes of the tables (not primary keys or constraints) and returns the statements
 * that recreate them exactly as they were, read from the engine's catalogue. Building an index once after
 * a load sorts; keeping it during the load writes all over it for every row.
 */
export async function dropSecondaryIndexes(
  db: DbOrTrx,
  kind: DatabaseKind,
  tables: ReadonlyArray<keyof Database & string>,
): Promise<string[]> {
  const found =
    kind === 'sqlite'
      ? await sql<{ name: string; definition: string }>`
          select name, sql as definition from sqlite_master
          where type = 'index' and sql is not null and tbl_name in (${sql.join(tables)})`.execute(db)
      : await sql<{ name: string; definition: string }>`
          select i.indexname as name, i.indexdef as definition from pg_indexes i
          where i.schemaname = current_schema() and i.tablename in (${sql.join(tables)})
            and not exists (select 1 from pg_constraint c where c.conname = i.indexname)`.execute(db);
  for (const index of found.rows) await sql`drop index ${sql.id(index.name)}`.execute(db);
  return found.rows.map((index) => index.definition);
}

/** Runs the statements dropSecondaryIndexes returned. */
export async function recreateIndexes(db: DbOrTrx, definitions: readonly string[]): Promise<void> {
  for (const definition of definitions) await sql.raw(definition).execute(db);
}
