import type {
  ActionAuthorizationsTable,
  ActionCatalogueTable,
  ActionRunsTable,
} from './tables/action.table.js';
import type { AuditLogTable } from './tables/audit.table.js';
import type {
  ApiTokensTable,
  CalendarFeedTokensTable,
  IntegrationsTable,
  LoginChallengesTable,
  PasswordResetsTable,
  SessionsTable,
  TotpRecoveryCodesTable,
  UsersTable,
} from './tables/auth.table.js';
import type {
  ClosedDaysTable,
  InvoiceLinesTable,
  InvoicedIncidentsTable,
  InvoiceRunsTable,
  InvoicesTable,
  NumberSequencesTable,
  OperationsTasksTable,
  OperationsWorkTable,
  SlaPoliciesTable,
  TariffTierPricesTable,
  TariffsTable,
} from './tables/billing.table.js';
import type {
  AppOncallContactsTable,
  ContactsTable,
  CustomerTiersTable,
  CustomersTable,
  ServersTable,
} from './tables/customer.table.js';
import type {
  ActionLinksTable,
  IncidentAlertsTable,
  IncidentEventsTable,
  IncidentsTable,
  WorkEntriesTable,
} from './tables/incident.table.js';
import type { InboundEventsTable, JobsTable, NotificationsTable } from './tables/job.table.js';
import type { PushSubscriptionsTable } from './tables/push.table.js';
import type {
  EngineersTable,
  OverridesTable,
  RotationMembersTable,
  RotationsTable,
  ShiftSwapsTable,
  UnavailabilityTable,
} from './tables/roster.table.js';

/** The whole database as Kysely sees it; the migrations are the source of truth. */
export interface SystemStateTable {
  key: string;
  value: string;
  updated_at: string;
}

export interface Database {
  system_state: SystemStateTable;
  customers: CustomersTable;
  customer_tiers: CustomerTiersTable;
  contacts: ContactsTable;
  servers: ServersTable;
  app_oncall_contacts: AppOncallContactsTable;
  engineers: EngineersTable;
  users: UsersTable;
  sessions: SessionsTable;
  login_challenges: LoginChallengesTable;
  totp_recovery_codes: TotpRecoveryCodesTable;
  password_resets: PasswordResetsTable;
  api_tokens: ApiTokensTable;
  integrations: IntegrationsTable;
  calendar_feed_tokens: CalendarFeedTokensTable;
  rotations: RotationsTable;
  rotation_members: RotationMembersTable;
  overrides: OverridesTable;
  unavailability: UnavailabilityTable;
  shift_swaps: ShiftSwapsTable;
  sla_policies: SlaPoliciesTable;
  tariffs: TariffsTable;
  tariff_tier_prices: TariffTierPricesTable;
  closed_days: ClosedDaysTable;
  incidents: IncidentsTable;
  incident_events: IncidentEventsTable;
  work_entries: WorkEntriesTable;
  incident_alerts: IncidentAlertsTable;
  action_links: ActionLinksTable;
  action_catalogue: ActionCatalogueTable;
  action_authorizations: ActionAuthorizationsTable;
  action_runs: ActionRunsTable;
  inbound_events: InboundEventsTable;
  jobs: JobsTable;
  notifications: NotificationsTable;
  push_subscriptions: PushSubscriptionsTable;
  operations_tasks: OperationsTasksTable;
  operations_work: OperationsWorkTable;
  number_sequences: NumberSequencesTable;
  invoice_runs: InvoiceRunsTable;
  invoices: InvoicesTable;
  invoice_lines: InvoiceLinesTable;
  invoiced_incidents: InvoicedIncidentsTable;
  audit_log: AuditLogTable;
}
