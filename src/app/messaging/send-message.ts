import { fromDbInstant, toDbInstant } from '../../db/instant.js';
import {
  findNotification,
  markNotificationSent,
  markPhoneFailing,
  updateNotification,
} from '../../db/repositories/notification.repository.js';
import { isDeliveryError, type DeliveryError } from '../../integrations/messaging.js';
import type { AppContext } from '../app-context.js';
import { messageQueuedSeconds, messagesSent } from '../metrics/app-metrics.js';
import { finalTransaction, recordFailure, type JobHandler } from '../jobs/job-worker.js';
import { deliverPushNotification, type PushDelivery } from '../push/deliver-push.js';
import { enqueueMessage, type FallbackMessage } from './enqueue-message.js';
import { smsCallbacks, voiceCallRequest } from './telephony-callbacks.js';

interface SendPayload {
  notificationId: string;
  fallback: FallbackMessage | null;
  push?: PushDelivery;
}

/** A provider's refusal that says the number itself is wrong, not that the provider is down. */
function numberRefused(error: DeliveryError): boolean {
  return (
    error.code === 'INVALID_INPUT' ||
    (error.code === 'HTTP' && (error.status === 400 || error.status === 404 || error.status === 422))
  );
}

/**
 * The outbox worker's handler: sends one queued message through its channel's port. The attempt is
 * recorded before the provider is called: the worker's claim (job running, attempts + 1, leased) is
 * committed first. After a successful call the message is marked sent, and then the worker marks the job
 * done: two single statements rather than one transaction of four (BEGIN, COMMIT), because the order makes
 * them safe apart. A crash before the mark leaves the job running with the message neither sent nor
 * failed: once the lease runs out the job is claimed again and the message may go twice, never zero times
 * (a duplicate page beats a missed one). A crash between the two leaves the message marked sent; the
 * job's next run finds it sent and only completes. A retryable failure is thrown back to the worker
 * (back-off and retry); a permanent one, or any failure of the last attempt, fails the message, marks an
 * engineer's phone as not working when the provider refused the number, and sends the fallback message if
 * there is one, in one transaction with the job's completion.
 */
export const sendMessageJob: JobHandler = async (ctx: AppContext, rawPayload: unknown, job, run) => {
  const payload = rawPayload as SendPayload;
  const n = await findNotification(ctx.db, payload.notificationId);
  if (!n || n.status === 'sent' || n.status === 'failed') return;
  let provider: string;
  let providerId: string;
  try {
    if (n.channel === 'sms') {
      const r = await ctx.messaging.sms.send({ to: n.recipient, message: n.body, ...smsCallbacks(ctx, n) });
      [provider, providerId] = [r.provider, r.providerMessageId];
    } else if (n.channel === 'voice') {
      const r = await ctx.messaging.voice.call(voiceCallRequest(ctx, n));
      [provider, providerId] = [r.provider, r.providerCallId];
    } else if (n.channel === 'push') {
      const delivery = payload.push ?? {
        ttlSeconds: ctx.config.escalateSecondaryAfterSeconds,
        urgency: 'normal',
      };
      const r = await deliverPushNotification(ctx, n, delivery);
      [provider, providerId] = [r.provider, r.providerMessageId];
    } else {
      const r = await ctx.messaging.email.send({ to: n.recipient, subject: n.subject ?? '', text: n.body });
      [provider, providerId] = ['smtp', r.providerMessageId];
    }
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const failedAt = isDeliveryError(error) ? error.provider : 'unknown';
    // The last attempt gets no retry: the message fails here and its fallback goes out, rather than the
    // page ending silently in a failed job while the provider stays down.
    const lastAttempt = job !== undefined && job.attempts >= job.max_attempts;
    if (isDeliveryError(error) && (!error.retryable || lastAttempt)) {
      await finalTransaction(ctx, run, async (trx) => {
        await updateNotification(trx, n.id, { status: 'failed', error: message.slice(0, 1000) });
        if (n.engineer_id && (n.channel === 'sms' || n.channel === 'voice') && numberRefused(error)) {
          await markPhoneFailing(trx, n.engineer_id, toDbInstant(ctx.clock.now()));
        }
        // A call the providers cannot place at all (46elks without a recording) leaves the page to the SMS.
        const callImpossible = n.channel === 'voice' && error.code === 'UNSUPPORTED';
        if (payload.fallback && !callImpossible)
          await enqueueMessage(trx, ctx, { dedupeKey: `fallback:${n.id}`, ...payload.fallback });
      });
      messagesSent.inc({ channel: n.channel, provider: failedAt, outcome: 'failed' });
      ctx.logger.warn(
        { notificationId: n.id, channel: n.channel, code: error.code },
        'message not deliverable',
      );
      return;
    }
    messagesSent.inc({ channel: n.channel, provider: failedAt, outcome: 'retrying' });
    await recordFailure(ctx, run, (trx) =>
      updateNotification(trx, n.id, { status: 'retrying', error: message.slice(0, 1000) }),
    );
    throw error;
  }
  // Marked on its own: the worker completes the job after it (see above).
  const sentAtMs = ctx.clock.now();
  await markNotificationSent(ctx.db, n.id, {
    provider,
    providerMessageId: providerId,
    sentAt: toDbInstant(sentAtMs),
  });
  messagesSent.inc({ channel: n.channel, provider, outcome: 'sent' });
  messageQueuedSeconds.observe(
    { channel: n.channel },
    Math.max(0, sentAtMs - fromDbInstant(n.created_at)) / 1000,
  );
};
