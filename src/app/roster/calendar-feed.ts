import { appendAudit } from '../../db/repositories/audit.repository.js';
import {
  findFeedTokenByHash,
  insertFeedToken,
  listFeedTokens,
  revokeFeedToken as revokeFeedTokenRow,
} from '../../db/repositories/roster.repository.js';
import { toDbInstant } from '../../db/instant.js';
import { shiftsIn } from '../../domain/oncall/resolve.js';
import type { ShiftSegment } from '../../domain/oncall/roster.js';
import { DomainError } from '../../domain/shared/domain-error.js';
import { STAFF_ROLES, type Principal } from '../../domain/shared/roles.js';
import { renderCalendar } from '../../integrations/ical/render-calendar.js';
import { auditActor, requireRole } from '../access.js';
import type { AppContext } from '../app-context.js';
import { generateSecret, hashSecret } from '../auth/secrets.js';
import { engineerNames, loadRosterAndEngineers } from './roster-data.js';
import { assertEngineersExist } from './rotations.js';

const DAY_MS = 86_400_000;
/** A feed shows the last month and the next six: what a phone calendar needs, bounded work per fetch. */
const FEED_PAST_MS = 31 * DAY_MS;
const FEED_FUTURE_MS = 183 * DAY_MS;

/**
 * The roster as an iCalendar feed: every shift of both roles, or one engineer's shifts. The event UIDs
 * are stable, so a subscribed phone updates its events when the roster changes instead of duplicating.
 */
export async function renderRosterFeed(ctx: AppContext, engineerId: string | null): Promise<string> {
  const nowMs = ctx.clock.now();
  const fromMs = nowMs - FEED_PAST_MS;
  const toMs = nowMs + FEED_FUTURE_MS;
  const { roster, engineers } = await loadRosterAndEngineers(ctx.db, fromMs, toMs);
  const names = engineerNames(engineers);
  if (engineerId !== null && !names.has(engineerId))
    throw new DomainError('ENGINEER_NOT_FOUND', 'engineer not found');
  const shifts = shiftsIn(roster, fromMs, toMs);
  // The window cuts the first and last shift; a calendar should show them whole.
  const whole = (segments: ShiftSegment[]): ShiftSegment[] =>
    segments.map((s) => ({
      ...s,
      startMs:
        s.startMs === fromMs && s.shiftStartMs !== undefined
          ? Math.min(s.startMs, s.shiftStartMs)
          : s.startMs,
      endMs: s.endMs === toMs && s.shiftEndMs !== undefined ? Math.max(s.endMs, s.shiftEndMs) : s.endMs,
    }));
  const segments = [...whole(shifts.primary), ...whole(shifts.secondary)].filter(
    (s) => s.engineerId !== null && (engineerId === null || s.engineerId === engineerId),
  );
  return renderCalendar({
    name: engineerId ? `Jour – ${names.get(engineerId)}` : 'Jour – Ballou',
    segments,
    engineers: names,
    nowMs,
    uidDomain: new URL(ctx.config.publicUrl).hostname,
  });
}

/**
 * Decides whose feed a request may read: a feed token (phones cannot log in) gives its engineer's feed
 * or the whole roster; otherwise a staff principal may read any. Unknown and revoked tokens are refused.
 */
export async function authorizeFeed(
  ctx: AppContext,
  principal: Principal | null,
  token: string | undefined,
  engineerId: string | undefined,
): Promise<string | null> {
  if (token) {
    const row = await findFeedTokenByHash(ctx.db, hashSecret(token));
    if (!row || row.revoked_at)
      throw new DomainError('UNAUTHENTICATED', 'this calendar link is unknown or revoked');
    if (row.engineer_id && engineerId && engineerId !== row.engineer_id) {
      throw new DomainError('FORBIDDEN', "this calendar link is for another engineer's shifts");
    }
    return row.engineer_id ?? engineerId ?? null;
  }
  if (!principal) throw new DomainError('UNAUTHENTICATED', 'log in, or use a calendar link with its token');
  requireRole(principal, STAFF_ROLES);
  return engineerId ?? null;
}

export interface FeedTokenView {
  id: string;
  engineerId: string | null;
  createdAt: string;
  revokedAt: string | null;
}

/** A secret calendar link for a phone; managers make any, an engineer their own. Shown once. */
export async function createFeedToken(
  ctx: AppContext,
  principal: Principal,
  engineerId: string | null,
): Promise<FeedTokenView & { token: string; url: string }> {
  requireRole(principal, ['admin', 'manager', 'engineer']);
  if (principal.role === 'engineer' && (engineerId === null || principal.engineerId !== engineerId)) {
    throw new DomainError('FORBIDDEN', 'an engineer can only make a calendar link for their own shifts');
  }
  const token = generateSecret('cal');
  const nowMs = ctx.clock.now();
  const id = ctx.newId();
  await ctx.db.transaction().execute(async (trx) => {
    if (engineerId) await assertEngineersExist(trx, [engineerId], '/engineerId');
    await insertFeedToken(trx, {
      id,
      engineer_id: engineerId,
      token_hash: hashSecret(token),
      created_at: toDbInstant(nowMs),
    });
    await appendAudit(trx, {
      atMs: nowMs,
      actor: auditActor(principal),
      action: 'calendar_feed.created',
      entityType: 'calendar_feed_token',
      entityId: id,
      data: { engineerId },
    });
  });
  const url = new URL('/api/v1/oncall/calendar.ics', ctx.config.publicUrl);
  url.searchParams.set('token', token);
  return { id, engineerId, createdAt: toDbInstant(nowMs), revokedAt: null, token, url: url.toString() };
}

export async function listCalendarFeeds(ctx: AppContext, principal: Principal): Promise<FeedTokenView[]> {
  requireRole(principal, ['admin', 'manager', 'engineer']);
  const rows = await listFeedTokens(ctx.db);
  return rows
    .filter((r) => principal.role !== 'engineer' || r.engineer_id === principal.engineerId)
    .map((r) => ({ id: r.id, engineerId: r.engineer_id, createdAt: r.created_at, revokedAt: r.revoked_at }));
}

/** Revokes a calendar link at once (a lost phone). */
export async function revokeCalendarFeed(ctx: AppContext, principal: Principal, id: string): Promise<void> {
  const feeds = await listCalendarFeeds(ctx, principal);
  const feed = feeds.find((f) => f.id === id);
  if (!feed) throw new DomainError('NOT_FOUND', 'calendar link not found');
  const nowMs = ctx.clock.now();
  await ctx.db.transaction().execute(async (trx) => {
    if ((await revokeFeedTokenRow(trx, id, toDbInstant(nowMs))) === 0) return;
    await appendAudit(trx, {
      atMs: nowMs,
      actor: auditActor(principal),
      action: 'calendar_feed.revoked',
      entityType: 'calendar_feed_token',
      entityId: id,
    });
  });
}
