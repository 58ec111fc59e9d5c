import type { DbOrTrx } from '../../db/database.js';
import { toDbInstant } from '../../db/instant.js';
import { listLivePushSubscriptions } from '../../db/repositories/push-subscription.repository.js';
import { pushTopic } from '../../integrations/push/web-push.js';
import type { AppContext } from '../app-context.js';
import type { OutgoingMessage } from '../messaging/enqueue-message.js';
import { pushRecipientText } from './deliver-push.js';

/**
 * A notice (a shift reminder) goes by push when the engineer has a browser subscribed, with the message
 * it would otherwise have been (their SMS or e-mail) as its fallback: one reminder on the quickest
 * channel, and the usual one if no browser takes it (no subscription left, 404/410, a lasting refusal).
 */
export async function preferPush(
  db: DbOrTrx,
  ctx: AppContext,
  message: OutgoingMessage & { engineerId: string },
  notice: { title: string; key: string; validUntilMs: number },
): Promise<OutgoingMessage> {
  const nowMs = ctx.clock.now();
  const subscriptions = await listLivePushSubscriptions(
    db,
    { engineerId: message.engineerId },
    toDbInstant(nowMs),
  );
  if (subscriptions.length === 0) return message;
  const sendAtMs = message.dueAtMs ?? nowMs;
  const { dedupeKey, dueAtMs, fallback: _dropped, ...instead } = message;
  return {
    channel: 'push',
    to: pushRecipientText({ kind: 'engineer', id: message.engineerId }),
    subject: notice.title,
    body: JSON.stringify({
      title: notice.title,
      body: message.body,
      url: new URL('/', ctx.config.publicUrl).toString(),
      tag: `notice-${pushTopic(notice.key)}`,
      requireInteraction: false,
    }),
    engineerId: message.engineerId,
    ...(message.incidentId ? { incidentId: message.incidentId } : {}),
    ...(dedupeKey ? { dedupeKey } : {}),
    ...(dueAtMs === undefined ? {} : { dueAtMs }),
    push: {
      // Worthless once the shift has begun.
      ttlSeconds: Math.max(60, Math.round((notice.validUntilMs - sendAtMs) / 1000)),
      urgency: 'normal',
      topic: pushTopic(notice.key),
    },
    fallback: instead,
  };
}
