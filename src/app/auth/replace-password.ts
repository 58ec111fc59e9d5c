import {
  invalidatePasswordResets,
  revokeUserSessions,
  setPasswordHash,
} from '../../db/repositories/account-security.repository.js';
import { appendAudit } from '../../db/repositories/audit.repository.js';
import type { Trx } from '../../db/database.js';
import { toDbInstant } from '../../db/instant.js';
import type { UserRow } from '../../db/tables/auth.table.js';
import type { AppContext } from '../app-context.js';
import { enqueueMessage } from '../messaging/enqueue-message.js';

const NOTICE = {
  reset: {
    sv: 'Lösenordet till ditt konto hos Ballou har just ändrats via en återställningslänk. Alla inloggningar har avslutats.',
    en: 'The password of your Ballou account was just changed through a reset link. Every session has been ended.',
    action: 'auth.password_reset',
  },
  change: {
    sv: 'Lösenordet till ditt konto hos Ballou har just ändrats av en inloggad användare. Alla andra inloggningar har avslutats.',
    en: 'The password of your Ballou account was just changed from a signed-in session. Every other session has been ended.',
    action: 'auth.password_changed',
  },
} as const;

/**
 * What every new password brings, by a reset link or a change, in the caller's transaction: the hash
 * stored (the account unlocked), unused reset links ended, every session ended but `keepSessionId` (the
 * one that changed it), a notice to the owner by e-mail (ASVS 4.0.3 2.2.3) and an audit entry.
 */
export async function replacePassword(
  trx: Trx,
  ctx: AppContext,
  user: UserRow,
  change: {
    hash: string;
    nowMs: number;
    via: 'reset' | 'change';
    keepSessionId?: string;
    requestId?: string;
  },
): Promise<void> {
  const at = toDbInstant(change.nowMs);
  const notice = NOTICE[change.via];
  await setPasswordHash(trx, user.id, change.hash);
  await invalidatePasswordResets(trx, user.id, at);
  await revokeUserSessions(trx, user.id, at, change.keepSessionId);
  await enqueueMessage(trx, ctx, {
    channel: 'email',
    to: user.email,
    subject: 'Ditt lösenord är ändrat / Your password was changed',
    body: [
      notice.sv,
      'Var det inte du? Kontakta oss genast.',
      '',
      notice.en,
      'If this was not you, contact us at once.',
    ].join('\n'),
  });
  await appendAudit(trx, {
    atMs: change.nowMs,
    actor: { type: 'user', id: user.id, name: user.email },
    action: notice.action,
    entityType: 'user',
    entityId: user.id,
    customerId: user.customer_id,
    requestId: change.requestId ?? null,
  });
}
