import { sql, type Kysely } from 'kysely';
import { isPostgres } from './migration-helpers.js';

/*
 * The month-end run (issue 10, ADR 0024) inserts a batch's invoice lines in one statement. On PostgreSQL
 * the row trigger invoice_lines_issued_immutable ran a plpgsql call and a lookup of the invoice for each
 * inserted line, about a third of the 8 s PostgreSQL spent on the lines of a 10 000-customer month. The
 * insert check now runs once per statement over the inserted rows (a transition table), after them and
 * before the statement completes, so a line added to an issued invoice still fails its whole statement.
 * Updates and deletes keep the row trigger. SQLite's triggers are unchanged (in-process, per row is cheap).
 * Frozen: never edit, add a new migration.
 */

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Db = Kysely<any>;

export async function up(db: Db): Promise<void> {
  if (!isPostgres(db)) return;
  const message = 'an issued invoice is immutable; correct it with a credit note';
  await sql`drop trigger invoice_lines_issued_immutable on invoice_lines`.execute(db);
  await sql`create trigger invoice_lines_issued_immutable before update or delete on invoice_lines
    for each row execute function invoice_lines_issued_immutable()`.execute(db);
  await sql`create function invoice_lines_insert_issued_immutable() returns trigger language plpgsql as $$
    begin
      if exists (select 1 from inserted_lines l join invoices i on i.id = l.invoice_id where i.status = 'issued') then
        raise exception '${sql.raw(message)}';
      end if;
      return null;
    end $$`.execute(db);
  await sql`create trigger invoice_lines_insert_issued_immutable after insert on invoice_lines
    referencing new table as inserted_lines
    for each statement execute function invoice_lines_insert_issued_immutable()`.execute(db);
}
