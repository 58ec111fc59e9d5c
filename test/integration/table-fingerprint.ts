import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';

/**
 * A digest of every row of every table (Kysely's own migration tables included when asked), so a test
 * can prove that nothing at all changed, or that a restore brought back exactly what was saved.
 */
export async function tableFingerprints(
  // Any database: the table list comes from the catalogue, not from our schema types.
  db: Kysely<unknown>,
  opts: {
    except?: readonly string[];
    withMigrations?: boolean;
    /** Leave refused requests' own audit records (`access.refused`) out of audit_log's digest. */
    refusalsAside?: boolean;
  } = {},
): Promise<Record<string, { rows: number; digest: string }>> {
  const tables = await db.introspection.getTables({ withInternalKyselyTables: opts.withMigrations ?? false });
  const result: Record<string, { rows: number; digest: string }> = {};
  for (const table of tables.map((t) => t.name).sort()) {
    if (opts.except?.includes(table)) continue;
    const rows = (
      (await (db as Kysely<Record<string, Record<string, unknown>>>)
        .selectFrom(table)
        .selectAll()
        .execute()) as Record<string, unknown>[]
    ).filter((row) => !(opts.refusalsAside && table === 'audit_log' && row.action === 'access.refused'));
    // Row order is not part of the data: sort the canonical JSON of each row.
    const lines = rows
      .map((row) =>
        JSON.stringify(
          Object.keys(row)
            .sort()
            .map((k) => [k, row[k] instanceof Date ? (row[k] as Date).toISOString() : row[k]]),
        ),
      )
      .sort();
    result[table] = {
      rows: rows.length,
      digest: createHash('sha256').update(lines.join('\n')).digest('hex').slice(0, 16),
    };
  }
  return result;
}
