import { toDbInstant } from '../../db/instant.js';
import { findJob } from '../../db/repositories/job.repository.js';
import {
  lockNotificationForReport,
  updateNotification,
  type NotificationRow,
} from '../../db/repositories/notification.repository.js';
import type { Trx } from '../../db/database.js';
import {
  deliveryAdvances,
  deliveryFailed,
  deliveryIsFinal,
  deliveryStateOf,
  isDeliveryState,
  type DeliveryState,
  type ReportedChannel,
} from '../../domain/messaging/delivery.js';
import type { TelephonyProvider } from '../../integrations/messaging.js';
import type { AppContext } from '../app-context.js';
import { appendIncidentEvent, loadIncident } from '../incidents/incident-state.js';
import { onceOnly } from '../intake/inbound-once.js';
import { enqueueMessage, type FallbackMessage } from './enqueue-message.js';

/** A provider's report on a message we sent: an SMS delivery report or a call's final status. */
export interface DeliveryReport {
  provider: TelephonyProvider;
  channel: ReportedChannel;
  /** 46elks `id`, Twilio `MessageSid` / `CallSid`. */
  providerMessageId: string;
  /** Our notification id, from the callback URL we gave the provider (when it carried one). */
  notificationId?: string | undefined;
  /** The provider's own word (`delivered`, `undelivered`, `no-answer`, `success` …). */
  providerStatus: string;
  /** The provider's time of the event, when it sent one. */
  providerAtMs?: number | undefined;
  /** Twilio's `ErrorCode`, when it sent one. */
  errorCode?: string | undefined;
}

export type DeliveryReportOutcome =
  { result: 'recorded'; state: DeliveryState; fallbackQueued: boolean } | { result: 'ignored' | 'unknown' };

/**
 * Records what the provider says became of a message, once per (provider id, status): the state on the
 * notification (never going back: a late `sent` does not undo `delivered`), a `page_delivery` line on
 * the incident's timeline for a page, and, when a page was not delivered or its call not answered, the
 * message's fallback (the page e-mail) at once. The fallback has its own dedupe key, so however often
 * and in whatever order reports come, it goes out once. An unknown id changes nothing.
 */
export async function recordDeliveryReport(
  ctx: AppContext,
  report: DeliveryReport,
): Promise<DeliveryReportOutcome> {
  return ctx.db.transaction().execute((trx) =>
    onceOnly(
      trx,
      ctx,
      {
        source: `${report.provider}:${report.channel}-report`,
        key: `${report.providerMessageId}:${report.providerStatus.toLowerCase()}`,
      },
      () => applyReport(trx, ctx, report),
    ),
  );
}

async function applyReport(
  trx: Trx,
  ctx: AppContext,
  report: DeliveryReport,
): Promise<DeliveryReportOutcome> {
  const state = deliveryStateOf(report.channel, report.providerStatus);
  if (state === null) return { result: 'ignored' };
  const n =
    (report.notificationId === undefined
      ? undefined
      : await lockNotificationForReport(trx, ctx.dbKind, { id: report.notificationId })) ??
    (await lockNotificationForReport(trx, ctx.dbKind, {
      provider: report.provider,
      providerMessageId: report.providerMessageId,
    }));
  if (!n || n.channel !== report.channel) return { result: 'unknown' };
  const current = isDeliveryState(n.delivery_status) ? n.delivery_status : null;
  if (!deliveryAdvances(current, state)) return { result: 'ignored' };

  const nowMs = ctx.clock.now();
  const atMs = report.providerAtMs ?? nowMs;
  const failed = deliveryFailed(state);
  await updateNotification(trx, n.id, {
    delivery_status: state,
    delivery_at: toDbInstant(atMs),
    delivery_error: failed ? (report.errorCode ?? report.providerStatus) : null,
    ...(state === 'delivered' || state === 'answered' ? { confirmed_at: toDbInstant(nowMs) } : {}),
    // A report may come before the sender stored the provider's id.
    ...(n.provider_message_id === null
      ? { provider: report.provider, provider_message_id: report.providerMessageId }
      : {}),
  });

  let stillOpen = true;
  if (n.incident_id !== null) {
    const loaded = await loadIncident(trx, ctx, n.incident_id, true);
    stillOpen = loaded.status.acknowledgedAtMs === null && loaded.status.resolvedAtMs === null;
    if (n.engineer_id !== null && deliveryIsFinal(state)) {
      await appendIncidentEvent(trx, ctx, loaded, {
        type: 'page_delivery',
        atMs,
        actor: { type: 'integration', id: null, name: report.provider },
        data: {
          notificationId: n.id,
          engineerId: n.engineer_id,
          channel: report.channel,
          status: state,
          provider: report.provider,
        },
      });
    }
  }

  let fallbackQueued = false;
  // Once someone has taken the incident, an unanswered page to another engineer needs no e-mail.
  if (failed && stillOpen) {
    const fallback = await fallbackOf(trx, n);
    if (fallback)
      fallbackQueued = await enqueueMessage(trx, ctx, { dedupeKey: `fallback:${n.id}`, ...fallback });
  }
  if (failed)
    ctx.logger.warn(
      { notificationId: n.id, channel: n.channel, provider: report.provider, status: report.providerStatus },
      fallbackQueued ? 'message not delivered; fallback queued' : 'message not delivered',
    );
  return { result: 'recorded', state, fallbackQueued };
}

/** The fallback the message was queued with (kept in its send job's payload). */
async function fallbackOf(trx: Trx, n: NotificationRow): Promise<FallbackMessage | null> {
  if (n.job_id === null) return null;
  const job = await findJob(trx, n.job_id);
  if (!job) return null;
  const payload = JSON.parse(job.payload) as { fallback?: FallbackMessage | null };
  return payload.fallback ?? null;
}
