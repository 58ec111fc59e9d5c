import { DomainError } from '../../domain/shared/domain-error.js';
import type { Principal } from '../../domain/shared/roles.js';
import type { AppContext } from '../app-context.js';
import { replacePassword } from './replace-password.js';
import { proveCurrentPassword } from './current-password.js';
import { hashPassword } from './secrets.js';
import { checkPassword } from './users.js';

/**
 * A signed-in user changes their own password, proving the current one (ASVS 6.2.2, 6.2.3). The other
 * sessions of the account end (this one goes on), unused reset links stop working, and the owner gets a
 * notice by e-mail (ASVS 4.0.3 2.2.3). A wrong current password changes nothing; the route is
 * rate-limited like the login.
 */
export async function changePassword(
  ctx: AppContext,
  principal: Principal,
  input: { currentPassword: string; newPassword: string; sessionId: string | null; requestId?: string },
): Promise<void> {
  if (principal.kind !== 'user' || input.sessionId === null)
    throw new DomainError('FORBIDDEN', 'a password is changed by its signed-in user, not with an API token');
  const user = await proveCurrentPassword(
    ctx,
    principal,
    input.currentPassword,
    'password change',
    input.requestId,
  );
  checkPassword(input.newPassword, user.email, '/newPassword');
  if (input.newPassword === input.currentPassword)
    throw new DomainError('VALIDATION_FAILED', 'the new password is the current one', [
      { path: '/newPassword', message: 'must differ from the current password' },
    ]);
  const hash = await hashPassword(input.newPassword);
  await ctx.db.transaction().execute((trx) =>
    replacePassword(trx, ctx, user, {
      hash,
      nowMs: ctx.clock.now(),
      via: 'change',
      keepSessionId: input.sessionId ?? undefined,
      ...(input.requestId ? { requestId: input.requestId } : {}),
    }),
  );
}
