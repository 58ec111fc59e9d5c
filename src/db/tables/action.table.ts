import type { Selectable } from 'kysely';

export interface ActionCatalogueTable {
  key: string;
  title_sv: string;
  title_en: string;
  command: string;
  check_command: string | null;
  timeout_seconds: number;
  created_at: string;
  /** Set when the configured catalogue no longer has the action: it can be neither authorized nor run. */
  retired_at: string | null;
  updated_at: string | null;
}

export interface ActionAuthorizationsTable {
  id: string;
  server_id: string;
  action_key: string;
  manual: number;
  automatic: number;
  alert_names: string;
  max_runs_per_day: number | null;
  notify_customer: number;
  within_responsibility: number;
  created_at: string;
  revoked_at: string | null;
}

export interface ActionRunsTable {
  id: string;
  incident_id: string | null;
  server_id: string;
  action_key: string;
  authorization_id: string | null;
  trigger_type: string;
  trigger_key: string;
  triggered_by: string | null;
  status: string;
  command: string;
  host_key_fingerprint: string | null;
  exit_code: number | null;
  output: string | null;
  check_output: string | null;
  started_at: string | null;
  finished_at: string | null;
  created_at: string;
  /** Why it was refused, or what went wrong before or around the command. */
  reason: string | null;
  check_exit_code: number | null;
  duration_ms: number | null;
  alert_name: string | null;
  work_entry_id: string | null;
}

export type ActionCatalogueRow = Selectable<ActionCatalogueTable>;
export type ActionAuthorizationRow = Selectable<ActionAuthorizationsTable>;
export type ActionRunRow = Selectable<ActionRunsTable>;
