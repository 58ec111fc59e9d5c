import { createHash, randomBytes } from 'node:crypto';
import { Secret, TOTP } from 'otpauth';
import type { DbOrTrx } from '../../db/database.js';
import {
  claimTotpStep,
  countUnusedRecoveryCodes,
  disableTotp as clearTotp,
  enableTotp,
  listUnusedRecoveryCodes,
  markRecoveryCodeUsed,
  replaceRecoveryCodes,
  setPendingTotpSecret,
} from '../../db/repositories/account-security.repository.js';
import { appendAudit } from '../../db/repositories/audit.repository.js';
import { findUser, recordLoginFailure } from '../../db/repositories/auth.repository.js';
import { revokeUserSessions } from '../../db/repositories/account-security.repository.js';
import { toDbInstant } from '../../db/instant.js';
import type { UserRow } from '../../db/tables/auth.table.js';
import { formatInstant } from '../../domain/calendar/instant.js';
import { DomainError } from '../../domain/shared/domain-error.js';
import type { Principal, Role } from '../../domain/shared/roles.js';
import { requireRole } from '../access.js';
import type { AppContext } from '../app-context.js';
import { enqueueMessage } from '../messaging/enqueue-message.js';
import { openSecret, sealSecret } from './secret-box.js';
import { secretsEqual, verifyPassword } from './secrets.js';
import { LOCK_MINUTES, MAX_FAILED_LOGINS } from './lockout.js';

/** The roles that may, and with BALLOU_TOTP_REQUIRED_FOR_STAFF must, use a second factor. */
export const TOTP_ROLES: readonly Role[] = ['admin', 'manager', 'engineer', 'billing'];
const PERIOD_SECONDS = 30;
const RECOVERY_CODE_COUNT = 10;
const ISSUER = 'Ballou Server Assistans';

/** True when this user must enrol before using anything but the account page. */
export function totpEnrolmentRequired(ctx: AppContext, user: UserRow): boolean {
  return ctx.config.totpRequiredForStaff && TOTP_ROLES.includes(user.role as Role) && !user.totp_secret;
}

function totpFor(secretBase32: string, label = ''): TOTP {
  return new TOTP({
    issuer: ISSUER,
    label,
    algorithm: 'SHA1',
    digits: 6,
    period: PERIOD_SECONDS,
    secret: Secret.fromBase32(secretBase32),
  });
}

/** The 30-second time step a code belongs to (now ±1 step), or undefined when it is wrong. */
export function totpStepOf(secretBase32: string, code: string, nowMs: number): number | undefined {
  if (!/^\d{6}$/.test(code)) return undefined;
  const delta = totpFor(secretBase32).validate({ token: code, timestamp: nowMs, window: 1 });
  return delta === null ? undefined : Math.floor(nowMs / 1000 / PERIOD_SECONDS) + delta;
}

/** Recovery codes: 60 random bits as xxxx-xxxx-xxxx (no 0/1/8/9 look-alikes: base32). */
function newRecoveryCode(): string {
  const text = Secret.fromHex(randomBytes(8).toString('hex')).base32.slice(0, 12).toLowerCase();
  return `${text.slice(0, 4)}-${text.slice(4, 8)}-${text.slice(8, 12)}`;
}

function normaliseRecoveryCode(code: string): string {
  return code.toLowerCase().replace(/[\s-]/g, '');
}

/** A salted SHA-256 per code (ASVS 2.6.2: under 112 bits of entropy, so salted). */
function hashRecoveryCode(code: string, salt = randomBytes(16).toString('hex')): string {
  const digest = createHash('sha256')
    .update(`${salt}:${normaliseRecoveryCode(code)}`)
    .digest('hex');
  return `${salt}$${digest}`;
}

function recoveryCodeMatches(stored: string, code: string): boolean {
  const salt = stored.split('$')[0] ?? '';
  return secretsEqual(hashRecoveryCode(code, salt), stored);
}

async function issueRecoveryCodes(trx: DbOrTrx, ctx: AppContext, userId: string, nowMs: number) {
  const codes = Array.from({ length: RECOVERY_CODE_COUNT }, newRecoveryCode);
  await replaceRecoveryCodes(
    trx,
    userId,
    codes.map((code) => ({
      id: ctx.newId(),
      code_hash: hashRecoveryCode(code),
      created_at: toDbInstant(nowMs),
    })),
  );
  return codes;
}

/**
 * Checks a second factor inside the caller's transaction: a 6-digit code of a step not used before, or
 * an unused recovery code (used up by this call). Undefined when neither.
 */
export async function useSecondFactor(
  trx: DbOrTrx,
  ctx: AppContext,
  user: UserRow,
  code: string,
  nowMs: number,
): Promise<'totp' | 'recovery' | undefined> {
  const trimmed = code.trim();
  if (!user.totp_secret) return undefined;
  if (/^\d{6}$/.test(trimmed)) {
    const step = totpStepOf(openSecret(ctx.config.totpKey, user.totp_secret), trimmed, nowMs);
    return step !== undefined && (await claimTotpStep(trx, user.id, step)) ? 'totp' : undefined;
  }
  for (const row of await listUnusedRecoveryCodes(trx, user.id)) {
    if (recoveryCodeMatches(row.code_hash, trimmed))
      return (await markRecoveryCodeUsed(trx, row.id, toDbInstant(nowMs))) ? 'recovery' : undefined;
  }
  return undefined;
}

/** A wrong second factor counts like a wrong password: 10 in a row lock the account. */
export async function recordSecondFactorFailure(trx: DbOrTrx, user: UserRow, nowMs: number): Promise<void> {
  const failures = user.failed_logins + 1;
  await recordLoginFailure(
    trx,
    user.id,
    failures >= MAX_FAILED_LOGINS ? toDbInstant(nowMs + LOCK_MINUTES * 60_000) : user.locked_until,
  );
}

async function loginUser(ctx: AppContext, principal: Principal): Promise<UserRow> {
  if (principal.kind !== 'user')
    throw new DomainError('FORBIDDEN', 'two-factor settings belong to a logged-in user, not a token');
  if (!TOTP_ROLES.includes(principal.role))
    throw new DomainError('FORBIDDEN', `two-factor login is for the roles ${TOTP_ROLES.join(', ')}`);
  const user = await findUser(ctx.db, principal.id);
  if (!user) throw new DomainError('USER_NOT_FOUND', 'user not found');
  return user;
}

const actorOf = (user: UserRow) => ({ type: 'user', id: user.id, name: user.email });

/** Tells the owner about a change to their second factor (ASVS 2.2.3), in the change's transaction. */
async function notifyOwner(trx: DbOrTrx, ctx: AppContext, user: UserRow, sv: string, en: string) {
  await enqueueMessage(trx, ctx, {
    channel: 'email',
    to: user.email,
    subject: 'Tvåstegsinloggning ändrad / Two-factor login changed',
    body: [
      sv,
      'Var det inte du? Kontakta oss genast.',
      '',
      en,
      'If this was not you, contact us at once.',
    ].join('\n'),
  });
}

export interface TotpStatus {
  enabled: boolean;
  enabledAt: string | null;
  pending: boolean;
  required: boolean;
  recoveryCodesLeft: number;
}

export async function totpStatus(ctx: AppContext, principal: Principal): Promise<TotpStatus> {
  const user = await loginUser(ctx, principal);
  return {
    enabled: Boolean(user.totp_secret),
    enabledAt: user.totp_enabled_at ? formatInstant(Date.parse(user.totp_enabled_at)) : null,
    pending: Boolean(user.totp_pending_secret),
    required: ctx.config.totpRequiredForStaff,
    recoveryCodesLeft: user.totp_secret ? await countUnusedRecoveryCodes(ctx.db, user.id) : 0,
  };
}

/**
 * Starts enrolment: a new 160-bit secret, pending until confirmed with a code. The secret is in this
 * answer only; starting again replaces a pending one.
 */
export async function startTotpEnrolment(
  ctx: AppContext,
  principal: Principal,
): Promise<{ secret: string; uri: string }> {
  const user = await loginUser(ctx, principal);
  if (user.totp_secret)
    throw new DomainError('CONFLICT', 'two-factor login is already on; turn it off first to change it');
  const secret = new Secret({ size: 20 }).base32;
  const nowMs = ctx.clock.now();
  await ctx.db.transaction().execute(async (trx) => {
    await setPendingTotpSecret(trx, user.id, sealSecret(ctx.config.totpKey, secret));
    await appendAudit(trx, {
      atMs: nowMs,
      actor: actorOf(user),
      action: 'auth.totp_enrolment_started',
      entityType: 'user',
      entityId: user.id,
    });
  });
  return { secret, uri: totpFor(secret, user.email).toString() };
}

/** Confirms enrolment with a valid code; turns two-factor login on and returns the recovery codes once. */
export async function confirmTotpEnrolment(
  ctx: AppContext,
  principal: Principal,
  code: string,
): Promise<{ recoveryCodes: string[] }> {
  const user = await loginUser(ctx, principal);
  if (user.totp_secret) throw new DomainError('CONFLICT', 'two-factor login is already on');
  if (!user.totp_pending_secret)
    throw new DomainError('CONFLICT', 'start enrolment first (POST /api/v1/auth/totp/enrol)');
  const secret = openSecret(ctx.config.totpKey, user.totp_pending_secret);
  const nowMs = ctx.clock.now();
  const step = totpStepOf(secret, code.trim(), nowMs);
  if (step === undefined)
    throw new DomainError('VALIDATION_FAILED', 'the code does not match; check the clock of the device', [
      { path: '/code', message: 'does not match' },
    ]);
  return ctx.db.transaction().execute(async (trx) => {
    await enableTotp(trx, user.id, user.totp_pending_secret as string, toDbInstant(nowMs), step);
    const recoveryCodes = await issueRecoveryCodes(trx, ctx, user.id, nowMs);
    await appendAudit(trx, {
      atMs: nowMs,
      actor: actorOf(user),
      action: 'auth.totp_enabled',
      entityType: 'user',
      entityId: user.id,
    });
    await notifyOwner(
      trx,
      ctx,
      user,
      'Tvåstegsinloggning är nu påslagen för ditt konto hos Ballou.',
      'Two-factor login is now on for your Ballou account.',
    );
    return { recoveryCodes };
  });
}

/** Turns two-factor login off; needs the password and a current code (or a recovery code). */
export async function disableTotpLogin(
  ctx: AppContext,
  principal: Principal,
  input: { password: string; code: string },
): Promise<void> {
  const user = await loginUser(ctx, principal);
  if (!user.totp_secret) throw new DomainError('CONFLICT', 'two-factor login is not on');
  const passwordOk = await verifyPassword(user.password_hash, input.password);
  const nowMs = ctx.clock.now();
  const failure = await ctx.db.transaction().execute(async (trx) => {
    const factor = passwordOk ? await useSecondFactor(trx, ctx, user, input.code, nowMs) : undefined;
    if (factor) {
      await clearTotp(trx, user.id);
      await appendAudit(trx, {
        atMs: nowMs,
        actor: actorOf(user),
        action: 'auth.totp_disabled',
        entityType: 'user',
        entityId: user.id,
        data: { factor },
      });
      await notifyOwner(
        trx,
        ctx,
        user,
        'Tvåstegsinloggning har stängts av för ditt konto hos Ballou.',
        'Two-factor login was turned off for your Ballou account.',
      );
      return undefined;
    }
    await recordSecondFactorFailure(trx, user, nowMs);
    await appendAudit(trx, {
      atMs: nowMs,
      actor: actorOf(user),
      action: 'auth.totp_disable_refused',
      entityType: 'user',
      entityId: user.id,
      data: { reason: passwordOk ? 'bad_code' : 'bad_password' },
    });
    return passwordOk ? '/code' : '/password';
  });
  if (failure)
    throw new DomainError('VALIDATION_FAILED', 'wrong password or code', [
      { path: failure, message: failure === '/code' ? 'does not match' : 'is wrong' },
    ]);
}

/** New recovery codes (the old ones stop working); needs a current code. */
export async function regenerateRecoveryCodes(
  ctx: AppContext,
  principal: Principal,
  code: string,
): Promise<{ recoveryCodes: string[] }> {
  const user = await loginUser(ctx, principal);
  if (!user.totp_secret) throw new DomainError('CONFLICT', 'two-factor login is not on');
  const nowMs = ctx.clock.now();
  // Only the app's code proves the device is still there; a recovery code is not spent on this.
  if (!/^\d{6}$/.test(code.trim()))
    throw new DomainError('VALIDATION_FAILED', 'a current 6-digit code from the app is needed', [
      { path: '/code', message: 'must be the 6-digit code from the authenticator app' },
    ]);
  const result = await ctx.db.transaction().execute(async (trx) => {
    const factor = await useSecondFactor(trx, ctx, user, code, nowMs);
    if (factor !== 'totp') {
      await recordSecondFactorFailure(trx, user, nowMs);
      return undefined;
    }
    const recoveryCodes = await issueRecoveryCodes(trx, ctx, user.id, nowMs);
    await appendAudit(trx, {
      atMs: nowMs,
      actor: actorOf(user),
      action: 'auth.totp_recovery_codes_renewed',
      entityType: 'user',
      entityId: user.id,
    });
    return { recoveryCodes };
  });
  if (!result)
    throw new DomainError('VALIDATION_FAILED', 'the code does not match', [
      { path: '/code', message: 'does not match (a current 6-digit code is needed)' },
    ]);
  return result;
}

/**
 * An administrator turns a user's two-factor login off (a lost phone and lost recovery codes): the user
 * logs in with the password and enrols again. Every session of the user ends; the owner is told.
 */
export async function resetTotpByAdmin(ctx: AppContext, principal: Principal, userId: string): Promise<void> {
  requireRole(principal, ['admin']);
  const nowMs = ctx.clock.now();
  await ctx.db.transaction().execute(async (trx) => {
    const user = await findUser(trx, userId);
    if (!user) throw new DomainError('USER_NOT_FOUND', 'user not found');
    if (!user.totp_secret && !user.totp_pending_secret)
      throw new DomainError('CONFLICT', 'two-factor login is not on for this user');
    await clearTotp(trx, user.id);
    await revokeUserSessions(trx, user.id, toDbInstant(nowMs));
    await appendAudit(trx, {
      atMs: nowMs,
      actor: { type: principal.kind, id: principal.id, name: principal.name },
      action: 'auth.totp_reset_by_admin',
      entityType: 'user',
      entityId: user.id,
      customerId: user.customer_id,
    });
    await notifyOwner(
      trx,
      ctx,
      user,
      'En administratör har stängt av tvåstegsinloggningen för ditt konto hos Ballou; slå på den igen efter nästa inloggning.',
      'An administrator turned two-factor login off for your Ballou account; turn it on again after your next login.',
    );
  });
}
