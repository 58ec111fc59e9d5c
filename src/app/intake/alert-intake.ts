import type { Trx } from '../../db/database.js';
import { toDbInstant } from '../../db/instant.js';
import {
  findCustomer,
  findCustomerByOrgNumber,
  findServerByHostname,
} from '../../db/repositories/customer.repository.js';
import {
  claimInboundEvent,
  findOpenIncidentFor,
  lockReportKeys,
} from '../../db/repositories/incident.repository.js';
import type { IntegrationRow } from '../../db/repositories/integration.repository.js';
import {
  findOpenIncidentByAlert,
  upsertIncidentAlert,
} from '../../db/repositories/integration.repository.js';
import type { Actor } from '../../domain/incidents/timeline.js';
import { groupAlerts, type NormalizedAlert } from '../../integrations/alerts/normalized-alert.js';
import { requestAutomaticRuns } from '../actions/request-run.js';
import type { AppContext } from '../app-context.js';
import { acknowledgeInTransaction } from '../incidents/incident-commands.js';
import { appendIncidentEvent, loadIncident } from '../incidents/incident-state.js';
import { reportIncident, reportLockKeys } from '../incidents/report-incident.js';

interface Target {
  key: string;
  customerId: string | null;
  serverId: string | null;
}

/**
 * Where an alert belongs (API.md): a server whose hostname is the `server` label or the host of
 * `instance`; else a customer by the `customer` label (id or organisation number); else the
 * integration's customer; else nobody — the desk still gets an incident, it never vanishes.
 */
async function resolveTarget(trx: Trx, integration: IntegrationRow, alert: NormalizedAlert): Promise<Target> {
  for (const hostname of alert.serverCandidates) {
    const server = await findServerByHostname(trx, hostname.toLowerCase());
    if (server) return { key: `server:${server.id}`, customerId: server.customer_id, serverId: server.id };
  }
  if (alert.customerHint) {
    const customer =
      (await findCustomer(trx, alert.customerHint)) ??
      (await findCustomerByOrgNumber(trx, alert.customerHint));
    if (customer) return { key: `customer:${customer.id}`, customerId: customer.id, serverId: null };
  }
  if (integration.customer_id) {
    return {
      key: `customer:${integration.customer_id}`,
      customerId: integration.customer_id,
      serverId: null,
    };
  }
  return { key: 'unmatched', customerId: null, serverId: null };
}

export interface AlertIntakeResult {
  /** Incidents opened or updated by this delivery. */
  incidentIds: string[];
  /** Alerts this delivery carried that were seen before (a sender's retry or repeat). */
  repeats: number;
}

/**
 * Alerts from a monitoring integration. Each alert is taken once (its delivery key, per integration);
 * firing alerts open or join the incident of their group and target (one incident per Alertmanager
 * group per server, or per PagerDuty dedup key); resolves and acknowledgements are recorded on it.
 */
export async function receiveAlerts(
  ctx: AppContext,
  integration: IntegrationRow,
  alerts: readonly NormalizedAlert[],
): Promise<AlertIntakeResult> {
  const actor: Actor = { type: 'integration', id: integration.id, name: integration.name };
  return ctx.db.transaction().execute(async (trx) => {
    const nowMs = ctx.clock.now();
    const targets = new Map<NormalizedAlert, Target>();
    for (const alert of alerts) targets.set(alert, await resolveTarget(trx, integration, alert));
    const incidentIds = new Set<string>();
    let repeats = 0;
    // Two deliveries of overlapping alerts at once (an HA pair of Alertmanagers, a retry) must not
    // deadlock: the alerts are claimed, and then every group's report locks taken, each in sorted order,
    // before any incident is touched.
    const freshKeys = new Set<string>();
    for (const eventKey of [...new Set(alerts.map((a) => a.eventKey))].sort()) {
      const first = await claimInboundEvent(trx, {
        id: ctx.newId(),
        source: `integration:${integration.id}`,
        dedupe_key: eventKey,
        created_at: toDbInstant(nowMs),
      });
      if (first) freshKeys.add(eventKey);
    }
    const groups = groupAlerts(alerts, (a) => (targets.get(a) as Target).key).map((group) => {
      const target = targets.get(group.alerts[0] as NormalizedAlert) as Target;
      const dedupKey = `${integration.id}:${group.incidentKey}`;
      // A key repeated within one delivery counts once; its other copies are repeats like a retry's.
      const fresh = group.alerts.filter((a) => freshKeys.delete(a.eventKey));
      repeats += group.alerts.length - fresh.length;
      return { target, dedupKey, fresh };
    });
    await lockReportKeys(
      trx,
      ctx.dbKind,
      groups
        .filter((g) => g.fresh.length > 0)
        .flatMap((g) =>
          reportLockKeys({
            dedupKey: g.dedupKey,
            ...(g.fresh.some((a) => a.status === 'firing')
              ? { customerId: g.target.customerId, serverId: g.target.serverId }
              : {}),
          }),
        ),
    );
    for (const { target, dedupKey, fresh } of groups) {
      if (fresh.length === 0) continue;
      const firing = fresh.filter((a) => a.status === 'firing');
      let incidentId: string | undefined;
      if (firing.length > 0) {
        const lead = firing[0] as NormalizedAlert;
        const { incident } = await reportIncident(trx, ctx, actor, {
          customerId: target.customerId,
          serverId: target.serverId,
          summary:
            firing.length === 1 ? lead.summary : `${lead.alertName}: ${firing.length} larm (${lead.summary})`,
          reportedAtMs: nowMs,
          channel: 'alert',
          dedupKey,
          locksHeld: true, // taken above with every other group's, in one sorted order
          details: {
            source: lead.source,
            alerts: firing
              .slice(0, 20)
              .map((a) => ({ name: a.alertName, severity: a.severity, key: a.problemKey })),
          },
        });
        incidentId = incident.row.id;
      } else {
        // A resolve or acknowledgement: the incident of its group, or the one its alert joined earlier
        // (a second group for a server with an open incident attaches there).
        incidentId = (await findOpenIncidentFor(trx, { dedupKey }))?.id;
        for (const alert of fresh) {
          incidentId ??= await findOpenIncidentByAlert(trx, alert.source, alert.problemKey);
        }
      }
      if (!incidentId) continue; // a resolve or acknowledgement for a problem that has no open incident
      incidentIds.add(incidentId);
      for (const alert of fresh) {
        await upsertIncidentAlert(trx, {
          id: ctx.newId(),
          incident_id: incidentId,
          source: alert.source,
          fingerprint: alert.problemKey,
          alert_name: alert.alertName,
          status: alert.status,
          summary: alert.summary,
          labels: JSON.stringify(alert.labels),
          starts_at: alert.startsAtMs === null ? null : toDbInstant(alert.startsAtMs),
          ends_at: alert.endsAtMs === null ? null : toDbInstant(alert.endsAtMs),
          created_at: toDbInstant(nowMs),
          updated_at: toDbInstant(nowMs),
        });
      }
      // Pre-authorized actions this alert sets off (decided here, run over SSH in a job).
      if (target.serverId && firing.length > 0) {
        await requestAutomaticRuns(trx, ctx, {
          incidentId,
          serverId: target.serverId,
          integrationId: integration.id,
          alerts: firing.map((a) => ({ alertName: a.alertName, eventKey: a.eventKey })),
        });
      }
      const others = fresh.filter((a) => a.status !== 'firing');
      if (others.some((a) => a.status === 'acknowledged')) {
        await acknowledgeInTransaction(trx, ctx, actor, incidentId, null);
      }
      const resolved = others.filter((a) => a.status === 'resolved');
      if (resolved.length > 0) {
        const loaded = await loadIncident(trx, ctx, incidentId, true);
        await appendIncidentEvent(trx, ctx, loaded, {
          type: 'note',
          atMs: nowMs,
          actor,
          data: {
            text: `${resolved.length} larm har upphört`,
            alertsResolved: resolved.map((a) => a.alertName),
          },
        });
      }
    }
    return { incidentIds: [...incidentIds], repeats };
  });
}
