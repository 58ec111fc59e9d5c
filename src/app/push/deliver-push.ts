import { appendAudit } from '../../db/repositories/audit.repository.js';
import { toDbInstant } from '../../db/instant.js';
import {
  deletePushSubscription,
  listLivePushSubscriptions,
  updatePushSubscription,
  type PushSubscriptionRow,
} from '../../db/repositories/push-subscription.repository.js';
import {
  DeliveryError,
  isDeliveryError,
  type PushReceipt,
  type PushUrgency,
} from '../../integrations/messaging.js';
import { endpointOrigin } from '../../integrations/push/web-push.js';
import type { AppContext } from '../app-context.js';
import { SYSTEM_ACTOR } from '../incidents/incident-state.js';

/** How a push message travels: kept with the queued message (the notification body is the payload). */
export interface PushDelivery {
  ttlSeconds: number;
  urgency: PushUrgency;
  topic?: string;
}

/** Whom a push notification is for: every browser of an engineer's logins, or of one login. */
export type PushRecipient = { kind: 'engineer'; id: string } | { kind: 'user'; id: string };

/** The notifications.recipient text of a push message: `engineer:<id>` or `user:<id>`. */
export function pushRecipientText(recipient: PushRecipient): string {
  return `${recipient.kind}:${recipient.id}`;
}

export function parsePushRecipient(text: string): PushRecipient | undefined {
  const match = /^(engineer|user):(.+)$/.exec(text);
  if (!match?.[2]) return undefined;
  return { kind: match[1] as PushRecipient['kind'], id: match[2] };
}

export type SubscriptionOutcome =
  | { subscriptionId: string; status: 'sent'; providerMessageId: string }
  | { subscriptionId: string; status: 'removed'; error: DeliveryError }
  | { subscriptionId: string; status: 'failed'; error: DeliveryError };

/**
 * Sends one payload to one subscription and records the outcome on it: a success clears a failing
 * mark; 404/410 (the browser withdrew or the subscription expired) deletes it, audited; anything else
 * marks it failing and keeps it (the push service may be down).
 */
export async function pushToSubscription(
  ctx: AppContext,
  subscription: PushSubscriptionRow,
  payload: string,
  delivery: PushDelivery,
): Promise<SubscriptionOutcome> {
  try {
    const receipt = await ctx.messaging.push.send({
      subscription: {
        endpoint: subscription.endpoint,
        keys: { p256dh: subscription.p256dh, auth: subscription.auth },
      },
      payload,
      ttlSeconds: delivery.ttlSeconds,
      urgency: delivery.urgency,
      ...(delivery.topic ? { topic: delivery.topic } : {}),
    });
    await updatePushSubscription(ctx.db, subscription.id, {
      last_success_at: toDbInstant(ctx.clock.now()),
      failing_since: null,
      last_error: null,
    });
    return { subscriptionId: subscription.id, status: 'sent', providerMessageId: receipt.providerMessageId };
  } catch (raw) {
    const error = isDeliveryError(raw)
      ? raw
      : new DeliveryError(raw instanceof Error ? raw.message : String(raw), {
          provider: 'web-push',
          code: 'NETWORK',
          retryable: true,
        });
    const nowMs = ctx.clock.now();
    const log = { subscriptionId: subscription.id, userId: subscription.user_id, code: error.code };
    if (error.code === 'SUBSCRIPTION_GONE') {
      await ctx.db.transaction().execute(async (trx) => {
        if (!(await deletePushSubscription(trx, subscription.id))) return;
        await appendAudit(trx, {
          atMs: nowMs,
          actor: SYSTEM_ACTOR,
          action: 'push_subscription.removed',
          entityType: 'push_subscription',
          entityId: subscription.id,
          data: {
            userId: subscription.user_id,
            reason: 'gone',
            status: error.status ?? null,
            pushService: endpointOrigin(subscription.endpoint),
          },
        });
      });
      ctx.logger.info(log, 'push subscription gone; removed');
      return { subscriptionId: subscription.id, status: 'removed', error };
    }
    await updatePushSubscription(ctx.db, subscription.id, {
      failing_since: subscription.failing_since ?? toDbInstant(nowMs),
      last_error: error.message.slice(0, 500),
    });
    ctx.logger.warn({ ...log, retryable: error.retryable }, 'push delivery failed');
    return { subscriptionId: subscription.id, status: 'failed', error };
  }
}

/** The live subscriptions of a recipient. */
export async function subscriptionsOf(
  ctx: AppContext,
  recipient: PushRecipient,
): Promise<PushSubscriptionRow[]> {
  const nowIso = toDbInstant(ctx.clock.now());
  const owner = recipient.kind === 'engineer' ? { engineerId: recipient.id } : { userId: recipient.id };
  return listLivePushSubscriptions(ctx.db, owner, nowIso);
}

/**
 * The outbox's push channel: the payload goes to each live subscription of the recipient. One browser
 * that took it is a success (retrying would repeat it on that browser). With none: a retryable failure
 * if any push service may recover (the worker backs off and tries again), else a permanent one, so the
 * message fails and its fallback, if any, is sent — including when no subscription is left at all.
 */
export async function deliverPushNotification(
  ctx: AppContext,
  notification: { recipient: string; body: string },
  delivery: PushDelivery,
): Promise<PushReceipt> {
  const recipient = parsePushRecipient(notification.recipient);
  if (!recipient)
    throw new DeliveryError('push: the recipient is not engineer:<id> or user:<id>', {
      provider: 'web-push',
      code: 'INVALID_INPUT',
      retryable: false,
    });
  const subscriptions = await subscriptionsOf(ctx, recipient);
  const outcomes: SubscriptionOutcome[] = [];
  for (const subscription of subscriptions)
    outcomes.push(await pushToSubscription(ctx, subscription, notification.body, delivery));
  const sent = outcomes.filter((o) => o.status === 'sent');
  if (sent.length > 0)
    return {
      provider: 'web-push',
      providerMessageId: sent
        .map((o) => o.providerMessageId)
        .join(' ')
        .slice(0, 1000),
    };
  const failures = outcomes.flatMap((o) => (o.status === 'sent' ? [] : [o.error]));
  const retryable = failures.find((e) => e.retryable);
  if (retryable)
    throw new DeliveryError(`push: no browser took the message (${retryable.message})`, {
      provider: 'web-push',
      code: retryable.code,
      retryable: true,
      causes: failures,
      ...(retryable.status === undefined ? {} : { status: retryable.status }),
    });
  const removed = outcomes.filter((o) => o.status === 'removed').length;
  throw new DeliveryError(
    subscriptions.length === 0
      ? 'push: the recipient has no live push subscription'
      : `push: no browser took the message (${removed} of ${subscriptions.length} subscriptions gone)`,
    {
      provider: 'web-push',
      code: removed === subscriptions.length ? 'SUBSCRIPTION_GONE' : (failures[0]?.code ?? 'INVALID_INPUT'),
      retryable: false,
      causes: failures,
    },
  );
}
