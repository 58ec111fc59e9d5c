import { appendAudit } from '../../db/repositories/audit.repository.js';
import {
  findUserByEmail,
  insertUser,
  listUsers as listUserRows,
} from '../../db/repositories/auth.repository.js';
import { findCustomer } from '../../db/repositories/customer.repository.js';
import { findEngineer } from '../../db/repositories/engineer.repository.js';
import { toDbInstant } from '../../db/instant.js';
import type { UserRow } from '../../db/tables/auth.table.js';
import { DomainError } from '../../domain/shared/domain-error.js';
import { isRole, type Principal, type Role } from '../../domain/shared/roles.js';
import { isEasilyGuessed } from './password-guessability.js';
import { auditActor, requireRole } from '../access.js';
import type { AppContext } from '../app-context.js';
import { hashPassword } from './secrets.js';

export interface UserView {
  id: string;
  email: string;
  name: string;
  role: Role;
  customerId: string | null;
  engineerId: string | null;
  /** Two-factor login is on (never the secret itself). */
  totpEnabled: boolean;
  createdAt: string;
}

export function toUserView(row: UserRow): UserView {
  return {
    id: row.id,
    email: row.email,
    name: row.name,
    role: row.role as Role,
    customerId: row.customer_id,
    engineerId: row.engineer_id,
    totpEnabled: Boolean(row.totp_secret),
    createdAt: row.created_at,
  };
}

export const MIN_PASSWORD_LENGTH = 12;
export const MAX_PASSWORD_LENGTH = 128;

/** Password rule of ASVS 2.1: long enough, not absurdly long, not the e-mail itself, not easily guessed. */
export function checkPassword(password: string, email: string, path = '/password'): void {
  const problem =
    password.length < MIN_PASSWORD_LENGTH
      ? `must be at least ${MIN_PASSWORD_LENGTH} characters`
      : password.length > MAX_PASSWORD_LENGTH
        ? `must be at most ${MAX_PASSWORD_LENGTH} characters`
        : password.toLowerCase().includes(email.split('@')[0]?.toLowerCase() || '\u0000')
          ? 'must not contain the e-mail name'
          : isEasilyGuessed(password, ['ballou', 'jour', ...email.split(/[@.]/)])
            ? 'is too easy to guess: a common password, a keyboard row, a repetition or a sequence'
            : undefined;
  if (problem)
    throw new DomainError('VALIDATION_FAILED', `password ${problem}`, [{ path, message: problem }]);
}

export interface CreateUserInput {
  email: string;
  name: string;
  password: string;
  role: string;
  customerId?: string | null;
  engineerId?: string | null;
}

/** Creates a login. A `customer` user belongs to exactly one customer; staff users to none. */
export async function createUser(
  ctx: AppContext,
  principal: Principal,
  input: CreateUserInput,
): Promise<UserView> {
  requireRole(principal, ['admin']);
  const email = input.email.trim().toLowerCase();
  if (!isRole(input.role)) {
    throw new DomainError(
      'VALIDATION_FAILED',
      'role must be one of admin, manager, engineer, billing, customer',
      [{ path: '/role', message: 'must be one of admin, manager, engineer, billing, customer' }],
    );
  }
  if ((input.role === 'customer') !== Boolean(input.customerId)) {
    throw new DomainError('VALIDATION_FAILED', 'customerId is required for, and only for, role customer', [
      { path: '/customerId', message: 'is required for, and only for, role customer' },
    ]);
  }
  checkPassword(input.password, email);
  const passwordHash = await hashPassword(input.password);
  const nowMs = ctx.clock.now();
  return ctx.db.transaction().execute(async (trx) => {
    if (await findUserByEmail(trx, email)) {
      throw new DomainError('DUPLICATE', `a user with e-mail ${email} already exists`, [
        { path: '/email', message: 'is already registered' },
      ]);
    }
    if (input.customerId && !(await findCustomer(trx, input.customerId))) {
      throw new DomainError('CUSTOMER_NOT_FOUND', 'customer not found', [
        { path: '/customerId', message: 'no such customer' },
      ]);
    }
    if (input.engineerId && !(await findEngineer(trx, input.engineerId))) {
      throw new DomainError('ENGINEER_NOT_FOUND', 'engineer not found', [
        { path: '/engineerId', message: 'no such engineer' },
      ]);
    }
    const row: UserRow = {
      id: ctx.newId(),
      email,
      name: input.name.trim(),
      password_hash: passwordHash,
      role: input.role,
      customer_id: input.customerId ?? null,
      engineer_id: input.engineerId ?? null,
      totp_secret: null,
      totp_pending_secret: null,
      totp_enabled_at: null,
      totp_last_step: null,
      failed_logins: 0,
      locked_until: null,
      disabled_at: null,
      created_at: toDbInstant(nowMs),
    };
    await insertUser(trx, row);
    await appendAudit(trx, {
      atMs: nowMs,
      actor: auditActor(principal),
      action: 'user.created',
      entityType: 'user',
      entityId: row.id,
      customerId: row.customer_id,
      data: { email, role: row.role },
    });
    return toUserView(row);
  });
}

export async function listUsers(ctx: AppContext, principal: Principal): Promise<UserView[]> {
  requireRole(principal, ['admin']);
  return (await listUserRows(ctx.db)).map(toUserView);
}
