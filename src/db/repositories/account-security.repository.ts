import type { DbOrTrx } from '../database.js';
import type { LoginChallengeRow, PasswordResetRow } from '../tables/auth.table.js';

export async function setPendingTotpSecret(
  db: DbOrTrx,
  userId: string,
  sealed: string | null,
): Promise<void> {
  await db.updateTable('users').set({ totp_pending_secret: sealed }).where('id', '=', userId).execute();
}

export async function enableTotp(
  db: DbOrTrx,
  userId: string,
  sealed: string,
  at: string,
  step: number,
): Promise<void> {
  await db
    .updateTable('users')
    .set({ totp_secret: sealed, totp_pending_secret: null, totp_enabled_at: at, totp_last_step: step })
    .where('id', '=', userId)
    .execute();
}

export async function disableTotp(db: DbOrTrx, userId: string): Promise<void> {
  await db
    .updateTable('users')
    .set({ totp_secret: null, totp_pending_secret: null, totp_enabled_at: null, totp_last_step: null })
    .where('id', '=', userId)
    .execute();
  await db.deleteFrom('totp_recovery_codes').where('user_id', '=', userId).execute();
}

/**
 * Records the time step of an accepted code; false when that step (or a later one) was used already,
 * so two requests racing with one code cannot both win.
 */
export async function claimTotpStep(db: DbOrTrx, userId: string, step: number): Promise<boolean> {
  const result = await db
    .updateTable('users')
    .set({ totp_last_step: step })
    .where('id', '=', userId)
    .where((eb) => eb.or([eb('totp_last_step', 'is', null), eb('totp_last_step', '<', step)]))
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export async function replaceRecoveryCodes(
  db: DbOrTrx,
  userId: string,
  rows: Array<{ id: string; code_hash: string; created_at: string }>,
): Promise<void> {
  await db.deleteFrom('totp_recovery_codes').where('user_id', '=', userId).execute();
  for (const row of rows) {
    await db
      .insertInto('totp_recovery_codes')
      .values({ ...row, user_id: userId, used_at: null })
      .execute();
  }
}

export async function listUnusedRecoveryCodes(
  db: DbOrTrx,
  userId: string,
): Promise<Array<{ id: string; code_hash: string }>> {
  return db
    .selectFrom('totp_recovery_codes')
    .select(['id', 'code_hash'])
    .where('user_id', '=', userId)
    .where('used_at', 'is', null)
    .execute();
}

/** Uses a recovery code once; false when it was used meanwhile. */
export async function markRecoveryCodeUsed(db: DbOrTrx, id: string, at: string): Promise<boolean> {
  const result = await db
    .updateTable('totp_recovery_codes')
    .set({ used_at: at })
    .where('id', '=', id)
    .where('used_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export async function countUnusedRecoveryCodes(db: DbOrTrx, userId: string): Promise<number> {
  const row = await db
    .selectFrom('totp_recovery_codes')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('user_id', '=', userId)
    .where('used_at', 'is', null)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function insertLoginChallenge(db: DbOrTrx, row: LoginChallengeRow): Promise<void> {
  await db.insertInto('login_challenges').values(row).execute();
}

export async function findLoginChallengeByHash(
  db: DbOrTrx,
  tokenHash: string,
): Promise<LoginChallengeRow | undefined> {
  return db.selectFrom('login_challenges').selectAll().where('token_hash', '=', tokenHash).executeTakeFirst();
}

/** Ends a challenge once; false when it was used already. */
export async function useLoginChallenge(db: DbOrTrx, id: string, at: string): Promise<boolean> {
  const result = await db
    .updateTable('login_challenges')
    .set({ used_at: at })
    .where('id', '=', id)
    .where('used_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export async function insertPasswordReset(db: DbOrTrx, row: PasswordResetRow): Promise<void> {
  await db.insertInto('password_resets').values(row).execute();
}

export async function latestPasswordReset(
  db: DbOrTrx,
  userId: string,
): Promise<PasswordResetRow | undefined> {
  return db
    .selectFrom('password_resets')
    .selectAll()
    .where('user_id', '=', userId)
    .orderBy('created_at', 'desc')
    .executeTakeFirst();
}

export async function findPasswordResetByHash(
  db: DbOrTrx,
  tokenHash: string,
): Promise<PasswordResetRow | undefined> {
  return db.selectFrom('password_resets').selectAll().where('token_hash', '=', tokenHash).executeTakeFirst();
}

/** Makes every open reset link of the user worthless (a newer request, a successful reset). */
export async function invalidatePasswordResets(db: DbOrTrx, userId: string, at: string): Promise<void> {
  await db
    .updateTable('password_resets')
    .set({ invalidated_at: at })
    .where('user_id', '=', userId)
    .where('used_at', 'is', null)
    .where('invalidated_at', 'is', null)
    .execute();
}

/** Uses a reset link once; false when it was used or invalidated meanwhile. */
export async function usePasswordReset(db: DbOrTrx, id: string, at: string): Promise<boolean> {
  const result = await db
    .updateTable('password_resets')
    .set({ used_at: at })
    .where('id', '=', id)
    .where('used_at', 'is', null)
    .where('invalidated_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export async function setPasswordHash(db: DbOrTrx, userId: string, hash: string): Promise<void> {
  await db
    .updateTable('users')
    .set({ password_hash: hash, failed_logins: 0, locked_until: null })
    .where('id', '=', userId)
    .execute();
}

export async function revokeUserSessions(
  db: DbOrTrx,
  userId: string,
  at: string,
  /** A session to leave open (the one that changed the password). */
  exceptSessionId?: string,
): Promise<void> {
  let query = db
    .updateTable('sessions')
    .set({ revoked_at: at })
    .where('user_id', '=', userId)
    .where('revoked_at', 'is', null);
  if (exceptSessionId !== undefined) query = query.where('id', '!=', exceptSessionId);
  await query.execute();
}

/** Deletes login challenges and reset links that expired before `cutoff` (they are worthless by then). */
export async function purgeAccountTokens(db: DbOrTrx, cutoff: string): Promise<void> {
  await db.deleteFrom('login_challenges').where('expires_at', '<', cutoff).execute();
  await db.deleteFrom('password_resets').where('expires_at', '<', cutoff).execute();
}
