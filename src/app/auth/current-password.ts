import { findUser } from '../../db/repositories/auth.repository.js';
import type { UserRow } from '../../db/tables/auth.table.js';
import { DomainError } from '../../domain/shared/domain-error.js';
import type { Principal } from '../../domain/shared/roles.js';
import type { AppContext } from '../app-context.js';
import { verifyPassword } from './secrets.js';

/**
 * A signed-in user proves their current password before a change that could hand the account, or the
 * pages it gets, to someone else (ASVS 6.2.2 for the password itself). A wrong password is logged and
 * answered 400 on `/currentPassword`; the caller changes nothing. An API token has no password: 403.
 */
export async function proveCurrentPassword(
  ctx: AppContext,
  principal: Principal,
  password: string,
  what: string,
  requestId?: string,
): Promise<UserRow> {
  if (principal.kind !== 'user')
    throw new DomainError('FORBIDDEN', `${what} is made by the signed-in user, not with an API token`);
  const user = await findUser(ctx.db, principal.id);
  if (!user || user.disabled_at) throw new DomainError('USER_NOT_FOUND', 'user not found');
  if (!(await verifyPassword(user.password_hash, password))) {
    ctx.logger.warn({ userId: user.id, requestId }, `${what} refused: wrong current password`);
    throw new DomainError('VALIDATION_FAILED', 'the current password is wrong', [
      { path: '/currentPassword', message: 'is not your current password' },
    ]);
  }
  return user;
}
