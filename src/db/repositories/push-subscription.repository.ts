import type { DbOrTrx } from '../database.js';
import type { PushSubscriptionRow } from '../tables/push.table.js';
import { precompiled } from './precompiled.js';

export type { PushSubscriptionRow };

export async function findPushSubscriptionByEndpoint(
  db: DbOrTrx,
  endpoint: string,
): Promise<PushSubscriptionRow | undefined> {
  return db.selectFrom('push_subscriptions').selectAll().where('endpoint', '=', endpoint).executeTakeFirst();
}

export async function findPushSubscription(
  db: DbOrTrx,
  id: string,
): Promise<PushSubscriptionRow | undefined> {
  return db.selectFrom('push_subscriptions').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function insertPushSubscription(db: DbOrTrx, row: PushSubscriptionRow): Promise<void> {
  await db.insertInto('push_subscriptions').values(row).execute();
}

export async function updatePushSubscription(
  db: DbOrTrx,
  id: string,
  changes: Partial<Omit<PushSubscriptionRow, 'id' | 'created_at'>>,
): Promise<void> {
  await db.updateTable('push_subscriptions').set(changes).where('id', '=', id).execute();
}

/** Deletes a subscription; returns false when it was already gone (a concurrent delete). */
export async function deletePushSubscription(db: DbOrTrx, id: string): Promise<boolean> {
  const result = await db.deleteFrom('push_subscriptions').where('id', '=', id).executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

export async function listPushSubscriptionsOfUser(
  db: DbOrTrx,
  userId: string,
): Promise<PushSubscriptionRow[]> {
  return db
    .selectFrom('push_subscriptions')
    .selectAll()
    .where('user_id', '=', userId)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
}

/** Live subscriptions: of a user not disabled, not expired at `nowIso`; the owner's condition is added. */
function liveSubscriptions(db: DbOrTrx, nowIso: string) {
  return db
    .selectFrom('push_subscriptions')
    .innerJoin('users', 'users.id', 'push_subscriptions.user_id')
    .selectAll('push_subscriptions')
    .where('users.disabled_at', 'is', null)
    .where((eb) =>
      eb.or([
        eb('push_subscriptions.expires_at', 'is', null),
        eb('push_subscriptions.expires_at', '>', nowIso),
      ]),
    )
    .orderBy('push_subscriptions.created_at')
    .orderBy('push_subscriptions.id');
}

// Precompiled: every escalation step asks it for each engineer it pages.
const liveOfEngineer = precompiled<[string, string]>(2, (db, nowIso, engineerId) =>
  liveSubscriptions(db, nowIso).where('users.engineer_id', '=', engineerId),
);

/**
 * The subscriptions someone can be reached on: those of every enabled login linked to the engineer
 * (users.engineer_id), or of the one login, not past the browser's own expiry.
 */
export async function listLivePushSubscriptions(
  db: DbOrTrx,
  owner: { engineerId: string } | { userId: string },
  nowIso: string,
): Promise<PushSubscriptionRow[]> {
  return 'engineerId' in owner
    ? (await liveOfEngineer<PushSubscriptionRow>(db, nowIso, owner.engineerId)).rows
    : liveSubscriptions(db, nowIso).where('push_subscriptions.user_id', '=', owner.userId).execute();
}
