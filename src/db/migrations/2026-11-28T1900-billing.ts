import { sql, type Kysely } from 'kysely';
import { isPostgres } from './migration-helpers.js';

/*
 * Month-end billing: one invoice per customer and month (partial unique index), each incident invoiced
 * once (invoiced_incidents), credit-note lines pointing at the line they credit, prorated fees as a
 * quantity per base quantity (days of the month), and issued invoices made immutable by triggers:
 * an issued invoice and its lines can be neither changed nor deleted, nor can lines be added to it.
 * Frozen: never edit, add a new migration.
 */

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Db = Kysely<any>;

export async function up(db: Db): Promise<void> {
  const pg = isPostgres(db);
  await db.schema.alterTable('invoices').addColumn('reason', 'text').execute();
  await db.schema.alterTable('invoice_lines').addColumn('incident_ref', 'text').execute();
  await db.schema
    .alterTable('invoice_lines')
    .addColumn('base_quantity', 'integer', (c) => c.notNull().defaultTo(1))
    .execute();
  await db.schema
    .alterTable('invoice_lines')
    .addColumn('credits_line_id', 'text', (c) => c.references('invoice_lines.id'))
    .execute();
  await sql`create unique index invoices_one_per_customer_month_uq on invoices (customer_id, month) where kind = 'invoice'`.execute(
    db,
  );
  await db.schema.createIndex('invoices_credits_idx').on('invoices').column('credits_invoice_id').execute();
  await db.schema.createIndex('invoices_month_idx').on('invoices').columns(['month', 'number']).execute();

  // "An incident is invoiced once": the primary key says so, whatever races past the run's checks.
  await db.schema
    .createTable('invoiced_incidents')
    .addColumn('incident_id', 'text', (c) => c.primaryKey().references('incidents.id'))
    .addColumn('invoice_id', 'text', (c) => c.notNull().references('invoices.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createIndex('operations_tasks_server_idx')
    .on('operations_tasks')
    .column('server_id')
    .execute();
  await db.schema
    .createIndex('operations_work_task_idx')
    .on('operations_work')
    .columns(['task_id', 'start_at'])
    .execute();

  const message = 'an issued invoice is immutable; correct it with a credit note';
  if (pg) {
    await sql`create function invoices_issued_immutable() returns trigger language plpgsql as $$
      begin
        if OLD.status = 'issued' then raise exception '${sql.raw(message)}'; end if;
        if TG_OP = 'DELETE' then return OLD; end if;
        return NEW;
      end $$`.execute(db);
    await sql`create trigger invoices_issued_immutable before update or delete on invoices
      for each row execute function invoices_issued_immutable()`.execute(db);
    await sql`create function invoice_lines_issued_immutable() returns trigger language plpgsql as $$
      begin
        if TG_OP <> 'INSERT' and exists (select 1 from invoices where id = OLD.invoice_id and status = 'issued') then
          raise exception '${sql.raw(message)}';
        end if;
        if TG_OP <> 'DELETE' and exists (select 1 from invoices where id = NEW.invoice_id and status = 'issued') then
          raise exception '${sql.raw(message)}';
        end if;
        if TG_OP = 'DELETE' then return OLD; end if;
        return NEW;
      end $$`.execute(db);
    await sql`create trigger invoice_lines_issued_immutable before insert or update or delete on invoice_lines
      for each row execute function invoice_lines_issued_immutable()`.execute(db);
    await sql`create function invoiced_incidents_append_only() returns trigger language plpgsql as $$
      begin raise exception 'invoiced_incidents is append-only'; end $$`.execute(db);
    await sql`create trigger invoiced_incidents_append_only before update or delete on invoiced_incidents
      for each row execute function invoiced_incidents_append_only()`.execute(db);
  } else {
    const abort = sql.raw(`select raise(abort, '${message}')`);
    await sql`create trigger invoices_issued_no_update before update on invoices
      when old.status = 'issued' begin ${abort}; end`.execute(db);
    await sql`create trigger invoices_issued_no_delete before delete on invoices
      when old.status = 'issued' begin ${abort}; end`.execute(db);
    for (const [event, row] of [
      ['insert', 'new'],
      ['update', 'old'],
      ['delete', 'old'],
    ] as const) {
      await sql`create trigger ${sql.raw(`invoice_lines_issued_no_${event}`)} before ${sql.raw(event)} on invoice_lines
        when (select status from invoices where id = ${sql.raw(row)}.invoice_id) = 'issued' begin ${abort}; end`.execute(
        db,
      );
    }
    await sql`create trigger invoice_lines_issued_no_update_new before update on invoice_lines
      when (select status from invoices where id = new.invoice_id) = 'issued' begin ${abort}; end`.execute(
      db,
    );
    await sql`create trigger invoiced_incidents_no_update before update on invoiced_incidents
      begin select raise(abort, 'invoiced_incidents is append-only'); end`.execute(db);
    await sql`create trigger invoiced_incidents_no_delete before delete on invoiced_incidents
      begin select raise(abort, 'invoiced_incidents is append-only'); end`.execute(db);
  }
}

export async function down(): Promise<void> {
  throw new Error('The billing migration is not reversible; restore a backup instead.');
}
