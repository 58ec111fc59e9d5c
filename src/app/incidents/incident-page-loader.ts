import type { DbOrTrx } from '../../db/database.js';
import {
  customerNamesOf,
  hostnamesOf,
  listEventsOfIncidents,
  listWorkEntriesOfIncidents,
  type TimelineEventRow,
} from '../../db/repositories/incident-batch.repository.js';
import { listSlaPolicies } from '../../db/repositories/incident.repository.js';
import type { IncidentRow, WorkEntryRow } from '../../db/tables/incident.table.js';
import { deriveIncident } from '../../domain/incidents/derive-incident.js';
import { factsOf, slaTargetsFrom, toDomainEvent, type LoadedIncident } from './incident-state.js';
import { buildIncidentView, type IncidentView } from './incident-view.js';

function groupBy<T>(rows: readonly T[], key: (row: T) => string | null): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const row of rows) {
    const k = key(row);
    if (k === null) continue;
    const group = groups.get(k);
    if (group) group.push(row);
    else groups.set(k, [row]);
  }
  return groups;
}

/**
 * Loads incidents with their timelines, derived status and work in a fixed number of queries whatever
 * the number of rows (timelines, work, policies, customer names, hostnames: five), keeping the rows'
 * order. What a list page and the board use instead of one load per incident.
 */
export async function loadIncidentsOfRows(
  db: DbOrTrx,
  rows: readonly IncidentRow[],
): Promise<LoadedIncident[]> {
  const ids = rows.map((r) => r.id);
  const [eventRows, workRows, policies] = await Promise.all([
    listEventsOfIncidents(db, ids),
    listWorkEntriesOfIncidents(db, ids),
    listSlaPolicies(db),
  ]);
  const events = groupBy<TimelineEventRow>(eventRows, (e) => e.incident_id);
  const work = groupBy<WorkEntryRow>(workRows, (w) => w.incident_id);
  return rows.map((row) => {
    const facts = factsOf(row);
    const targets = slaTargetsFrom(policies, facts.tier, facts.reportedAtMs);
    const timeline = (events.get(row.id) ?? []).map(toDomainEvent);
    return {
      row,
      facts,
      targets,
      events: timeline,
      status: deriveIncident(facts, timeline, targets),
      work: work.get(row.id) ?? [],
    };
  });
}

/** Views of loaded incidents, with customer names and hostnames looked up once for all of them. */
export async function viewsOfLoaded(
  db: DbOrTrx,
  loaded: readonly LoadedIncident[],
  nowMs: number,
): Promise<IncidentView[]> {
  const distinct = (values: Array<string | null>) => [
    ...new Set(values.filter((v): v is string => v !== null)),
  ];
  const [customers, servers] = await Promise.all([
    customerNamesOf(db, distinct(loaded.map((l) => l.row.customer_id))),
    hostnamesOf(db, distinct(loaded.map((l) => l.row.server_id))),
  ]);
  return loaded.map((l) =>
    buildIncidentView(l, nowMs, {
      customerName: l.row.customer_id ? (customers.get(l.row.customer_id) ?? null) : null,
      hostname: l.row.server_id ? (servers.get(l.row.server_id) ?? null) : null,
    }),
  );
}
