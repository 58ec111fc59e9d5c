import { createECDH } from 'node:crypto';
import { appendAudit } from '../../db/repositories/audit.repository.js';
import { fromDbInstant, toDbInstant } from '../../db/instant.js';
import {
  deletePushSubscription,
  findPushSubscription,
  findPushSubscriptionByEndpoint,
  insertPushSubscription,
  listPushSubscriptionsOfUser,
  updatePushSubscription,
  type PushSubscriptionRow,
} from '../../db/repositories/push-subscription.repository.js';
import { formatInstant } from '../../domain/calendar/instant.js';
import { DomainError, type FieldError } from '../../domain/shared/domain-error.js';
import { STAFF_ROLES, type Principal } from '../../domain/shared/roles.js';
import { endpointOrigin } from '../../integrations/push/web-push.js';
import { auditActor, requireRole } from '../access.js';
import type { AppContext } from '../app-context.js';
import { pushRecipientText, pushToSubscription, subscriptionsOf } from './deliver-push.js';

/** What a browser's `PushSubscription.toJSON()` gives, as POSTed by web/src/push/push-subscription.ts. */
export interface PushSubscriptionInput {
  endpoint: string;
  expirationTime?: number | null;
  keys: { p256dh: string; auth: string };
}

export interface PushSubscriptionView {
  id: string;
  endpoint: string;
  /** The push service (e.g. https://fcm.googleapis.com), for a human to tell devices apart. */
  pushService: string;
  userAgent: string | null;
  expiresAt: string | null;
  createdAt: string;
  lastSuccessAt: string | null;
  /** When deliveries to this browser started failing (other than "gone"); null while it works. */
  failingSince: string | null;
  lastError: string | null;
}

const MAX_ENDPOINT_LENGTH = 2048;

function at(text: string | null): string | null {
  return text === null ? null : formatInstant(fromDbInstant(text));
}

export function toPushSubscriptionView(row: PushSubscriptionRow): PushSubscriptionView {
  return {
    id: row.id,
    endpoint: row.endpoint,
    pushService: endpointOrigin(row.endpoint),
    userAgent: row.user_agent,
    expiresAt: at(row.expires_at),
    createdAt: at(row.created_at) as string,
    lastSuccessAt: at(row.last_success_at),
    failingSince: at(row.failing_since),
    lastError: row.last_error,
  };
}

/** Push subscriptions belong to a person's login (a browser session), never to an API token. */
function requireUser(principal: Principal): string {
  requireRole(principal, STAFF_ROLES);
  if (principal.kind !== 'user')
    throw new DomainError('FORBIDDEN', 'push subscriptions belong to a login; use a browser session');
  return principal.id;
}

/** base64url with optional padding → bytes, or undefined when it is not base64url. */
function base64UrlBytes(text: string): Buffer | undefined {
  if (!/^[A-Za-z0-9_-]+={0,2}$/.test(text)) return undefined;
  return Buffer.from(text.replace(/=+$/, ''), 'base64url');
}

/** A point on P-256, as the browser's key must be to encrypt for it (RFC 8291). */
function isP256Point(key: Buffer): boolean {
  if (key.length !== 65 || key[0] !== 4) return false;
  try {
    const ecdh = createECDH('prime256v1');
    ecdh.setPrivateKey(Buffer.alloc(32, 1));
    ecdh.computeSecret(key);
    return true;
  } catch {
    return false;
  }
}

/** Checks the subscription the way a push service will need it; every bad field is named. */
export function validatePushSubscription(input: PushSubscriptionInput): {
  endpoint: string;
  p256dh: string;
  auth: string;
  expiresAtMs: number | null;
} {
  const errors: FieldError[] = [];
  let url: URL | undefined;
  try {
    url = new URL(input.endpoint);
  } catch {
    url = undefined;
  }
  if (!url || url.protocol !== 'https:' || url.username !== '' || url.password !== '')
    errors.push({ path: '/endpoint', message: 'must be an https URL without credentials' });
  else if (input.endpoint.length > MAX_ENDPOINT_LENGTH)
    errors.push({ path: '/endpoint', message: `must be at most ${MAX_ENDPOINT_LENGTH} characters` });
  const p256dh = base64UrlBytes(input.keys.p256dh);
  if (!p256dh || !isP256Point(p256dh))
    errors.push({
      path: '/keys/p256dh',
      message: 'must be an uncompressed P-256 public key, base64url (65 bytes)',
    });
  const auth = base64UrlBytes(input.keys.auth);
  if (!auth || auth.length !== 16)
    errors.push({ path: '/keys/auth', message: 'must be a 16-byte secret, base64url' });
  const expiration = input.expirationTime ?? null;
  if (expiration !== null && (!Number.isSafeInteger(expiration) || expiration <= 0))
    errors.push({ path: '/expirationTime', message: 'must be milliseconds since 1970 or null' });
  const [first] = errors;
  if (first) throw new DomainError('VALIDATION_FAILED', `${first.path}: ${first.message}`, errors);
  return {
    endpoint: input.endpoint,
    p256dh: (p256dh as Buffer).toString('base64url'),
    auth: (auth as Buffer).toString('base64url'),
    expiresAtMs: expiration,
  };
}

/** The VAPID public key browsers subscribe with (`applicationServerKey`). */
export function pushPublicKey(ctx: AppContext, principal: Principal): { publicKey: string } {
  requireRole(principal, STAFF_ROLES);
  return { publicKey: ctx.messaging.push.vapidPublicKey };
}

/**
 * Registers this browser for the user's notifications. Idempotent on the endpoint: the same browser
 * subscribing again refreshes its keys; a browser that another login on the same device had
 * subscribed now notifies this user (the device has one subscription per site).
 */
export async function subscribeToPush(
  ctx: AppContext,
  principal: Principal,
  input: PushSubscriptionInput,
  userAgent: string | null,
): Promise<{ subscription: PushSubscriptionView; created: boolean }> {
  const userId = requireUser(principal);
  const valid = validatePushSubscription(input);
  const nowMs = ctx.clock.now();
  const now = toDbInstant(nowMs);
  const fields = {
    user_id: userId,
    p256dh: valid.p256dh,
    auth: valid.auth,
    user_agent: userAgent?.slice(0, 300) ?? null,
    expires_at: valid.expiresAtMs === null ? null : toDbInstant(valid.expiresAtMs),
    updated_at: now,
  };
  return ctx.db.transaction().execute(async (trx) => {
    const existing = await findPushSubscriptionByEndpoint(trx, valid.endpoint);
    const audit = (action: string, id: string, data: Record<string, unknown>) =>
      appendAudit(trx, {
        atMs: nowMs,
        actor: auditActor(principal),
        action,
        entityType: 'push_subscription',
        entityId: id,
        data: { pushService: endpointOrigin(valid.endpoint), ...data },
      });
    if (existing) {
      const changes = { ...fields, failing_since: null, last_error: null };
      await updatePushSubscription(trx, existing.id, changes);
      if (existing.user_id !== userId)
        await audit('push_subscription.moved', existing.id, { fromUserId: existing.user_id, userId });
      const row = { ...existing, ...changes };
      return { subscription: toPushSubscriptionView(row), created: false };
    }
    const row: PushSubscriptionRow = {
      id: ctx.newId(),
      endpoint: valid.endpoint,
      ...fields,
      created_at: now,
      last_success_at: null,
      failing_since: null,
      last_error: null,
    };
    await insertPushSubscription(trx, row);
    await audit('push_subscription.created', row.id, { userId });
    return { subscription: toPushSubscriptionView(row), created: true };
  });
}

export async function listMyPushSubscriptions(
  ctx: AppContext,
  principal: Principal,
): Promise<PushSubscriptionView[]> {
  const userId = requireUser(principal);
  return (await listPushSubscriptionsOfUser(ctx.db, userId)).map(toPushSubscriptionView);
}

/** Forgets one of the user's browsers; another user's subscription is "not found". */
export async function deleteMyPushSubscription(
  ctx: AppContext,
  principal: Principal,
  id: string,
): Promise<void> {
  const userId = requireUser(principal);
  await ctx.db.transaction().execute(async (trx) => {
    const row = await findPushSubscription(trx, id);
    if (!row || row.user_id !== userId || !(await deletePushSubscription(trx, id)))
      throw new DomainError('NOT_FOUND', 'push subscription not found');
    await appendAudit(trx, {
      atMs: ctx.clock.now(),
      actor: auditActor(principal),
      action: 'push_subscription.removed',
      entityType: 'push_subscription',
      entityId: id,
      data: { userId, reason: 'unsubscribed', pushService: endpointOrigin(row.endpoint) },
    });
  });
}

export interface TestPushResult {
  sent: number;
  failed: number;
  /** Subscriptions the push service said are gone (404/410): deleted. */
  removed: number;
  results: { subscriptionId: string; status: 'sent' | 'failed' | 'removed'; error: string | null }[];
}

/**
 * Sends a test notification to every browser of the user, now rather than through the outbox, so the
 * answer says which devices took it. Gone subscriptions are removed as for any push.
 */
export async function sendTestPush(ctx: AppContext, principal: Principal): Promise<TestPushResult> {
  const userId = requireUser(principal);
  const subscriptions = await subscriptionsOf(ctx, { kind: 'user', id: userId });
  const payload = JSON.stringify({
    title: 'Ballou: testnotis',
    body: 'Pushnotiser fungerar på den här enheten. Larm kommer så här.',
    url: new URL('/', ctx.config.publicUrl).toString(),
    tag: 'ballou-test',
    requireInteraction: false,
  });
  const results: TestPushResult['results'] = [];
  for (const subscription of subscriptions) {
    const outcome = await pushToSubscription(ctx, subscription, payload, {
      ttlSeconds: 60,
      urgency: 'normal',
    });
    results.push({
      subscriptionId: outcome.subscriptionId,
      status: outcome.status,
      error: outcome.status === 'sent' ? null : outcome.error.message,
    });
  }
  await appendAudit(ctx.db, {
    atMs: ctx.clock.now(),
    actor: auditActor(principal),
    action: 'push_subscription.test_sent',
    entityType: 'user',
    entityId: userId,
    data: { recipient: pushRecipientText({ kind: 'user', id: userId }), results: results.length },
  });
  const count = (status: string) => results.filter((r) => r.status === status).length;
  return { sent: count('sent'), failed: count('failed'), removed: count('removed'), results };
}
