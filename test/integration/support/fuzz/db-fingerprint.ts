import { createHash } from 'node:crypto';
import SQLite from 'better-sqlite3';
import { sql } from 'kysely';
import type { AppContext } from '../../../../src/app/app-context.js';

/** Per table: its row count and a hash of every row's content (order-independent). */
export type Fingerprint = Map<string, { rows: number; hash: string }>;

/**
 * Columns that authentication itself keeps up to date, even on a request that is then refused: a
 * refused login counts the failure and may lock the account (ASVS 2.2.1); a token records its last use
 * (once a minute) and a session its last activity (for the idle timeout, every 30 s). The fingerprint
 * also carries `<table>~core`, the table without them, so a check can tell this bookkeeping from any
 * other write.
 */
export const BOOKKEEPING_COLUMNS: Record<string, string[]> = {
  users: ['failed_logins', 'locked_until'],
  api_tokens: ['last_used_at'],
  sessions: ['last_seen_at'],
};

/**
 * Parts of a table fingerprinted on their own. A refused action run is recorded on purpose (ADR 0017:
 * "every refusal must be on record", committed before the 403/409): `action_runs~kept` is every run but
 * the refused ones, so a check can allow the record of a refusal and nothing more.
 */
export const SUBSETS: Record<string, { table: string; where: string }> = {
  'action_runs~kept': { table: 'action_runs', where: "status <> 'refused'" },
};

const quote = (name: string) => `"${name.replace(/"/g, '""')}"`;

function hashRows(texts: string[]): string {
  const h = createHash('sha256');
  for (const t of texts.sort()) h.update(t).update('\n');
  return h.digest('hex');
}

/**
 * Watches the real database of a test app (no mock): a content fingerprint of every table, including
 * audit_log and jobs, and a cheap marker that moves whenever anything at all was committed
 * (SQLite's `data_version` seen from a second connection; PostgreSQL's WAL position), so the full
 * fingerprint is taken again only after a request that may have written.
 */
export class DatabaseWatch {
  private reader: SQLite.Database | undefined;
  tables: string[] = [];

  constructor(
    private readonly ctx: AppContext,
    databaseUrl: string,
  ) {
    if (ctx.dbKind === 'sqlite') {
      this.reader = new SQLite(databaseUrl.slice('sqlite:'.length), { readonly: true });
    }
  }

  async start(): Promise<void> {
    this.tables = await this.listTables();
  }

  close(): void {
    this.reader?.close();
  }

  /** Every table of the live database (from its catalogue, so tables added later are covered too). */
  private async listTables(): Promise<string[]> {
    const rows =
      this.ctx.dbKind === 'postgres'
        ? await sql<{ name: string }>`select table_name as name from information_schema.tables
            where table_schema = current_schema() and table_type = 'BASE TABLE' order by 1`.execute(
            this.ctx.db,
          )
        : await sql<{ name: string }>`select name from sqlite_master
            where type = 'table' and name not like 'sqlite_%' order by 1`.execute(this.ctx.db);
    return rows.rows.map((r) => r.name);
  }

  /** Changes whenever a transaction was committed since the last call; equal values mean no write. */
  async marker(): Promise<string> {
    if (this.reader) return String(this.reader.pragma('data_version', { simple: true }));
    const row = await sql<{ lsn: string }>`select pg_current_wal_lsn()::text as lsn`.execute(this.ctx.db);
    return row.rows[0]?.lsn ?? '';
  }

  /** Row counts and content hashes of all tables. */
  async fingerprint(): Promise<Fingerprint> {
    const result: Fingerprint = new Map();
    if (!this.reader) {
      // One round trip: PostgreSQL hashes each table itself.
      const parts = this.tables.map((t) => {
        const one = (label: string, expr: string) =>
          `select '${label}' as t, count(*)::int as n, ` +
          `md5(coalesce(string_agg(${expr}::text, E'\\n' order by ${expr}::text), '')) as h from ${quote(t)} x`;
        const skip = BOOKKEEPING_COLUMNS[t];
        if (!skip) return one(t, 'to_jsonb(x)');
        const core = `(to_jsonb(x) - '${skip.join("' - '")}')`;
        return `${one(t, 'to_jsonb(x)')} union all ${one(`${t}~core`, core)}`;
      });
      for (const [label, { table, where }] of Object.entries(SUBSETS))
        if (this.tables.includes(table))
          parts.push(
            `select '${label}' as t, count(*)::int as n, md5(coalesce(string_agg(to_jsonb(x)::text, E'\\n' ` +
              `order by to_jsonb(x)::text), '')) as h from ${quote(table)} x where ${where}`,
          );
      const rows = await sql<{
        t: string;
        n: number;
        h: string;
      }>`${sql.raw(parts.join(' union all '))}`.execute(this.ctx.db);
      for (const r of rows.rows) result.set(r.t, { rows: Number(r.n), hash: r.h });
      return result;
    }
    const reader = this.reader;
    // One read transaction: a consistent snapshot of all tables.
    reader.transaction(() => {
      for (const t of this.tables) {
        const stmt = reader.prepare(`select * from ${quote(t)}`);
        const rows = stmt.raw(true).all() as unknown[][];
        result.set(t, { rows: rows.length, hash: hashRows(rows.map((r) => JSON.stringify(r, bufferAsHex))) });
        const bookkeeping = BOOKKEEPING_COLUMNS[t];
        if (bookkeeping) {
          const skip = new Set(
            stmt
              .columns()
              .map((col, i) => (bookkeeping.includes(col.name) ? i : -1))
              .filter((i) => i >= 0),
          );
          const core = rows.map((r) =>
            JSON.stringify(
              r.filter((_v, i) => !skip.has(i)),
              bufferAsHex,
            ),
          );
          result.set(`${t}~core`, { rows: rows.length, hash: hashRows(core) });
        }
      }
      for (const [label, { table, where }] of Object.entries(SUBSETS)) {
        if (!this.tables.includes(table)) continue;
        const rows = reader
          .prepare(`select * from ${quote(table)} where ${where}`)
          .raw(true)
          .all() as unknown[][];
        result.set(label, {
          rows: rows.length,
          hash: hashRows(rows.map((r) => JSON.stringify(r, bufferAsHex))),
        });
      }
    })();
    return result;
  }
}

function bufferAsHex(_key: string, value: unknown): unknown {
  return Buffer.isBuffer(value) ? value.toString('hex') : value;
}

/** The tables whose count or content differ. */
export function changedTables(before: Fingerprint, after: Fingerprint): string[] {
  const names = new Set([...before.keys(), ...after.keys()]);
  return [...names].filter((n) => {
    const a = before.get(n);
    const b = after.get(n);
    return !a || !b || a.rows !== b.rows || a.hash !== b.hash;
  });
}
