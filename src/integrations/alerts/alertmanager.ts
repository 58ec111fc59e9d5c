/**
 * Prometheus Alertmanager webhook v4 (integrations.md A3; prometheus/alertmanager notify/webhook): the
 * body is validated field by field, then each alert is normalised. Grafana-managed alerting sends the same
 * shape with `version: "1"`, `orgId` and a few extra links; it is accepted too.
 */
import { FieldIssues, isRecord, own, pointer } from './alert-payload-error.js';
import {
  candidates,
  compactKey,
  hostOfInstance,
  instantOrNull,
  MAX_KEY_LENGTH,
  normaliseHostname,
  parseDateTime,
  type NormalizedAlert,
} from './normalized-alert.js';
import {
  MAX_NAME_LENGTH,
  optionalText,
  safeLabels,
  safeLinks,
  safeMultilineText,
  safeText,
} from './text-safety.js';

const SOURCE = 'Alertmanager webhook';

/** `version` of Alertmanager's webhook message; Grafana's own notifier sends "1". */
export const ALERTMANAGER_WEBHOOK_VERSION = '4';
const GRAFANA_WEBHOOK_VERSION = '1';

export type AlertmanagerStatus = 'firing' | 'resolved';

export interface AlertmanagerAlert {
  status: AlertmanagerStatus;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  startsAt: string;
  /** `0001-01-01T00:00:00Z` (Go's zero time) when the alert has no end yet; '' when absent. */
  endsAt: string;
  generatorURL: string;
  fingerprint: string;
  startsAtMs: number;
  /** null for Go's zero time or when absent. */
  endsAtMs: number | null;
  /** Grafana's `silenceURL`, `dashboardURL`, `panelURL` when present (unvalidated text). */
  grafanaUrls: string[];
}

export interface AlertmanagerWebhook {
  version: string;
  groupKey: string;
  /** Alerts dropped by `max_alerts`: > 0 means the list is incomplete (never infer "resolved"). */
  truncatedAlerts: number;
  status: AlertmanagerStatus;
  receiver: string;
  groupLabels: Record<string, string>;
  commonLabels: Record<string, string>;
  commonAnnotations: Record<string, string>;
  externalURL: string;
  alerts: AlertmanagerAlert[];
  /** Sent by Grafana-managed alerting (`version` "1" or an `orgId`). */
  grafana: boolean;
}

/**
 * Validates an Alertmanager (or Grafana) webhook body. Throws AlertPayloadError naming every missing or
 * invalid field by JSON Pointer (`/alerts/3/fingerprint`). Required: `version` ("4", or Grafana's "1"),
 * `groupKey`, `status`, `receiver`, `alerts[]` and per alert `status`, `labels`, `startsAt`, `fingerprint`;
 * the other fields are checked when present. Unknown fields are ignored.
 */
export function parseAlertmanagerWebhook(body: unknown): AlertmanagerWebhook {
  const issues = new FieldIssues();
  if (!isRecord(body)) {
    issues.add('/', 'must be a JSON object (an Alertmanager webhook message)');
    issues.throwIfAny(SOURCE);
  }
  const root = body as Record<string, unknown>;

  const version = requiredString(root, 'version', '/', issues);
  if (
    version !== undefined &&
    version !== ALERTMANAGER_WEBHOOK_VERSION &&
    version !== GRAFANA_WEBHOOK_VERSION
  )
    issues.add('/version', `must be "${ALERTMANAGER_WEBHOOK_VERSION}" (Alertmanager webhook v4)`);
  const groupKey = requiredString(root, 'groupKey', '/', issues);
  const status = readStatus(root, '/', issues);
  const receiver = requiredString(root, 'receiver', '/', issues, true);
  const truncatedAlerts = own(root, 'truncatedAlerts');
  if (
    truncatedAlerts !== undefined &&
    !(typeof truncatedAlerts === 'number' && Number.isSafeInteger(truncatedAlerts) && truncatedAlerts >= 0)
  )
    issues.add('/truncatedAlerts', 'must be a whole number ≥ 0');
  const groupLabels = stringMap(root, 'groupLabels', '/', issues);
  const commonLabels = stringMap(root, 'commonLabels', '/', issues);
  const commonAnnotations = stringMap(root, 'commonAnnotations', '/', issues);
  const externalURL = optionalString(root, 'externalURL', '/', issues);

  const rawAlerts = own(root, 'alerts');
  const alerts: AlertmanagerAlert[] = [];
  if (rawAlerts === undefined || rawAlerts === null) issues.add('/alerts', 'is required');
  else if (!Array.isArray(rawAlerts)) issues.add('/alerts', 'must be an array of alerts');
  else
    rawAlerts.forEach((raw: unknown, index) => {
      const alert = readAlert(raw, pointer('/alerts', index), issues);
      if (alert) alerts.push(alert);
    });

  issues.throwIfAny(SOURCE);
  return {
    version: version as string,
    groupKey: groupKey as string,
    truncatedAlerts: (truncatedAlerts as number | undefined) ?? 0,
    status: status as AlertmanagerStatus,
    receiver: receiver as string,
    groupLabels,
    commonLabels,
    commonAnnotations,
    externalURL: externalURL ?? '',
    alerts,
    grafana: version === GRAFANA_WEBHOOK_VERSION || own(root, 'orgId') !== undefined,
  };
}

function readAlert(raw: unknown, path: string, issues: FieldIssues): AlertmanagerAlert | undefined {
  if (!isRecord(raw)) {
    issues.add(path, 'must be an object (an alert)');
    return undefined;
  }
  const before = issues.count;
  const status = readStatus(raw, path, issues);
  const labelsValue = own(raw, 'labels');
  if (labelsValue === undefined || labelsValue === null) issues.add(pointer(path, 'labels'), 'is required');
  const labels = stringMap(raw, 'labels', path, issues);
  const annotations = stringMap(raw, 'annotations', path, issues);
  const startsAt = requiredString(raw, 'startsAt', path, issues);
  const startsAtMs = startsAt === undefined ? undefined : parseDateTime(startsAt);
  if (startsAt !== undefined && startsAtMs === undefined)
    issues.add(pointer(path, 'startsAt'), 'must be an RFC 3339 date-time, e.g. 2026-12-01T19:10:00Z');
  const endsAt = optionalString(raw, 'endsAt', path, issues) ?? '';
  if (endsAt !== '' && parseDateTime(endsAt) === undefined)
    issues.add(pointer(path, 'endsAt'), 'must be an RFC 3339 date-time, e.g. 0001-01-01T00:00:00Z');
  const generatorURL = optionalString(raw, 'generatorURL', path, issues) ?? '';
  const fingerprint = requiredString(raw, 'fingerprint', path, issues);
  if (fingerprint !== undefined && fingerprint.length > MAX_KEY_LENGTH)
    issues.add(pointer(path, 'fingerprint'), `must be at most ${MAX_KEY_LENGTH} characters`);
  if (issues.count > before) return undefined;
  const grafanaUrls = ['silenceURL', 'dashboardURL', 'panelURL']
    .map((key) => own(raw, key))
    .filter((v): v is string => typeof v === 'string' && v !== '');
  return {
    status: status as AlertmanagerStatus,
    labels,
    annotations,
    startsAt: startsAt as string,
    endsAt,
    generatorURL,
    fingerprint: fingerprint as string,
    startsAtMs: startsAtMs as number,
    endsAtMs: instantOrNull(endsAt),
    grafanaUrls,
  };
}

function readStatus(
  record: Record<string, unknown>,
  path: string,
  issues: FieldIssues,
): AlertmanagerStatus | undefined {
  const value = own(record, 'status');
  if (value === undefined || value === null) issues.add(pointer(path, 'status'), 'is required');
  else if (value !== 'firing' && value !== 'resolved')
    issues.add(pointer(path, 'status'), 'must be "firing" or "resolved"');
  else return value;
  return undefined;
}

function requiredString(
  record: Record<string, unknown>,
  key: string,
  path: string,
  issues: FieldIssues,
  allowEmpty = false,
): string | undefined {
  const value = own(record, key);
  const at = pointer(path, key);
  if (value === undefined || value === null) issues.add(at, 'is required');
  else if (typeof value !== 'string') issues.add(at, 'must be a string');
  else if (!allowEmpty && value.trim() === '') issues.add(at, 'must not be empty');
  else return value;
  return undefined;
}

function optionalString(
  record: Record<string, unknown>,
  key: string,
  path: string,
  issues: FieldIssues,
): string | undefined {
  const value = own(record, key);
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') {
    issues.add(pointer(path, key), 'must be a string');
    return undefined;
  }
  return value;
}

/** An object of string values (labels, annotations); `{}` when absent, problems per entry. */
function stringMap(
  record: Record<string, unknown>,
  key: string,
  path: string,
  issues: FieldIssues,
): Record<string, string> {
  const value = own(record, key);
  const at = pointer(path, key);
  if (value === undefined || value === null) return {};
  if (!isRecord(value)) {
    issues.add(at, 'must be an object of strings');
    return {};
  }
  const entries: [string, string][] = [];
  for (const [name, v] of Object.entries(value)) {
    if (typeof v === 'string') entries.push([name, v]);
    else issues.add(pointer(at, name), 'must be a string');
  }
  return Object.fromEntries(entries);
}

/** The first non-blank string among the values. */
function firstText(...values: (string | undefined)[]): string | undefined {
  return values.find((v) => v !== undefined && v.trim() !== '');
}

/**
 * One NormalizedAlert per alert of a validated webhook, in order. problemKey = `fingerprint`; eventKey =
 * fingerprint + startsAt + status (a repeat or an HA duplicate of the same state is the same delivery, a
 * re-fire after resolve has a new startsAt); groupKey = the message's `groupKey` (see incidentKeyOf).
 * endsAtMs is set for resolved alerts only (a firing alert's endsAt is merely Alertmanager's expiry).
 */
export function normalizeAlertmanagerWebhook(webhook: AlertmanagerWebhook): NormalizedAlert[] {
  return webhook.alerts.map((alert) => {
    const { labels, annotations } = alert;
    const alertName =
      optionalText(
        firstText(
          own(labels, 'alertname') as string | undefined,
          own(webhook.groupLabels, 'alertname') as string | undefined,
        ),
        MAX_NAME_LENGTH,
      ) ?? 'Alert';
    const summaryText = firstText(
      own(annotations, 'summary') as string | undefined,
      own(annotations, 'message') as string | undefined,
      own(annotations, 'description') as string | undefined,
      own(webhook.commonAnnotations, 'summary') as string | undefined,
    );
    const summary = (summaryText === undefined ? '' : safeText(summaryText)) || alertName;
    const descriptionText = firstText(own(annotations, 'description') as string | undefined);
    const description = descriptionText === undefined ? null : safeMultilineText(descriptionText) || null;
    const serverCandidates = candidates([
      normaliseHostname(own(labels, 'server')),
      hostOfInstance(own(labels, 'instance')),
    ]);
    return {
      source: 'alertmanager',
      format: webhook.grafana ? 'grafana' : 'alertmanager',
      problemKey: alert.fingerprint,
      eventKey: compactKey([alert.fingerprint, alert.startsAtMs, alert.status]),
      status: alert.status,
      alertName,
      summary,
      description,
      severity: optionalText(own(labels, 'severity'), 50),
      startsAtMs: alert.startsAtMs,
      endsAtMs: alert.status === 'resolved' ? alert.endsAtMs : null,
      serverHint: serverCandidates[0] ?? null,
      serverCandidates,
      customerHint: optionalText(own(labels, 'customer'), MAX_NAME_LENGTH),
      labels: safeLabels(labels),
      links: safeLinks([
        alert.generatorURL,
        own(annotations, 'runbook_url'),
        own(annotations, 'runbook'),
        ...alert.grafanaUrls,
      ]),
      groupKey: webhook.groupKey,
    } satisfies NormalizedAlert;
  });
}

/** parseAlertmanagerWebhook then normalizeAlertmanagerWebhook. */
export function parseAlertmanagerAlerts(body: unknown): {
  webhook: AlertmanagerWebhook;
  alerts: NormalizedAlert[];
} {
  const webhook = parseAlertmanagerWebhook(body);
  return { webhook, alerts: normalizeAlertmanagerWebhook(webhook) };
}
