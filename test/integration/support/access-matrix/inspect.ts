/**
 * What a response reveals and what a request changed: the readable text of any answer (JSON, HTML,
 * iCalendar, CSV, UBL, SIE in CP437, PDF), the strings of another customer found in it, and a fingerprint
 * of every table to prove that a refused write wrote nothing.
 */
import { createHash } from 'node:crypto';
import iconv from 'iconv-lite';
import { sql } from 'kysely';
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';
import type { AppContext } from '../../../../src/app/app-context.js';

async function pdfText(bytes: Buffer): Promise<string> {
  const pdf = await getDocument({ data: new Uint8Array(bytes), disableFontFace: true, verbosity: 0 }).promise;
  const pages: string[] = [];
  for (let i = 1; i <= pdf.numPages; i++) {
    const content = await (await pdf.getPage(i)).getTextContent();
    pages.push(content.items.map((item) => ('str' in item ? item.str : '')).join(''));
  }
  return pages.join('\n');
}

/** The text a person or program would read in the answer, whatever its format. */
export async function readableText(contentType: string | undefined, bytes: Buffer): Promise<string> {
  const type = (contentType ?? '').toLowerCase();
  if (type.startsWith('application/pdf')) return pdfText(bytes);
  if (type.includes('ibm437') || type.includes('cp437')) return iconv.decode(bytes, 'cp437');
  return bytes.toString('utf8');
}

/** The markers found in the text (whitespace ignored: PDF text may break a string across items). */
export function markersIn(text: string, markers: readonly string[]): string[] {
  const flat = text.replace(/\s+/g, '').toLowerCase();
  return markers.filter((m) => flat.includes(m.replace(/\s+/g, '').toLowerCase()));
}

/** Tables a read may legitimately touch (a session's last use, the rate limiter's and lockout's counts). */
const VOLATILE = new Set(['sessions', 'login_attempts', 'kysely_migration', 'kysely_migration_lock']);

async function tableNames(ctx: AppContext): Promise<string[]> {
  const tables = await ctx.db.introspection.getTables();
  return tables.map((t) => t.name).filter((n) => !VOLATILE.has(n) && !n.startsWith('sqlite_'));
}

/** A hash of every row of every business table, by table (refusals' audit records left out). */
export async function fingerprint(ctx: AppContext): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const table of await tableNames(ctx)) {
    // A refusal's own record (access.refused) is the one write a refused request makes, on purpose.
    const rows = await sql<Record<string, unknown>>`select * from ${sql.table(table)}${
      table === 'audit_log' ? sql` where action <> 'access.refused'` : sql``
    }`.execute(ctx.db);
    const lines = rows.rows.map((r) => JSON.stringify(r, Object.keys(r).sort())).sort();
    out[table] = createHash('sha256').update(lines.join('\n')).digest('hex').slice(0, 16);
  }
  return out;
}

/** The tables whose contents differ between two fingerprints. */
export function changedTables(before: Record<string, string>, after: Record<string, string>): string[] {
  const names = new Set([...Object.keys(before), ...Object.keys(after)]);
  return [...names].filter((n) => before[n] !== after[n]).sort();
}
