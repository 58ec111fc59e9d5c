import { sql, type Kysely } from 'kysely';
import { isPostgres } from './migration-helpers.js';

/*
 * The initial data model (SPEC.md): one schema for SQLite and PostgreSQL. Portable column types only:
 * ids are text (UUIDs made by the application), instants are ISO-8601 UTC text with milliseconds
 * (`2026-12-01T18:10:00.000Z`, so text order is time order), dates are `YYYY-MM-DD` text, money is
 * integer öre, booleans are integer 0/1 on both engines. Frozen: never edit, add a new migration.
 */

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Db = Kysely<any>;

export async function up(db: Db): Promise<void> {
  const pg = isPostgres(db);
  const serial = pg ? 'bigserial' : 'integer';

  // Facts about this installation, e.g. whether the demo data was loaded or declined on the first start.
  await db.schema
    .createTable('system_state')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('value', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('customers')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('org_number', 'text', (c) => c.notNull())
    .addColumn('vat_number', 'text')
    .addColumn('address_street', 'text')
    .addColumn('address_postal_code', 'text')
    .addColumn('address_city', 'text')
    .addColumn('address_country', 'text')
    .addColumn('invoice_email', 'text')
    .addColumn('agreement_start', 'text', (c) => c.notNull())
    .addColumn('agreement_end', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('customers_org_number_uq')
    .on('customers')
    .column('org_number')
    .unique()
    .execute();

  // Tier history: the tier valid on a date is the row with valid_from <= date < valid_to.
  await db.schema
    .createTable('customer_tiers')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('customer_id', 'text', (c) => c.notNull().references('customers.id').onDelete('cascade'))
    .addColumn('tier', 'text', (c) => c.notNull().check(sql`tier in ('hog', 'incident', 'none')`))
    .addColumn('valid_from', 'text', (c) => c.notNull())
    .addColumn('valid_to', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('customer_tiers_customer_from_uq')
    .on('customer_tiers')
    .columns(['customer_id', 'valid_from'])
    .unique()
    .execute();

  await db.schema
    .createTable('contacts')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('customer_id', 'text', (c) => c.notNull().references('customers.id').onDelete('cascade'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('phone', 'text', (c) => c.notNull())
    .addColumn('email', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  // A phone number identifies one caller: it may not belong to two customers' contacts.
  await db.schema.createIndex('contacts_phone_uq').on('contacts').column('phone').unique().execute();
  await db.schema.createIndex('contacts_customer_idx').on('contacts').column('customer_id').execute();

  await db.schema
    .createTable('servers')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('customer_id', 'text', (c) => c.notNull().references('customers.id').onDelete('cascade'))
    .addColumn('hostname', 'text', (c) => c.notNull())
    .addColumn('ssh_host', 'text')
    .addColumn('ssh_port', 'integer')
    .addColumn('ssh_user', 'text')
    .addColumn('ssh_host_key', 'text')
    .addColumn('critical_data', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('servers_hostname_uq').on('servers').column('hostname').unique().execute();
  await db.schema.createIndex('servers_customer_idx').on('servers').column('customer_id').execute();

  // The customer's own on-call person at application level, to whom Ballou hands over (SPEC.md 5.5).
  await db.schema
    .createTable('app_oncall_contacts')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('customer_id', 'text', (c) => c.notNull().references('customers.id').onDelete('cascade'))
    .addColumn('server_id', 'text', (c) => c.references('servers.id').onDelete('cascade'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('phone', 'text')
    .addColumn('email', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('app_oncall_customer_idx')
    .on('app_oncall_contacts')
    .column('customer_id')
    .execute();

  await db.schema
    .createTable('engineers')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('phone', 'text', (c) => c.notNull())
    .addColumn('email', 'text', (c) => c.notNull())
    .addColumn('is_manager', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('active', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('notify_channel', 'text', (c) => c.notNull().defaultTo('sms'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('engineers_email_uq').on('engineers').column('email').unique().execute();

  await db.schema
    .createTable('users')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('email', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('password_hash', 'text', (c) => c.notNull())
    .addColumn('role', 'text', (c) =>
      c.notNull().check(sql`role in ('admin', 'manager', 'engineer', 'billing', 'customer')`),
    )
    .addColumn('customer_id', 'text', (c) => c.references('customers.id').onDelete('cascade'))
    .addColumn('engineer_id', 'text', (c) => c.references('engineers.id').onDelete('set null'))
    .addColumn('totp_secret', 'text')
    .addColumn('failed_logins', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('locked_until', 'text')
    .addColumn('disabled_at', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addCheckConstraint('users_customer_role', sql`(role = 'customer') = (customer_id is not null)`)
    .execute();
  await db.schema.createIndex('users_email_uq').on('users').column('email').unique().execute();

  // Server-side sessions: the cookie holds a random token, the table its SHA-256 (a stolen DB gives no session).
  await db.schema
    .createTable('sessions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('token_hash', 'text', (c) => c.notNull())
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('csrf_token', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('last_seen_at', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .addColumn('revoked_at', 'text')
    .execute();
  await db.schema
    .createIndex('sessions_token_hash_uq')
    .on('sessions')
    .column('token_hash')
    .unique()
    .execute();

  await db.schema
    .createTable('api_tokens')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('token_hash', 'text', (c) => c.notNull())
    .addColumn('role', 'text', (c) =>
      c.notNull().check(sql`role in ('admin', 'manager', 'engineer', 'billing', 'customer')`),
    )
    .addColumn('customer_id', 'text', (c) => c.references('customers.id').onDelete('cascade'))
    .addColumn('created_by', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('last_used_at', 'text')
    .addColumn('revoked_at', 'text')
    .addCheckConstraint('api_tokens_customer_role', sql`(role = 'customer') = (customer_id is not null)`)
    .execute();
  await db.schema.createIndex('api_tokens_hash_uq').on('api_tokens').column('token_hash').unique().execute();

  // Monitoring integrations (Alertmanager, PagerDuty, generic): their token authenticates webhooks.
  await db.schema
    .createTable('integrations')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('kind', 'text', (c) =>
      c.notNull().check(sql`kind in ('alertmanager', 'pagerduty', 'generic')`),
    )
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('customer_id', 'text', (c) => c.references('customers.id').onDelete('cascade'))
    .addColumn('token_hash', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('revoked_at', 'text')
    .execute();
  await db.schema
    .createIndex('integrations_hash_uq')
    .on('integrations')
    .column('token_hash')
    .unique()
    .execute();

  await db.schema
    .createTable('rotations')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text')
    .addColumn('role', 'text', (c) => c.notNull().check(sql`role in ('primary', 'secondary')`))
    .addColumn('start_at', 'text', (c) => c.notNull())
    .addColumn('shift_hours', 'integer', (c) => c.notNull())
    .addColumn('handover', 'text')
    .addColumn('end_at', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('rotation_members')
    .addColumn('rotation_id', 'text', (c) => c.notNull().references('rotations.id').onDelete('cascade'))
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('engineer_id', 'text', (c) => c.notNull().references('engineers.id'))
    .addPrimaryKeyConstraint('rotation_members_pk', ['rotation_id', 'position'])
    .execute();

  await db.schema
    .createTable('overrides')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('role', 'text', (c) => c.notNull().check(sql`role in ('primary', 'secondary')`))
    .addColumn('engineer_id', 'text', (c) => c.notNull().references('engineers.id'))
    .addColumn('start_at', 'text', (c) => c.notNull())
    .addColumn('end_at', 'text', (c) => c.notNull())
    .addColumn('reason', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('overrides_range_idx')
    .on('overrides')
    .columns(['start_at', 'end_at'])
    .execute();

  await db.schema
    .createTable('unavailability')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('engineer_id', 'text', (c) => c.notNull().references('engineers.id').onDelete('cascade'))
    .addColumn('start_at', 'text', (c) => c.notNull())
    .addColumn('end_at', 'text', (c) => c.notNull())
    .addColumn('note', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();

  // Secret-token calendar feeds for phones (a session cookie does not reach a phone's calendar app).
  await db.schema
    .createTable('calendar_feed_tokens')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('engineer_id', 'text', (c) => c.references('engineers.id').onDelete('cascade'))
    .addColumn('token_hash', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('revoked_at', 'text')
    .execute();
  await db.schema
    .createIndex('calendar_feed_tokens_hash_uq')
    .on('calendar_feed_tokens')
    .column('token_hash')
    .unique()
    .execute();

  // Service-level targets with dates of validity (SPEC.md 3: configuration, not code).
  await db.schema
    .createTable('sla_policies')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('tier', 'text', (c) => c.notNull().check(sql`tier in ('hog', 'incident', 'none')`))
    .addColumn('valid_from', 'text', (c) => c.notNull())
    .addColumn('valid_to', 'text')
    .addColumn('response_minutes', 'integer', (c) => c.notNull())
    .addColumn('action_minutes', 'integer', (c) => c.notNull())
    .addColumn('office_response_minutes', 'integer', (c) => c.notNull())
    .addColumn('office_action_minutes', 'integer', (c) => c.notNull())
    .addColumn('priority', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();

  // Tariff versions: prices valid from a date (inclusive) to a date (exclusive).
  await db.schema
    .createTable('tariffs')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('valid_from', 'text', (c) => c.notNull())
    .addColumn('valid_to', 'text')
    .addColumn('included_minutes', 'integer', (c) => c.notNull())
    .addColumn('weekend_factor_percent', 'integer', (c) => c.notNull())
    .addColumn('on_account_rate_ore', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('tariff_tier_prices')
    .addColumn('tariff_id', 'text', (c) => c.notNull().references('tariffs.id').onDelete('cascade'))
    .addColumn('tier', 'text', (c) => c.notNull().check(sql`tier in ('hog', 'incident', 'none')`))
    .addColumn('monthly_fee_ore', 'integer', (c) => c.notNull())
    .addColumn('start_fee_ore', 'integer', (c) => c.notNull())
    .addColumn('hourly_rate_ore', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('tariff_tier_prices_pk', ['tariff_id', 'tier'])
    .execute();

  // Extra closed days ("klämdagar") on top of the holiday rules.
  await db.schema
    .createTable('closed_days')
    .addColumn('date', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('incidents')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('ref', 'text', (c) => c.notNull())
    .addColumn('customer_id', 'text', (c) => c.references('customers.id'))
    .addColumn('server_id', 'text', (c) => c.references('servers.id'))
    .addColumn('contact_id', 'text', (c) => c.references('contacts.id'))
    .addColumn('summary', 'text', (c) => c.notNull())
    .addColumn('channel', 'text', (c) => c.notNull())
    .addColumn('caller_number', 'text')
    .addColumn('unknown_caller', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('tier', 'text', (c) => c.notNull().check(sql`tier in ('hog', 'incident', 'none')`))
    .addColumn('callout', 'integer', (c) => c.notNull())
    .addColumn('dedup_key', 'text')
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('reported_at', 'text', (c) => c.notNull())
    .addColumn('response_due', 'text')
    .addColumn('action_due', 'text')
    .addColumn('closed_at', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('incidents_ref_uq').on('incidents').column('ref').unique().execute();
  await db.schema
    .createIndex('incidents_state_idx')
    .on('incidents')
    .columns(['state', 'reported_at'])
    .execute();
  await db.schema
    .createIndex('incidents_customer_idx')
    .on('incidents')
    .columns(['customer_id', 'reported_at'])
    .execute();
  await db.schema.createIndex('incidents_dedup_idx').on('incidents').column('dedup_key').execute();

  // The timeline: every step with actor and time; the incident's state is derived from it.
  await db.schema
    .createTable('incident_events')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('incident_id', 'text', (c) => c.notNull().references('incidents.id'))
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('actor_type', 'text', (c) => c.notNull())
    .addColumn('actor_id', 'text')
    .addColumn('data', 'text', (c) => c.notNull().defaultTo('{}'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('incident_events_seq_uq')
    .on('incident_events')
    .columns(['incident_id', 'seq'])
    .unique()
    .execute();

  await db.schema
    .createTable('work_entries')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('incident_id', 'text', (c) => c.references('incidents.id'))
    .addColumn('engineer_id', 'text', (c) => c.notNull().references('engineers.id'))
    .addColumn('start_at', 'text', (c) => c.notNull())
    .addColumn('end_at', 'text', (c) => c.notNull())
    .addColumn('within_responsibility', 'integer', (c) => c.notNull())
    .addColumn('note', 'text')
    .addColumn('source', 'text', (c) => c.notNull().defaultTo('manual'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('work_entries_incident_idx')
    .on('work_entries')
    .columns(['incident_id', 'start_at'])
    .execute();

  // Pre-authorized actions (SPEC.md 7). The command text lives only here, from configuration.
  await db.schema
    .createTable('action_catalogue')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('title_sv', 'text', (c) => c.notNull())
    .addColumn('title_en', 'text', (c) => c.notNull())
    .addColumn('command', 'text', (c) => c.notNull())
    .addColumn('check_command', 'text')
    .addColumn('timeout_seconds', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('action_authorizations')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('server_id', 'text', (c) => c.notNull().references('servers.id').onDelete('cascade'))
    .addColumn('action_key', 'text', (c) => c.notNull().references('action_catalogue.key'))
    .addColumn('manual', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('automatic', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('alert_names', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('max_runs_per_day', 'integer')
    .addColumn('notify_customer', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('within_responsibility', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('revoked_at', 'text')
    .execute();

  await db.schema
    .createTable('action_runs')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('incident_id', 'text', (c) => c.references('incidents.id'))
    .addColumn('server_id', 'text', (c) => c.notNull().references('servers.id'))
    .addColumn('action_key', 'text', (c) => c.notNull().references('action_catalogue.key'))
    .addColumn('authorization_id', 'text', (c) => c.references('action_authorizations.id'))
    .addColumn('trigger_type', 'text', (c) => c.notNull())
    .addColumn('trigger_key', 'text', (c) => c.notNull())
    .addColumn('triggered_by', 'text')
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('command', 'text', (c) => c.notNull())
    .addColumn('host_key_fingerprint', 'text')
    .addColumn('exit_code', 'integer')
    .addColumn('output', 'text')
    .addColumn('check_output', 'text')
    .addColumn('started_at', 'text')
    .addColumn('finished_at', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  // "A run never happens twice for one trigger."
  await db.schema
    .createIndex('action_runs_trigger_uq')
    .on('action_runs')
    .column('trigger_key')
    .unique()
    .execute();

  // Webhook idempotency: a provider's retry of the same event finds its row and gets the same answer.
  await db.schema
    .createTable('inbound_events')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('dedupe_key', 'text', (c) => c.notNull())
    .addColumn('response', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('inbound_events_source_key_uq')
    .on('inbound_events')
    .columns(['source', 'dedupe_key'])
    .unique()
    .execute();

  // Durable timers and outbox: written in the same transaction as the change that needs them, claimed
  // by a worker with a lease (FOR UPDATE SKIP LOCKED on PostgreSQL), so each runs once per node set.
  await db.schema
    .createTable('jobs')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('payload', 'text', (c) => c.notNull().defaultTo('{}'))
    .addColumn('dedupe_key', 'text')
    .addColumn('status', 'text', (c) =>
      c.notNull().check(sql`status in ('pending', 'running', 'done', 'failed', 'cancelled')`),
    )
    .addColumn('due_at', 'text', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('max_attempts', 'integer', (c) => c.notNull().defaultTo(10))
    .addColumn('lease_until', 'text')
    .addColumn('locked_by', 'text')
    .addColumn('last_error', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('jobs_dedupe_key_uq').on('jobs').column('dedupe_key').unique().execute();
  await db.schema.createIndex('jobs_due_idx').on('jobs').columns(['status', 'due_at']).execute();

  // Every page / message attempt: attempt recorded before the provider call, outcome after.
  await db.schema
    .createTable('notifications')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('job_id', 'text', (c) => c.references('jobs.id'))
    .addColumn('incident_id', 'text', (c) => c.references('incidents.id'))
    .addColumn('engineer_id', 'text', (c) => c.references('engineers.id'))
    .addColumn('channel', 'text', (c) => c.notNull())
    .addColumn('provider', 'text')
    .addColumn('recipient', 'text', (c) => c.notNull())
    .addColumn('subject', 'text')
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('provider_message_id', 'text')
    .addColumn('error', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('sent_at', 'text')
    .addColumn('confirmed_at', 'text')
    .execute();
  await db.schema
    .createIndex('notifications_incident_idx')
    .on('notifications')
    .column('incident_id')
    .execute();

  // Operations services (SPEC.md 8): recurring tasks per server, in contract (not billed) or on account.
  await db.schema
    .createTable('operations_tasks')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('server_id', 'text', (c) => c.notNull().references('servers.id').onDelete('cascade'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('in_contract', 'integer', (c) => c.notNull())
    .addColumn('interval_days', 'integer')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('archived_at', 'text')
    .execute();
  await db.schema
    .createTable('operations_work')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('task_id', 'text', (c) => c.notNull().references('operations_tasks.id'))
    .addColumn('engineer_id', 'text', (c) => c.notNull().references('engineers.id'))
    .addColumn('start_at', 'text', (c) => c.notNull())
    .addColumn('end_at', 'text', (c) => c.notNull())
    .addColumn('note', 'text')
    .addColumn('invoice_line_id', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();

  // Gap-free invoice numbers: one row per series, incremented inside the issuing transaction.
  await db.schema
    .createTable('number_sequences')
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('next_value', 'integer', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('invoice_runs')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('month', 'text', (c) => c.notNull())
    .addColumn('started_by', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('invoice_runs_month_uq').on('invoice_runs').column('month').unique().execute();

  await db.schema
    .createTable('invoices')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('number', 'text')
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('invoice', 'credit_note')`))
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('draft', 'issued')`))
    .addColumn('run_id', 'text', (c) => c.references('invoice_runs.id'))
    .addColumn('customer_id', 'text', (c) => c.notNull().references('customers.id'))
    .addColumn('month', 'text', (c) => c.notNull())
    .addColumn('credits_invoice_id', 'text', (c) => c.references('invoices.id'))
    .addColumn('issue_date', 'text')
    .addColumn('due_date', 'text')
    .addColumn('net_ore', 'integer', (c) => c.notNull())
    .addColumn('vat_ore', 'integer', (c) => c.notNull())
    .addColumn('rounding_ore', 'integer', (c) => c.notNull())
    .addColumn('total_ore', 'integer', (c) => c.notNull())
    .addColumn('seller', 'text', (c) => c.notNull())
    .addColumn('buyer', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('invoices_number_uq').on('invoices').column('number').unique().execute();
  await db.schema
    .createIndex('invoices_customer_month_idx')
    .on('invoices')
    .columns(['customer_id', 'month'])
    .execute();

  await db.schema
    .createTable('invoice_lines')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('invoice_id', 'text', (c) => c.notNull().references('invoices.id'))
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull())
    .addColumn('incident_id', 'text', (c) => c.references('incidents.id'))
    .addColumn('service_date', 'text')
    .addColumn('quantity_milli', 'integer', (c) => c.notNull())
    .addColumn('unit', 'text', (c) => c.notNull())
    .addColumn('unit_price_ore', 'integer', (c) => c.notNull())
    .addColumn('factor_percent', 'integer', (c) => c.notNull().defaultTo(100))
    .addColumn('amount_ore', 'integer', (c) => c.notNull())
    .addColumn('vat_percent', 'integer', (c) => c.notNull())
    .addColumn('account', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('invoice_lines_position_uq')
    .on('invoice_lines')
    .columns(['invoice_id', 'position'])
    .unique()
    .execute();
  // An incident's start fee and blocks go on one invoice only.
  await db.schema
    .createIndex('invoice_lines_incident_idx')
    .on('invoice_lines')
    .column('incident_id')
    .execute();

  // Append-only audit log: who did what, written in the same transaction as the change it records.
  await db.schema
    .createTable('audit_log')
    .addColumn('seq', serial, (c) => (pg ? c.primaryKey() : c.primaryKey().autoIncrement()))
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('actor_type', 'text', (c) => c.notNull())
    .addColumn('actor_id', 'text')
    .addColumn('actor_name', 'text')
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('entity_type', 'text', (c) => c.notNull())
    .addColumn('entity_id', 'text')
    .addColumn('customer_id', 'text')
    .addColumn('data', 'text', (c) => c.notNull().defaultTo('{}'))
    .addColumn('request_id', 'text')
    .execute();
  await db.schema
    .createIndex('audit_log_entity_idx')
    .on('audit_log')
    .columns(['entity_type', 'entity_id'])
    .execute();

  if (pg) {
    await sql`create function audit_log_append_only() returns trigger language plpgsql as $$
      begin raise exception 'audit_log is append-only'; end $$`.execute(db);
    await sql`create trigger audit_log_no_update before update or delete on audit_log
      for each row execute function audit_log_append_only()`.execute(db);
    await sql`create trigger audit_log_no_truncate before truncate on audit_log
      for each statement execute function audit_log_append_only()`.execute(db);
  } else {
    await sql`create trigger audit_log_no_update before update on audit_log
      begin select raise(abort, 'audit_log is append-only'); end`.execute(db);
    await sql`create trigger audit_log_no_delete before delete on audit_log
      begin select raise(abort, 'audit_log is append-only'); end`.execute(db);
  }
}

export async function down(): Promise<void> {
  throw new Error('The initial schema is not reversible; restore a backup instead.');
}
