import {
  findPasswordResetByHash,
  insertPasswordReset,
  invalidatePasswordResets,
  latestPasswordReset,
  usePasswordReset,
} from '../../db/repositories/account-security.repository.js';
import { appendAudit } from '../../db/repositories/audit.repository.js';
import { findUser, findUserByEmail } from '../../db/repositories/auth.repository.js';
import { enqueueJob } from '../../db/repositories/job.repository.js';
import { toDbInstant } from '../../db/instant.js';
import { DomainError } from '../../domain/shared/domain-error.js';
import type { AppContext } from '../app-context.js';
import type { JobHandler } from '../jobs/job-worker.js';
import { enqueueMessage } from '../messaging/enqueue-message.js';
import { generateSecret, hashPassword, hashSecret } from './secrets.js';
import { replacePassword } from './replace-password.js';
import { checkPassword } from './users.js';

export const PASSWORD_RESET_JOB = 'auth.password_reset';
/** How long a reset link works. */
export const RESET_LINK_MINUTES = 30;
/** A second request for one account within this time sends nothing (no mail bombing through us). */
const RESEND_AFTER_MS = 60_000;

/** The SPA route the e-mail links to; the token travels in the fragment, so it never reaches a server log. */
export function passwordResetUrl(ctx: AppContext, token: string): string {
  return `${new URL('/reset-password', ctx.config.publicUrl).toString()}#${token}`;
}

/**
 * Asks for a reset link. Every address costs the same here, one job row, and the job decides whether
 * there is anyone to write to: the answer and its timing tell nothing about which addresses exist.
 */
export async function requestPasswordReset(
  ctx: AppContext,
  input: { email: string; requestId?: string },
): Promise<void> {
  const nowMs = ctx.clock.now();
  await enqueueJob(
    ctx.db,
    {
      id: ctx.newId(),
      kind: PASSWORD_RESET_JOB,
      payload: { email: input.email.trim().toLowerCase(), requestId: input.requestId ?? null },
      dueAtMs: nowMs,
      maxAttempts: 3,
    },
    nowMs,
  );
}

/** Sends the link for a known, enabled account; older links stop working. */
export const passwordResetJob: JobHandler = async (ctx, rawPayload) => {
  const payload = rawPayload as { email: string; requestId: string | null };
  const nowMs = ctx.clock.now();
  const user = await findUserByEmail(ctx.db, payload.email);
  await ctx.db.transaction().execute(async (trx) => {
    const audit = (data: Record<string, unknown>) =>
      appendAudit(trx, {
        atMs: nowMs,
        actor: { type: 'user', id: user?.id ?? null, name: payload.email },
        action: 'auth.password_reset_requested',
        entityType: 'user',
        entityId: user?.id ?? null,
        customerId: user?.customer_id ?? null,
        data,
        requestId: payload.requestId,
      });
    if (!user || user.disabled_at) return audit({ sent: false, reason: user ? 'disabled' : 'unknown_user' });
    const latest = await latestPasswordReset(trx, user.id);
    if (latest && !latest.used_at && Date.parse(latest.created_at) > nowMs - RESEND_AFTER_MS)
      return audit({ sent: false, reason: 'too_soon' });
    await invalidatePasswordResets(trx, user.id, toDbInstant(nowMs));
    const token = generateSecret('bpr');
    await insertPasswordReset(trx, {
      id: ctx.newId(),
      token_hash: hashSecret(token),
      user_id: user.id,
      created_at: toDbInstant(nowMs),
      expires_at: toDbInstant(nowMs + RESET_LINK_MINUTES * 60_000),
      used_at: null,
      invalidated_at: null,
    });
    const link = passwordResetUrl(ctx, token);
    await enqueueMessage(trx, ctx, {
      channel: 'email',
      to: user.email,
      subject: 'Nytt lösenord / Reset your password',
      body: [
        `Hej ${user.name}!`,
        '',
        `Någon (förhoppningsvis du) bad om ett nytt lösenord. Länken gäller i ${RESET_LINK_MINUTES} minuter och en gång:`,
        link,
        'Bad du inte om det kan du bortse från detta meddelande; lösenordet är oförändrat.',
        '',
        `Someone (hopefully you) asked to reset your password. The link works once, for ${RESET_LINK_MINUTES} minutes:`,
        link,
        'If it was not you, ignore this message; your password is unchanged.',
      ].join('\n'),
    });
    await audit({ sent: true });
  });
};

const BAD_LINK = 'the link has been used, has expired or is not valid; ask for a new one';

/**
 * Sets a new password from a reset link: the link is used up, every other link and every session of
 * the account end, and the owner gets a notice (ASVS 2.2.3, 2.5.x, 3.3.x).
 */
export async function confirmPasswordReset(
  ctx: AppContext,
  input: { token: string; password: string; requestId?: string },
): Promise<void> {
  const nowMs = ctx.clock.now();
  const row = await findPasswordResetByHash(ctx.db, hashSecret(input.token));
  const user = row ? await findUser(ctx.db, row.user_id) : undefined;
  if (
    !row ||
    !user ||
    row.used_at ||
    row.invalidated_at ||
    Date.parse(row.expires_at) <= nowMs ||
    user.disabled_at
  )
    throw new DomainError('VALIDATION_FAILED', BAD_LINK, [{ path: '/token', message: BAD_LINK }]);
  checkPassword(input.password, user.email);
  const hash = await hashPassword(input.password);
  await ctx.db.transaction().execute(async (trx) => {
    if (!(await usePasswordReset(trx, row.id, toDbInstant(nowMs))))
      throw new DomainError('VALIDATION_FAILED', BAD_LINK, [{ path: '/token', message: BAD_LINK }]);
    await replacePassword(trx, ctx, user, {
      hash,
      nowMs,
      via: 'reset',
      ...(input.requestId ? { requestId: input.requestId } : {}),
    });
  });
}
