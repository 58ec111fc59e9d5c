import type { DbOrTrx } from '../database.js';

/** Incidents reported in [from, to) (ISO UTC instants), with their customer's name. */
export async function listReportIncidents(
  db: DbOrTrx,
  q: { from: string; to: string; customerId?: string },
): Promise<
  Array<{
    id: string;
    customer_id: string | null;
    customer_name: string | null;
    tier: string;
    callout: number;
    reported_at: string;
    response_due: string | null;
    action_due: string | null;
  }>
> {
  let query = db
    .selectFrom('incidents')
    .leftJoin('customers', 'customers.id', 'incidents.customer_id')
    .select([
      'incidents.id',
      'incidents.customer_id',
      'customers.name as customer_name',
      'incidents.tier',
      'incidents.callout',
      'incidents.reported_at',
      'incidents.response_due',
      'incidents.action_due',
    ])
    .where('incidents.reported_at', '>=', q.from)
    .where('incidents.reported_at', '<', q.to);
  if (q.customerId) query = query.where('incidents.customer_id', '=', q.customerId);
  return query.orderBy('incidents.reported_at').execute();
}

/** The timeline events that stop or start the SLA clocks, of the incidents reported in [from, to). */
export async function listReportClockEvents(
  db: DbOrTrx,
  q: { from: string; to: string; customerId?: string },
): Promise<Array<{ incident_id: string; type: string; at: string; data: string }>> {
  let query = db
    .selectFrom('incident_events')
    .innerJoin('incidents', 'incidents.id', 'incident_events.incident_id')
    .select([
      'incident_events.incident_id',
      'incident_events.type',
      'incident_events.at',
      'incident_events.data',
    ])
    .where('incident_events.type', 'in', ['called_back', 'consent_recorded', 'work_logged', 'action_run'])
    .where('incidents.reported_at', '>=', q.from)
    .where('incidents.reported_at', '<', q.to);
  if (q.customerId) query = query.where('incidents.customer_id', '=', q.customerId);
  return query.orderBy('incident_events.incident_id').orderBy('incident_events.seq').execute();
}
