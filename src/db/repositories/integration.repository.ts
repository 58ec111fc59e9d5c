import type { Selectable } from 'kysely';
import type { DbOrTrx } from '../database.js';
import { columnsOf, precompiled, precompiledInsert } from './precompiled.js';
import type { IntegrationsTable } from '../tables/auth.table.js';
import type { IncidentAlertRow } from '../tables/incident.table.js';

export type IntegrationRow = Selectable<IntegrationsTable>;

export async function insertIntegration(db: DbOrTrx, row: IntegrationRow): Promise<void> {
  await db.insertInto('integrations').values(row).execute();
}

const integrationByHash = precompiled<[string]>(1, (db, tokenHash) =>
  db.selectFrom('integrations').selectAll().where('token_hash', '=', tokenHash),
);

/** The integration of a webhook token's hash (every alert delivery asks). */
export async function findIntegrationByHash(
  db: DbOrTrx,
  tokenHash: string,
): Promise<IntegrationRow | undefined> {
  return (await integrationByHash<IntegrationRow>(db, tokenHash)).rows[0];
}

export async function listIntegrations(db: DbOrTrx): Promise<IntegrationRow[]> {
  return db.selectFrom('integrations').selectAll().orderBy('created_at').execute();
}

export async function revokeIntegrationRow(db: DbOrTrx, id: string, at: string): Promise<number> {
  const res = await db
    .updateTable('integrations')
    .set({ revoked_at: at })
    .where('id', '=', id)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return Number(res.numUpdatedRows);
}

const ALERT_COLUMNS = columnsOf<IncidentAlertRow>({
  id: true,
  incident_id: true,
  source: true,
  fingerprint: true,
  alert_name: true,
  status: true,
  summary: true,
  labels: true,
  starts_at: true,
  ends_at: true,
  created_at: true,
  updated_at: true,
});

/** Records an alert's latest status on its incident (one row per fingerprint). */
export const upsertIncidentAlert = precompiledInsert<IncidentAlertRow, 'incident_alerts'>(
  'incident_alerts',
  ALERT_COLUMNS,
  (insert, row) =>
    insert.onConflict((oc) =>
      oc.columns(['incident_id', 'source', 'fingerprint']).doUpdateSet({
        status: row.status,
        summary: row.summary,
        ends_at: row.ends_at,
        updated_at: row.updated_at,
      }),
    ),
);

export async function listIncidentAlerts(db: DbOrTrx, incidentId: string): Promise<IncidentAlertRow[]> {
  return db
    .selectFrom('incident_alerts')
    .selectAll()
    .where('incident_id', '=', incidentId)
    .orderBy('created_at')
    .execute();
}

/** The open incident that carries an alert (by its fingerprint), wherever its group attached it. */
export async function findOpenIncidentByAlert(
  db: DbOrTrx,
  source: string,
  fingerprint: string,
): Promise<string | undefined> {
  const row = await db
    .selectFrom('incident_alerts')
    .innerJoin('incidents', 'incidents.id', 'incident_alerts.incident_id')
    .select('incidents.id as id')
    .where('incident_alerts.source', '=', source)
    .where('incident_alerts.fingerprint', '=', fingerprint)
    .where('incidents.state', 'in', ['open', 'acknowledged', 'in_progress'])
    .orderBy('incidents.reported_at', 'desc')
    .executeTakeFirst();
  return row?.id;
}
