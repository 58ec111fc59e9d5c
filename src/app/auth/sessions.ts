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
import { toDbInstant } from '../../db/instant.js';
import { DomainError } from '../../domain/shared/domain-error.js';
import type { Principal, Role } from '../../domain/shared/roles.js';
import type { AppContext } from '../app-context.js';
import { dummyPasswordHash, generateSecret, hashSecret, verifyPassword } from './secrets.js';
import { toUserView, type UserView } from './users.js';

/** After this many failures in a row an account is locked for LOCK_MINUTES (ASVS 2.2.1). */
export const MAX_FAILED_LOGINS = 10;
export const LOCK_MINUTES = 15;

export interface LoginResult {
  /** Goes into the HttpOnly cookie; the database keeps only its hash. */
  sessionToken: string;
  /** Sent back by the browser in X-CSRF-Token on every state-changing request. */
  csrfToken: string;
  user: UserView;
  expiresAt: string;
}

const BAD_LOGIN = 'wrong e-mail or password';

/**
 * Checks e-mail and password and opens a new server-side session (a fresh token on every login,
 * ASVS 3.2.1). Unknown e-mail, wrong password, locked and disabled accounts all answer the same.
 */
export async function login(
  ctx: AppContext,
  input: { email: string; password: string; requestId?: string },
): Promise<LoginResult> {
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
  const sessionToken = generateSecret('bss');
  const csrfToken = generateSecret('csrf');
  const expiresAt = toDbInstant(nowMs + ctx.config.sessionAbsoluteHours * 3_600_000);
  await ctx.db.transaction().execute(async (trx) => {
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
      actor,
      action: 'auth.login',
      entityType: 'user',
      entityId: user.id,
      customerId: user.customer_id,
      requestId: input.requestId ?? null,
    });
  });
  return { sessionToken, csrfToken, user: toUserView(user), expiresAt };
}

export interface SessionPrincipal {
  principal: Principal;
  sessionId: string;
  csrfToken: string;
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
      name: user.email,
      engineerId: user.engineer_id,
    },
    sessionId: session.id,
    csrfToken: session.csrf_token,
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
