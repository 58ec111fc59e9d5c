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

export interface IncidentEventsTable {
  id: string;
  incident_id: string;
  seq: number;
  type: string;
  at: string;
  actor_type: string;
  actor_id: string | null;
  data: string;
  created_at: string;
}

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
