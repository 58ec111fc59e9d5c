import { Migrator, type Migration, type MigrationProvider, type MigrationResultSet } from 'kysely';
import type { Db } from './database.js';
import * as initialSchema from './migrations/2026-11-28T1400-initial-schema.js';
import * as rosterSwaps from './migrations/2026-11-28T1500-roster-swaps.js';
import * as incidentDesk from './migrations/2026-11-28T1600-incident-desk.js';
import * as webPush from './migrations/2026-11-28T1700-web-push.js';
import * as deliveryReceipts from './migrations/2026-11-28T1710-delivery-receipts.js';
import * as actions from './migrations/2026-11-28T1800-actions.js';
import * as billing from './migrations/2026-11-28T1900-billing.js';
import * as webAccounts from './migrations/2026-11-28T2000-web-accounts.js';
import * as incidentChangeFeed from './migrations/2026-11-28T2100-incident-change-feed.js';
import * as incidentListIndexes from './migrations/2026-11-29T0100-incident-list-indexes.js';
import * as jobClaimIndex from './migrations/2026-11-29T0200-job-claim-index.js';
import * as intakeIndexes from './migrations/2026-11-29T0210-intake-indexes.js';
import * as invoiceLinesInsertCheck from './migrations/2026-11-29T0300-invoice-lines-insert-check-per-statement.js';
import * as auditLogReadingIndexes from './migrations/2026-11-30T0100-audit-log-reading-indexes.js';

// Listed statically (not read from the file system) so the built server and the tests run the same set.
const MIGRATIONS: Record<string, Migration> = {
  '2026-11-28T1400-initial-schema': initialSchema,
  '2026-11-28T1500-roster-swaps': rosterSwaps,
  '2026-11-28T1600-incident-desk': incidentDesk,
  '2026-11-28T1700-web-push': webPush,
  '2026-11-28T1710-delivery-receipts': deliveryReceipts,
  '2026-11-28T1800-actions': actions,
  '2026-11-28T1900-billing': billing,
  '2026-11-28T2000-web-accounts': webAccounts,
  '2026-11-28T2100-incident-change-feed': incidentChangeFeed,
  '2026-11-29T0100-incident-list-indexes': incidentListIndexes,
  '2026-11-29T0200-job-claim-index': jobClaimIndex,
  '2026-11-29T0210-intake-indexes': intakeIndexes,
  '2026-11-29T0300-invoice-lines-insert-check-per-statement': invoiceLinesInsertCheck,
  '2026-11-30T0100-audit-log-reading-indexes': auditLogReadingIndexes,
};

const provider: MigrationProvider = { getMigrations: async () => MIGRATIONS };

/** Brings the schema up to date; safe to run on every start and from several nodes at once. */
export async function migrateToLatest(db: Db): Promise<MigrationResultSet> {
  const migrator = new Migrator({ db, provider });
  const result = await migrator.migrateToLatest();
  if (result.error) {
    const failed = result.results?.find((r) => r.status === 'Error');
    const reason = result.error instanceof Error ? result.error.message : String(result.error);
    throw new Error(`migration ${failed?.migrationName ?? '(unknown)'} failed: ${reason}`);
  }
  return result;
}
