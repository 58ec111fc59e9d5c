import type { DbOrTrx } from '../../db/database.js';
import { toDbInstant } from '../../db/instant.js';
import { enqueueJob } from '../../db/repositories/job.repository.js';
import { insertNotification } from '../../db/repositories/notification.repository.js';
import type { AppContext } from '../app-context.js';
import type { PushDelivery } from '../push/deliver-push.js';

export type MessageChannel = 'sms' | 'email' | 'voice' | 'push';

export interface OutgoingMessage {
  channel: MessageChannel;
  /** E.164 number for sms/voice, e-mail address for email, `engineer:<id>` or `user:<id>` for push. */
  to: string;
  subject?: string;
  body: string;
  engineerId?: string | null;
  incidentId?: string | null;
  /** Sends the message at most once per key (e.g. `shift-reminder:<shift key>`). */
  dedupeKey?: string;
  /** When to send; now when omitted. */
  dueAtMs?: number;
  /** If the message cannot be delivered on its channel, send this one instead (e.g. SMS → e-mail). */
  fallback?: FallbackMessage | undefined;
  /** Push only: TTL, urgency and topic (the body is the JSON payload for the service worker). */
  push?: PushDelivery;
}

/**
 * A message's fallback. Its own dedupe key, if any, lets several messages share one fallback (a page's
 * SMS and call fall back to the same e-mail); without one it is sent at most once per message.
 */
export type FallbackMessage = Omit<OutgoingMessage, 'fallback' | 'dueAtMs'>;

export const SEND_MESSAGE_JOB = 'message.send';

/**
 * Puts a message in the outbox inside the caller's transaction: a notifications row (what is to be
 * said, to whom) and a job that sends it. Committed together with the change that caused it, so a
 * crash can neither lose the message nor send one for a change that was rolled back. Returns false
 * when a message with the same dedupe key was queued before.
 */
export async function enqueueMessage(
  db: DbOrTrx,
  ctx: AppContext,
  message: OutgoingMessage,
): Promise<boolean> {
  const nowMs = ctx.clock.now();
  const notificationId = ctx.newId();
  const jobId = ctx.newId();
  const queued = await enqueueJob(
    db,
    {
      id: jobId,
      kind: SEND_MESSAGE_JOB,
      payload: {
        notificationId,
        fallback: message.fallback ?? null,
        ...(message.push ? { push: message.push } : {}),
      },
      dueAtMs: message.dueAtMs ?? nowMs,
      ...(message.dedupeKey ? { dedupeKey: message.dedupeKey } : {}),
      maxAttempts: 8,
    },
    nowMs,
  );
  if (!queued) return false;
  await insertNotification(db, {
    id: notificationId,
    job_id: jobId,
    incident_id: message.incidentId ?? null,
    engineer_id: message.engineerId ?? null,
    channel: message.channel,
    provider: null,
    recipient: message.to,
    subject: message.subject ?? null,
    body: message.body,
    status: 'queued',
    provider_message_id: null,
    error: null,
    created_at: toDbInstant(nowMs),
    sent_at: null,
    confirmed_at: null,
  });
  return true;
}
