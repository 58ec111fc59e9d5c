import type { DbOrTrx } from '../../db/database.js';
import { toDbInstant } from '../../db/instant.js';
import { enqueueJobs } from '../../db/repositories/job.repository.js';
import { insertNotifications } from '../../db/repositories/notification.repository.js';
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
  const [queued] = await enqueueMessages(db, ctx, [message]);
  return queued === true;
}

/**
 * Several messages at once (a page's SMS and call): their jobs in one statement and their rows in
 * another, whatever their number. Per message, whether it was queued (false: its dedupe key was used).
 */
export async function enqueueMessages(
  db: DbOrTrx,
  ctx: AppContext,
  messages: readonly OutgoingMessage[],
): Promise<boolean[]> {
  const nowMs = ctx.clock.now();
  const outgoing = messages.map((message) => ({ message, notificationId: ctx.newId(), jobId: ctx.newId() }));
  const queued = await enqueueJobs(
    db,
    outgoing.map(({ message, notificationId, jobId }) => ({
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
    })),
    nowMs,
  );
  await insertNotifications(
    db,
    outgoing
      .filter(({ jobId }) => queued.has(jobId))
      .map(({ message, notificationId, jobId }) => ({
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
      })),
  );
  return outgoing.map(({ jobId }) => queued.has(jobId));
}
