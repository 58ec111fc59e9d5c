import { AlertPayloadError } from '../../integrations/alerts/alert-payload-error.js';
import { parseAlertmanagerAlerts } from '../../integrations/alerts/alertmanager.js';
import { parseGenericAlert } from '../../integrations/alerts/generic.js';
import {
  parsePagerDutyAlert,
  pagerDutyInvalidEventBody,
  pagerDutySuccessBody,
} from '../../integrations/alerts/pagerduty.js';
import type { AppContext } from '../app-context.js';
import { receiveAlerts } from './alert-intake.js';
import { authenticateIntegration } from './integrations.js';

export type AlertWebhookAnswer =
  | { kind: 'json'; status: number; body: unknown }
  | {
      kind: 'refused';
      status: 400 | 401;
      code: string;
      detail: string;
      errors?: { path: string; message: string }[];
    };

/** A payload the parser refused: 400 naming every bad field. */
function refusedPayload(error: AlertPayloadError): AlertWebhookAnswer {
  return {
    kind: 'refused',
    status: 400,
    code: 'VALIDATION_FAILED',
    detail: error.message,
    errors: error.errors,
  };
}

function bearer(header: string | string[] | undefined): string | undefined {
  const m = typeof header === 'string' ? /^Bearer\s+(\S+)$/i.exec(header) : null;
  return m?.[1];
}

/**
 * Prometheus Alertmanager (webhook v4), authenticated by the integration's bearer token. Answers 200 once
 * the alerts are stored (Alertmanager retries on 5xx, so a storage failure is a 5xx and nothing is lost).
 */
export async function answerAlertmanager(
  ctx: AppContext,
  request: { headers: Record<string, string | string[] | undefined>; body: unknown },
): Promise<AlertWebhookAnswer> {
  const integration = await authenticateIntegration(ctx, bearer(request.headers.authorization), [
    'alertmanager',
    'generic',
  ]);
  if (!integration)
    return {
      kind: 'refused',
      status: 401,
      code: 'UNAUTHENTICATED',
      detail: 'unknown or revoked integration token',
    };
  let alerts;
  try {
    alerts = parseAlertmanagerAlerts(request.body).alerts;
  } catch (error) {
    if (error instanceof AlertPayloadError) return refusedPayload(error);
    throw error;
  }
  const result = await receiveAlerts(ctx, integration, alerts);
  return {
    kind: 'json',
    status: 200,
    body: { status: 'ok', incidents: result.incidentIds.length, repeats: result.repeats },
  };
}

/** PagerDuty Events API v2: the routing key is the integration token; answers as PagerDuty does (202). */
export async function answerPagerDuty(ctx: AppContext, body: unknown): Promise<AlertWebhookAnswer> {
  let parsed;
  try {
    parsed = parsePagerDutyAlert(body);
  } catch (error) {
    if (error instanceof AlertPayloadError)
      return { kind: 'json', status: 400, body: pagerDutyInvalidEventBody(error) };
    throw error;
  }
  const integration = await authenticateIntegration(ctx, parsed.event.routing_key, ['pagerduty']);
  if (!integration) {
    return {
      kind: 'json',
      status: 400,
      body: { status: 'invalid event', message: 'Event object is invalid', errors: ['Invalid routing key'] },
    };
  }
  await receiveAlerts(ctx, integration, [parsed.alert]);
  return { kind: 'json', status: 202, body: pagerDutySuccessBody(parsed.alert.problemKey) };
}

/** Generic JSON, Zabbix or Uptime Kuma webhooks with the integration's bearer token. */
export async function answerGenericAlert(
  ctx: AppContext,
  request: { headers: Record<string, string | string[] | undefined>; body: unknown },
): Promise<AlertWebhookAnswer> {
  const integration = await authenticateIntegration(ctx, bearer(request.headers.authorization), ['generic']);
  if (!integration)
    return {
      kind: 'refused',
      status: 401,
      code: 'UNAUTHENTICATED',
      detail: 'unknown or revoked integration token',
    };
  let parsed;
  try {
    const deliveryId = request.headers['webhook-id'];
    parsed = parseGenericAlert(request.body, typeof deliveryId === 'string' ? { deliveryId } : {});
  } catch (error) {
    if (error instanceof AlertPayloadError) return refusedPayload(error);
    throw error;
  }
  if (!parsed.alert)
    return {
      kind: 'json',
      status: 200,
      body: { status: 'ignored', reason: parsed.ignored ?? 'not an alert' },
    };
  const result = await receiveAlerts(ctx, integration, [parsed.alert]);
  return { kind: 'json', status: 200, body: { status: 'ok', incidents: result.incidentIds.length } };
}
