import { appendAudit } from '../../db/repositories/audit.repository.js';
import {
  findSessionByHash,
  findUser,
  findUserByEmail,
  insertSession,
  recordLoginFailure,
  resetLoginFailures,
  revokeSession,
  touchSession,
} from '../../db/repositories/auth.repository.js';
import {
  findLoginChallengeByHash,
  insertLoginChallenge,
  useLoginChallenge,
} from '../../db/repositories/account-security.repository.js';
import type { DbOrTrx } from '../../db/database.js';
import { toDbInstant } from '../../db/instant.js';
import type { UserRow } from '../../db/tables/auth.table.js';
import { DomainError } from '../../domain/shared/domain-error.js';
import type { Principal, Role } from '../../domain/shared/roles.js';
import type { AppContext } from '../app-context.js';
import { dummyPasswordHash, generateSecret, hashSecret, verifyPassword } from './secrets.js';
import { recordSecondFactorFailure, totpEnrolmentRequired, useSecondFactor } from './totp.js';
import { toUserView, type UserView } from './users.js';

import { LOCK_MINUTES, MAX_FAILED_LOGINS } from './lockout.js';
export { LOCK_MINUTES, MAX_FAILED_LOGINS };

export interface LoginResult {
  /** Goes into the HttpOnly cookie; the database keeps only its hash. */
  sessionToken: string;
  /** Sent back by the browser in X-CSRF-Token on every state-changing request. */
  csrfToken: string;
  user: UserView;
  expiresAt: string;
  /** Staff without TOTP while BALLOU_TOTP_REQUIRED_FOR_STAFF is on: only the account page works. */
  totpEnrolmentRequired: boolean;
}

/** The password was right and the account has TOTP: send the challenge back with a code. */
export interface TotpChallenge {
  totpRequired: true;
  challenge: string;
  expiresAt: string;
}

/** How long the second login step may take. */
export const CHALLENGE_MINUTES = 5;

const BAD_LOGIN = 'wrong e-mail or password';

/**
 * Checks e-mail and password and opens a new server-side session (a fresh token on every login,
 * ASVS 3.2.1). Unknown e-mail, wrong password, locked and disabled accounts all answer the same.
 */
export async function login(
  ctx: AppContext,
  input: { email: string; password: string; requestId?: string },
): Promise<LoginResult | TotpChallenge> {
  const email = input.email.trim().toLowerCase();
  const nowMs = ctx.clock.now();
  const user = await findUserByEmail(ctx.db, email);
  const ok = await verifyPassword(user?.password_hash ?? (await dummyPasswordHash()), input.password);
  const locked = user?.locked_until ? Date.parse(user.locked_until) > nowMs : false;
  const actor = { type: 'user', id: user?.id ?? null, name: email };
  if (!user || !ok || locked || user.disabled_at) {
    await ctx.db.transaction().execute(async (trx) => {
      if (user && !ok) {
        const failures = user.failed_logins + 1;
        const lockUntil =
          failures >= MAX_FAILED_LOGINS ? toDbInstant(nowMs + LOCK_MINUTES * 60_000) : user.locked_until;
        await recordLoginFailure(trx, user.id, lockUntil);
      }
      await appendAudit(trx, {
        atMs: nowMs,
        actor,
        action: 'auth.login_failed',
        entityType: 'user',
        entityId: user?.id ?? null,
        data: { reason: !user ? 'unknown_user' : !ok ? 'bad_password' : locked ? 'locked' : 'disabled' },
        requestId: input.requestId ?? null,
      });
    });
    throw new DomainError('UNAUTHENTICATED', BAD_LOGIN);
  }
  if (user.totp_secret) {
    // Password right, second factor due: a short-lived challenge, no session yet. Failures are not
    // reset here, or re-entering the password would buy unlimited guesses at the code.
    const challenge = generateSecret('blc');
    const expiresAt = toDbInstant(nowMs + CHALLENGE_MINUTES * 60_000);
    await ctx.db.transaction().execute(async (trx) => {
      await insertLoginChallenge(trx, {
        id: ctx.newId(),
        token_hash: hashSecret(challenge),
        user_id: user.id,
        created_at: toDbInstant(nowMs),
        expires_at: expiresAt,
        used_at: null,
      });
      await appendAudit(trx, {
        atMs: nowMs,
        actor,
        action: 'auth.login_totp_due',
        entityType: 'user',
        entityId: user.id,
        customerId: user.customer_id,
        requestId: input.requestId ?? null,
      });
    });
    return { totpRequired: true, challenge, expiresAt };
  }
  return ctx.db
    .transaction()
    .execute((trx) => openSession(trx, ctx, user, nowMs, { requestId: input.requestId, factor: 'password' }));
}

/** The second login step: the challenge from `login` and a TOTP or recovery code. */
export async function loginWithTotp(
  ctx: AppContext,
  input: { challenge: string; code: string; requestId?: string },
): Promise<LoginResult> {
  const nowMs = ctx.clock.now();
  const row = await findLoginChallengeByHash(ctx.db, hashSecret(input.challenge));
  const user = row ? await findUser(ctx.db, row.user_id) : undefined;
  const usable = row && !row.used_at && Date.parse(row.expires_at) > nowMs;
  const locked = user?.locked_until ? Date.parse(user.locked_until) > nowMs : false;
  const actor = { type: 'user', id: user?.id ?? null, name: user?.email ?? null };
  const result = await ctx.db.transaction().execute(async (trx) => {
    const refuse = async (reason: string) => {
      await appendAudit(trx, {
        atMs: nowMs,
        actor,
        action: 'auth.login_failed',
        entityType: 'user',
        entityId: user?.id ?? null,
        data: { reason },
        requestId: input.requestId ?? null,
      });
      return reason;
    };
    if (!usable || !user || !user.totp_secret) return refuse('bad_challenge');
    if (locked || user.disabled_at) return refuse(locked ? 'locked' : 'disabled');
    const factor = await useSecondFactor(trx, ctx, user, input.code, nowMs);
    if (!factor) {
      await recordSecondFactorFailure(trx, user, nowMs);
      return refuse('bad_code');
    }
    if (!(await useLoginChallenge(trx, row.id, toDbInstant(nowMs)))) return refuse('bad_challenge');
    return openSession(trx, ctx, user, nowMs, { requestId: input.requestId, factor });
  });
  if (typeof result === 'string')
    throw new DomainError(
      'UNAUTHENTICATED',
      result === 'bad_code' ? 'wrong code' : 'the login has expired or is not valid; log in again',
    );
  return result;
}

/** A new session for a user who passed every factor (a fresh token every time, ASVS 3.2.1). */
async function openSession(
  trx: DbOrTrx,
  ctx: AppContext,
  user: UserRow,
  nowMs: number,
  how: { requestId: string | undefined; factor: string },
): Promise<LoginResult> {
  const sessionToken = generateSecret('bss');
  const csrfToken = generateSecret('csrf');
  const expiresAt = toDbInstant(nowMs + ctx.config.sessionAbsoluteHours * 3_600_000);
  await resetLoginFailures(trx, user.id);
  await insertSession(trx, {
    id: ctx.newId(),
    token_hash: hashSecret(sessionToken),
    user_id: user.id,
    csrf_token: csrfToken,
    created_at: toDbInstant(nowMs),
    last_seen_at: toDbInstant(nowMs),
    expires_at: expiresAt,
    revoked_at: null,
  });
  await appendAudit(trx, {
    atMs: nowMs,
    actor: { type: 'user', id: user.id, name: user.email },
    action: 'auth.login',
    entityType: 'user',
    entityId: user.id,
    customerId: user.customer_id,
    data: { factor: how.factor },
    requestId: how.requestId ?? null,
  });
  return {
    sessionToken,
    csrfToken,
    user: toUserView(user),
    expiresAt,
    totpEnrolmentRequired: totpEnrolmentRequired(ctx, user),
  };
}

export interface SessionPrincipal {
  principal: Principal;
  sessionId: string;
  csrfToken: string;
  totpEnrolmentRequired: boolean;
}

/** The principal of a session cookie, or undefined when unknown, revoked, idle too long or expired. */
export async function authenticateSession(
  ctx: AppContext,
  sessionToken: string,
): Promise<SessionPrincipal | undefined> {
  const session = await findSessionByHash(ctx.db, hashSecret(sessionToken));
  if (!session || session.revoked_at) return undefined;
  const nowMs = ctx.clock.now();
  if (Date.parse(session.expires_at) <= nowMs) return undefined;
  if (Date.parse(session.last_seen_at) + ctx.config.sessionIdleMinutes * 60_000 <= nowMs) return undefined;
  const user = await findUser(ctx.db, session.user_id);
  if (!user || user.disabled_at) return undefined;
  if (Date.parse(session.last_seen_at) < nowMs - 30_000)
    await touchSession(ctx.db, session.id, toDbInstant(nowMs));
  return {
    principal: {
      kind: 'user',
      id: user.id,
      role: user.role as Role,
      customerId: user.customer_id,
      // What timelines, notices and the audit log show as who did it (the id is recorded beside it).
      name: user.name.trim() || user.email,
      email: user.email,
      engineerId: user.engineer_id,
    },
    sessionId: session.id,
    csrfToken: session.csrf_token,
    totpEnrolmentRequired: totpEnrolmentRequired(ctx, user),
  };
}

/** Ends a session on the server (ASVS 3.3.1): the cookie is worthless afterwards. */
export async function logout(ctx: AppContext, principal: Principal, sessionId: string): Promise<void> {
  const nowMs = ctx.clock.now();
  await ctx.db.transaction().execute(async (trx) => {
    await revokeSession(trx, sessionId, toDbInstant(nowMs));
    await appendAudit(trx, {
      atMs: nowMs,
      actor: { type: 'user', id: principal.id, name: principal.name },
      action: 'auth.logout',
      entityType: 'user',
      entityId: principal.id,
    });
  });
}
