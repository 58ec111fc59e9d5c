import type { Kysely } from 'kysely';

/*
 * Incident intake (issue 10): a resolve or acknowledgement whose group has no open incident looks its
 * alert up by (source, fingerprint) wherever an earlier group attached it (findOpenIncidentByAlert). The
 * unique index on incident_alerts starts with incident_id, so that lookup read the whole table.
 * Frozen: never edit, add a new migration.
 */

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Db = Kysely<any>;

export async function up(db: Db): Promise<void> {
  await db.schema
    .createIndex('incident_alerts_source_fp_idx')
    .on('incident_alerts')
    .columns(['source', 'fingerprint'])
    .execute();
}
