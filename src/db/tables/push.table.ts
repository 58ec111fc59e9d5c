import type { Selectable } from 'kysely';

/** One browser's push subscription, owned by a user (migration 2026-11-28T1700-web-push). */
export interface PushSubscriptionsTable {
  id: string;
  user_id: string;
  endpoint: string;
  p256dh: string;
  auth: string;
  user_agent: string | null;
  expires_at: string | null;
  created_at: string;
  updated_at: string;
  last_success_at: string | null;
  failing_since: string | null;
  last_error: string | null;
}
export type PushSubscriptionRow = Selectable<PushSubscriptionsTable>;
