import { appendAudit } from '../../db/repositories/audit.repository.js';
import { findEngineer } from '../../db/repositories/engineer.repository.js';
import type { EngineerRow } from '../../db/tables/roster.table.js';
import { DomainError } from '../../domain/shared/domain-error.js';
import type { Principal } from '../../domain/shared/roles.js';
import { auditActor } from '../access.js';
import type { AppContext } from '../app-context.js';
import { proveCurrentPassword } from '../auth/current-password.js';
import { enqueueMessages } from '../messaging/enqueue-message.js';
import { maskPhone } from './contact-change-notices.js';
import { applyEngineerChanges, toEngineerView, type EngineerView, type NotifyChannel } from './engineers.js';

/**
 * An engineer keeps their own on-call contact details right, from My account: a phone number that has
 * changed is the commonest reason a page reaches nobody. The account must be a signed-in user linked to
 * an engineer (a manager without a roster entry, a customer or an API token has none here).
 */
async function myEngineer(ctx: AppContext, principal: Principal): Promise<EngineerRow> {
  const engineerId = principal.kind === 'user' ? principal.engineerId : null;
  if (!engineerId)
    throw new DomainError('FORBIDDEN', 'only an engineer signed in to their own account has on-call details');
  const engineer = await findEngineer(ctx.db, engineerId);
  if (!engineer) throw new DomainError('ENGINEER_NOT_FOUND', 'engineer not found');
  return engineer;
}

export async function getMyContact(ctx: AppContext, principal: Principal): Promise<EngineerView> {
  return toEngineerView(await myEngineer(ctx, principal));
}

/**
 * Changes my phone number, page e-mail address or notification channel. A new number or address would
 * send every page elsewhere, so the current password is asked for, and the old and new number and the
 * e-mail are told, as when a manager changes them (contact-change-notices.ts); the audit log names me.
 */
export async function updateMyContact(
  ctx: AppContext,
  principal: Principal,
  input: {
    phone?: string;
    email?: string;
    notifyChannel?: NotifyChannel;
    currentPassword: string;
    requestId?: string;
  },
): Promise<EngineerView> {
  const engineer = await myEngineer(ctx, principal);
  await proveCurrentPassword(ctx, principal, input.currentPassword, 'contact change', input.requestId);
  return applyEngineerChanges(ctx, principal, engineer.id, {
    ...(input.phone !== undefined ? { phone: input.phone } : {}),
    ...(input.email !== undefined ? { email: input.email } : {}),
    ...(input.notifyChannel !== undefined ? { notifyChannel: input.notifyChannel } : {}),
  });
}

/**
 * Sends a test SMS to my on-call phone now, the way pages go (the outbox, 46elks or Twilio): proof the
 * number works before the night it matters. Tied to me like a page, so a number the provider refuses
 * shows as failing on the roster. Audited (it costs an SMS); the route limits how often.
 */
export async function sendMyTestPage(ctx: AppContext, principal: Principal): Promise<{ to: string }> {
  const engineer = await myEngineer(ctx, principal);
  const nowMs = ctx.clock.now();
  await ctx.db.transaction().execute(async (trx) => {
    await enqueueMessages(trx, ctx, [
      {
        channel: 'sms',
        to: engineer.phone,
        engineerId: engineer.id,
        body: `Ballou: testmeddelande till ${engineer.name}. Så här kommer jourlarmen till dig. Inget att göra.`,
      },
    ]);
    await appendAudit(trx, {
      atMs: nowMs,
      actor: auditActor(principal),
      action: 'engineer.test_page_sent',
      entityType: 'engineer',
      entityId: engineer.id,
      data: { to: maskPhone(engineer.phone) },
    });
  });
  return { to: engineer.phone };
}
