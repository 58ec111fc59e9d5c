import type { DbOrTrx } from '../../db/database.js';
import { toDbInstant } from '../../db/instant.js';
import { listLivePushSubscriptions } from '../../db/repositories/push-subscription.repository.js';
import { pushTopic } from '../../integrations/push/web-push.js';
import type { AppContext } from '../app-context.js';
import type { IncidentTimeline } from '../incidents/incident-state.js';
import { enqueueMessage } from '../messaging/enqueue-message.js';
import { pageHeadline, type PageFacts } from '../incidents/page-wording.js';
import { pushRecipientText, type PushDelivery } from './deliver-push.js';

/** What the service worker (web/public/sw.js) gets for a page: it shows it and acknowledges from it. */
export interface PagePushPayload {
  title: string;
  /** Customer, tier, server, summary and the call-back deadline, as the page SMS says them. */
  body: string;
  incidentId: string;
  ref: string;
  /** Opened when the notification is tapped. */
  url: string;
  /** The one-time acknowledge link of this page (`/l/<token>`); the "Kvittera" action POSTs it. */
  ackUrl: string;
  /** A newer notification of the same incident replaces the older one on the device. */
  tag: string;
  /** Stays on screen until the engineer acts. */
  requireInteraction: true;
}

/** The names a page shows, read once by the escalation step for all its channels. */
export type PageNames = Pick<PageFacts, 'customerName' | 'hostname'>;

export interface PagePushFacts extends PageFacts {
  incidentId: string;
  ref: string;
  step: number;
  url: string;
  ackUrl: string;
}

/** The payload of a page by push (pure: everything it says is passed in). */
export function buildPagePushPayload(facts: PagePushFacts): PagePushPayload {
  const body = pageHeadline(facts);
  return {
    title: facts.step === 0 ? `${facts.ref}: nytt ärende` : `${facts.ref}: ej kvitterat, påminnelse`,
    body,
    incidentId: facts.incidentId,
    ref: facts.ref,
    url: facts.url,
    ackUrl: facts.ackUrl,
    tag: `incident-${facts.incidentId}`,
    requireInteraction: true,
  };
}

/**
 * A page is urgent and short-lived: the push service keeps it only until the next escalation step
 * would page again (never the library's 4-week default), and a newer page of the same incident replaces
 * an undelivered older one (Topic).
 */
export function pagePushDelivery(ctx: AppContext, incidentId: string): PushDelivery {
  return {
    ttlSeconds: ctx.config.escalateSecondaryAfterSeconds,
    urgency: 'high',
    topic: pushTopic(incidentId),
  };
}

/**
 * Queues the page by push to an engineer who has subscribed a browser, beside (never instead of) the SMS
 * and the call: push is the fastest channel, SMS the reliable one, so the push has no fallback of its
 * own. Returns false when the engineer has no live subscription (or this page was queued before).
 */
export async function enqueuePagePush(
  db: DbOrTrx,
  ctx: AppContext,
  page: { loaded: IncidentTimeline; names: PageNames; step: number; engineerId: string; ackUrl: string },
): Promise<boolean> {
  const { loaded, names, step, engineerId, ackUrl } = page;
  const nowIso = toDbInstant(ctx.clock.now());
  if ((await listLivePushSubscriptions(db, { engineerId }, nowIso)).length === 0) return false;
  const payload = buildPagePushPayload({
    incidentId: loaded.row.id,
    ref: loaded.row.ref,
    step,
    ...names,
    callerNumber: loaded.row.caller_number,
    tier: loaded.facts.tier,
    summary: loaded.row.summary,
    responseDueMs: loaded.status.responseDueMs,
    url: ackUrl,
    ackUrl,
  });
  return enqueueMessage(db, ctx, {
    channel: 'push',
    to: pushRecipientText({ kind: 'engineer', id: engineerId }),
    subject: payload.title,
    body: JSON.stringify(payload),
    engineerId,
    incidentId: loaded.row.id,
    dedupeKey: `page:${loaded.row.id}:${step}:${engineerId}:push`,
    push: pagePushDelivery(ctx, loaded.row.id),
  });
}
