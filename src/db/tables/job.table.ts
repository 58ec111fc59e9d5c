import type { Selectable } from 'kysely';

export interface JobsTable {
  id: string;
  kind: string;
  payload: string;
  dedupe_key: string | null;
  status: 'pending' | 'running' | 'done' | 'failed' | 'cancelled';
  due_at: string;
  attempts: number;
  max_attempts: number;
  lease_until: string | null;
  locked_by: string | null;
  last_error: string | null;
  created_at: string;
  updated_at: string;
}
export type JobRow = Selectable<JobsTable>;

export interface NotificationsTable {
  id: string;
  job_id: string | null;
  incident_id: string | null;
  engineer_id: string | null;
  channel: string;
  provider: string | null;
  recipient: string;
  subject: string | null;
  body: string;
  status: string;
  provider_message_id: string | null;
  error: string | null;
  created_at: string;
  sent_at: string | null;
  /** When the provider reported the message delivered (SMS) or the call answered. */
  confirmed_at: string | null;
  /** The provider's last report that counts (DeliveryState: sent, delivered, failed, answered, no-answer, busy). */
  delivery_status: string | null;
  /** The provider's time of that report (ours when it gave none). */
  delivery_at: string | null;
  /** The provider's error code or status word with a failure. */
  delivery_error: string | null;
}

export interface InboundEventsTable {
  id: string;
  source: string;
  dedupe_key: string;
  response: string | null;
  created_at: string;
}
