import type { Selectable } from 'kysely';

export interface UsersTable {
  id: string;
  email: string;
  name: string;
  password_hash: string;
  role: string;
  customer_id: string | null;
  engineer_id: string | null;
  totp_secret: string | null;
  totp_pending_secret: string | null;
  totp_enabled_at: string | null;
  totp_last_step: number | null;
  failed_logins: number;
  locked_until: string | null;
  disabled_at: string | null;
  created_at: string;
}
export type UserRow = Selectable<UsersTable>;

export interface SessionsTable {
  id: string;
  token_hash: string;
  user_id: string;
  csrf_token: string;
  created_at: string;
  last_seen_at: string;
  expires_at: string;
  revoked_at: string | null;
}
export type SessionRow = Selectable<SessionsTable>;

export interface ApiTokensTable {
  id: string;
  name: string;
  token_hash: string;
  role: string;
  customer_id: string | null;
  created_by: string | null;
  created_at: string;
  last_used_at: string | null;
  revoked_at: string | null;
}
export type ApiTokenRow = Selectable<ApiTokensTable>;

export interface IntegrationsTable {
  id: string;
  kind: string;
  name: string;
  customer_id: string | null;
  token_hash: string;
  created_at: string;
  revoked_at: string | null;
}

export interface CalendarFeedTokensTable {
  id: string;
  engineer_id: string | null;
  token_hash: string;
  created_at: string;
  revoked_at: string | null;
}

export interface TotpRecoveryCodesTable {
  id: string;
  user_id: string;
  code_hash: string;
  created_at: string;
  used_at: string | null;
}

export interface LoginChallengesTable {
  id: string;
  token_hash: string;
  user_id: string;
  created_at: string;
  expires_at: string;
  used_at: string | null;
}
export type LoginChallengeRow = Selectable<LoginChallengesTable>;

export interface PasswordResetsTable {
  id: string;
  token_hash: string;
  user_id: string;
  created_at: string;
  expires_at: string;
  used_at: string | null;
  invalidated_at: string | null;
}
export type PasswordResetRow = Selectable<PasswordResetsTable>;
