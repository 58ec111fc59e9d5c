import type { Selectable } from 'kysely';

export interface IncidentsTable {
  id: string;
  ref: string;
  customer_id: string | null;
  server_id: string | null;
  contact_id: string | null;
  summary: string;
  channel: string;
  caller_number: string | null;
  unknown_caller: number;
  tier: string;
  callout: number;
  dedup_key: string | null;
  state: string;
  reported_at: string;
  response_due: string | null;
  action_due: string | null;
  closed_at: string | null;
  created_at: string;
  updated_at: string;
}
export type IncidentRow = Selectable<IncidentsTable>;

export interface IncidentEventsTable {
  id: string;
  incident_id: string;
  seq: number;
  type: string;
  at: string;
  actor_type: string;
  actor_id: string | null;
  actor_name: string | null;
  data: string;
  created_at: string;
}
export type IncidentEventRow = Selectable<IncidentEventsTable>;

export interface WorkEntriesTable {
  id: string;
  incident_id: string | null;
  engineer_id: string;
  start_at: string;
  end_at: string;
  within_responsibility: number;
  note: string | null;
  source: string;
  created_at: string;
}
export type WorkEntryRow = Selectable<WorkEntriesTable>;

export interface IncidentAlertsTable {
  id: string;
  incident_id: string;
  source: string;
  fingerprint: string;
  alert_name: string;
  status: 'firing' | 'resolved' | 'acknowledged';
  summary: string | null;
  labels: string;
  starts_at: string | null;
  ends_at: string | null;
  created_at: string;
  updated_at: string;
}
export type IncidentAlertRow = Selectable<IncidentAlertsTable>;

export interface ActionLinksTable {
  id: string;
  kind: 'ack' | 'consent';
  incident_id: string;
  engineer_id: string | null;
  contact_name: string | null;
  token_hash: string;
  expires_at: string;
  used_at: string | null;
  created_at: string;
}
export type ActionLinkRow = Selectable<ActionLinksTable>;
