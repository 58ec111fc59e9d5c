import { findEngineer } from '../../db/repositories/engineer.repository.js';
import { findNotification } from '../../db/repositories/notification.repository.js';
import type { Actor } from '../../domain/incidents/timeline.js';
import { DomainError } from '../../domain/shared/domain-error.js';
import type { TelephonyProvider } from '../../integrations/messaging.js';
import type { AppContext } from '../app-context.js';
import { acknowledgeInTransaction } from '../incidents/incident-commands.js';
import { onceOnly } from '../intake/inbound-once.js';
import { checkPageAckToken, providerSecret } from './telephony-callbacks.js';

/** What the callee hears next: the confirmation, the question once more, or the end of the call. */
export type KeypressOutcome = 'acknowledged' | 'again' | 'end';

export interface PageKeypress {
  provider: TelephonyProvider;
  /** 46elks `callid`, Twilio `CallSid`. */
  callId: string;
  /** From the URL we gave the provider: the page call's notification and its token. */
  notificationId: string;
  token: string;
  /** What was pressed (46elks `result`, Twilio `Digits`); 46elks sends an error word after silence. */
  digits: string;
  /** This was the second and last question. */
  again: boolean;
}

/**
 * A key pressed during a page call. 1 acknowledges the incident for the engineer the call was for (as
 * their SMS `OK` would, via phone) and so stops the escalation; anything else asks once more, then
 * ends. The token must be the one made for this notification; a provider's retry of the same keypress
 * gets the same answer and changes nothing. Returns null when the token is wrong.
 */
export async function pressKeyOnPageCall(
  ctx: AppContext,
  press: PageKeypress,
): Promise<KeypressOutcome | null> {
  if (!checkPageAckToken(providerSecret(ctx.config, press.provider), press.notificationId, press.token))
    return null;
  return ctx.db.transaction().execute((trx) =>
    onceOnly(
      trx,
      ctx,
      {
        source: `${press.provider}:page-keypress`,
        key: `${press.callId}:${press.notificationId}:${press.digits}:${press.again ? 2 : 1}`,
      },
      async (): Promise<KeypressOutcome> => {
        const n = await findNotification(trx, press.notificationId);
        if (!n || n.channel !== 'voice' || n.incident_id === null || n.engineer_id === null) return 'end';
        if (press.digits.trim() !== '1') return press.again ? 'end' : 'again';
        const engineer = await findEngineer(trx, n.engineer_id);
        const actor: Actor = { type: 'engineer', id: n.engineer_id, name: engineer?.name ?? null };
        try {
          await acknowledgeInTransaction(trx, ctx, actor, n.incident_id, n.engineer_id, 'phone');
        } catch (error) {
          // Resolved or closed meanwhile: nothing left to acknowledge, and the callee needs no error.
          if (!(error instanceof DomainError)) throw error;
        }
        return 'acknowledged';
      },
    ),
  );
}
