/**
 * The `generic` integration kind (integrations.md A5): one endpoint that accepts
 * - Uptime Kuma's webhook notification `{heartbeat, monitor, msg}` as JSON, as form-data (field `data` =
 *   that JSON) or as GET query parameters (`heartbeat`/`monitor` JSON-encoded);
 * - our Zabbix webhook media type's JSON `{event_id, event_value, update_status, severity, host, subject,
 *   message, …}` (values are Zabbix macros, so they arrive as strings; optional `host_ip`, `trigger_name`,
 *   `trigger_url`, `event_tags` ("name:value, …"), `customer`, `occurred_at` (RFC 3339));
 * - a simple JSON alert `{name, status, summary?, dedupKey?, server?, customer?, severity?, …}`, of which
 *   the Standard-Webhooks body `{event_id, status, service, severity, summary, details}` is a variant.
 * Everything is normalised to a NormalizedAlert with `source: 'generic'`.
 */
import { FieldIssues, isRecord, own, pointer } from './alert-payload-error.js';
import {
  candidates,
  compactKey,
  contentDigest,
  hostOfInstance,
  instantOrNull,
  MAX_KEY_LENGTH,
  normaliseHostname,
  type AlertStatus,
  type NormalizedAlert,
} from './normalized-alert.js';
import {
  MAX_LABELS,
  MAX_NAME_LENGTH,
  optionalText,
  safeLabels,
  safeLinks,
  safeMultilineText,
  safeText,
} from './text-safety.js';

const SOURCE = 'generic alert';

export type GenericFormat = 'uptime-kuma' | 'zabbix' | 'generic';

export interface ParsedGenericAlert {
  format: GenericFormat;
  /** null when the body is valid but asks for nothing (see `ignored`). */
  alert: NormalizedAlert | null;
  /** Why nothing is to be done: an Uptime Kuma test notification, a PENDING or MAINTENANCE beat. */
  ignored?: string;
}

export interface GenericAlertOptions {
  /**
   * The delivery's own id when the transport has one (Standard Webhooks `webhook-id` header): it becomes
   * the eventKey, so retries with the same id are ignored whatever the body.
   */
  deliveryId?: string;
}

/**
 * Parses and normalises a body sent to the generic webhook, recognising the format by its fields (see
 * the module comment). Throws AlertPayloadError naming every missing or invalid field by JSON Pointer.
 */
export function parseGenericAlert(body: unknown, options: GenericAlertOptions = {}): ParsedGenericAlert {
  const record = unwrapFormData(body);
  if (!isRecord(record)) {
    const issues = new FieldIssues();
    issues.add('/', 'must be a JSON object (an alert)');
    issues.throwIfAny(SOURCE);
  }
  const root = record as Record<string, unknown>;
  let parsed: ParsedGenericAlert;
  if (isUptimeKuma(root)) parsed = parseUptimeKuma(root);
  else if (own(root, 'event_id') !== undefined && own(root, 'event_value') !== undefined)
    parsed = parseZabbix(root);
  else parsed = parseSimple(root, options.deliveryId);
  if (parsed.alert && options.deliveryId !== undefined && options.deliveryId !== '')
    parsed.alert.eventKey = compactKey(['delivery', options.deliveryId]);
  return parsed;
}

/** Uptime Kuma's form-data variant: one field `data` holding the JSON. */
function unwrapFormData(body: unknown): unknown {
  if (!isRecord(body)) return body;
  const data = own(body, 'data');
  if (typeof data !== 'string' || Object.keys(body).length !== 1) return body;
  const inner = parseJson(data);
  return isRecord(inner) ? inner : body;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function isUptimeKuma(root: Record<string, unknown>): boolean {
  return own(root, 'heartbeat') !== undefined || own(root, 'monitor') !== undefined;
}

/** A value that may arrive JSON-encoded (Uptime Kuma's GET variant puts objects in query strings). */
function objectOrJson(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  const parsed = parseJson(value);
  return parsed === undefined ? value : parsed;
}

// ---------------------------------------------------------------------------------------------------------
// Uptime Kuma (louislam/uptime-kuma server/notification-providers/webhook.js, server/model/heartbeat.js)

/** Heartbeat `status`: 0 DOWN, 1 UP, 2 PENDING, 3 MAINTENANCE. */
const UPTIME_KUMA_STATUS: Record<number, AlertStatus | string> = {
  0: 'firing',
  1: 'resolved',
  2: 'PENDING',
  3: 'MAINTENANCE',
};

function parseUptimeKuma(root: Record<string, unknown>): ParsedGenericAlert {
  const issues = new FieldIssues();
  const heartbeat = objectOrJson(own(root, 'heartbeat'));
  const monitor = objectOrJson(own(root, 'monitor'));
  const msg = own(root, 'msg');
  if (msg !== undefined && msg !== null && typeof msg !== 'string') issues.add('/msg', 'must be a string');
  if (heartbeat === null || heartbeat === undefined) {
    // Uptime Kuma's "Test" button sends nulls.
    if (monitor !== null && monitor !== undefined && !isRecord(monitor))
      issues.add('/monitor', 'must be an object (the monitor) or null');
    issues.throwIfAny(SOURCE);
    return { format: 'uptime-kuma', alert: null, ignored: 'test notification (no heartbeat)' };
  }
  if (!isRecord(heartbeat)) {
    issues.add('/heartbeat', 'must be an object (the heartbeat) or null');
    issues.throwIfAny(SOURCE);
  }
  const beat = heartbeat as Record<string, unknown>;
  if (monitor !== null && monitor !== undefined && !isRecord(monitor))
    issues.add('/monitor', 'must be an object (the monitor) or null');
  const mon = isRecord(monitor) ? monitor : {};

  const monitorId = idText(own(beat, 'monitorID')) ?? idText(own(mon, 'id'));
  if (monitorId === undefined) issues.add('/heartbeat/monitorID', 'is required (or /monitor/id)');
  const statusValue = own(beat, 'status');
  const status =
    typeof statusValue === 'number' && Number.isInteger(statusValue)
      ? UPTIME_KUMA_STATUS[statusValue]
      : undefined;
  if (statusValue === undefined || statusValue === null) issues.add('/heartbeat/status', 'is required');
  else if (status === undefined)
    issues.add('/heartbeat/status', 'must be 0 (DOWN), 1 (UP), 2 (PENDING) or 3 (MAINTENANCE)');
  const time = own(beat, 'time');
  if (time === undefined || time === null) issues.add('/heartbeat/time', 'is required');
  else if (typeof time !== 'string') issues.add('/heartbeat/time', 'must be a string');
  issues.throwIfAny(SOURCE);

  if (status !== 'firing' && status !== 'resolved')
    return { format: 'uptime-kuma', alert: null, ignored: `heartbeat status ${String(status)}` };

  const timeMs = instantOrNull(time, true);
  const name =
    optionalText(own(mon, 'name'), MAX_NAME_LENGTH) ?? `Monitor ${safeText(monitorId as string, 50)}`;
  const beatMsg = typeof own(beat, 'msg') === 'string' ? (own(beat, 'msg') as string) : '';
  const summaryText = typeof msg === 'string' && msg.trim() !== '' ? msg : `[${name}] ${beatMsg}`;
  const tags = uptimeKumaTags(own(mon, 'tags'));
  const monitorUrl = own(mon, 'url');
  const serverCandidates = candidates([
    normaliseHostname(own(tags, 'server')),
    hostOfInstance(own(mon, 'hostname')),
    typeof monitorUrl === 'string' && /^https?:\/\//i.test(monitorUrl) ? hostOfInstance(monitorUrl) : null,
  ]);
  const labels: Record<string, string> = { ...tags };
  const type = own(mon, 'type');
  if (typeof type === 'string') labels.monitor_type = type;
  return {
    format: 'uptime-kuma',
    alert: {
      source: 'generic',
      format: 'uptime-kuma',
      problemKey: compactKey(['uptime-kuma', monitorId as string]),
      eventKey: compactKey(['uptime-kuma', monitorId as string, time as string, statusValue as number]),
      status,
      alertName: name,
      summary: safeText(summaryText) || name,
      description: beatMsg.trim() === '' ? null : safeMultilineText(beatMsg) || null,
      severity: null,
      startsAtMs: status === 'firing' ? timeMs : null,
      endsAtMs: status === 'resolved' ? timeMs : null,
      serverHint: serverCandidates[0] ?? null,
      serverCandidates,
      customerHint: optionalText(own(tags, 'customer'), MAX_NAME_LENGTH),
      labels: safeLabels(labels),
      links: safeLinks([monitorUrl]),
      groupKey: null,
    },
  };
}

/** A monitor's tags (`[{name, value}]`) as name → value. */
function uptimeKumaTags(raw: unknown): Record<string, string> {
  if (!Array.isArray(raw)) return {};
  const entries: [string, string][] = [];
  for (const tag of raw.slice(0, MAX_LABELS)) {
    if (!isRecord(tag)) continue;
    const name = own(tag, 'name');
    const value = own(tag, 'value');
    if (typeof name === 'string' && name !== '')
      entries.push([name.toLowerCase(), typeof value === 'string' ? value : '']);
  }
  return Object.fromEntries(entries);
}

/** An id that may be a number or a string. */
function idText(value: unknown): string | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (typeof value === 'string' && value.trim() !== '' && value.length <= MAX_KEY_LENGTH) return value.trim();
  return undefined;
}

// ---------------------------------------------------------------------------------------------------------
// Zabbix webhook media type (our script posts the macros as JSON strings)

/** A Zabbix macro that was not expanded arrives literally, e.g. `{EVENT.RECOVERY.DATE}`: treat as absent. */
function zabbixValue(value: unknown): string | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (typeof value !== 'string') return undefined;
  const trimmed = value.trim();
  if (trimmed === '' || /^\{[A-Z0-9_.:]+\}$/.test(trimmed)) return undefined;
  return value;
}

function parseZabbix(root: Record<string, unknown>): ParsedGenericAlert {
  const issues = new FieldIssues();
  const eventId = zabbixValue(own(root, 'event_id'));
  if (eventId === undefined) issues.add('/event_id', 'is required ({EVENT.ID})');
  else if (eventId.length > MAX_KEY_LENGTH)
    issues.add('/event_id', `must be at most ${MAX_KEY_LENGTH} characters`);
  const value = zabbixValue(own(root, 'event_value'));
  if (value === undefined) issues.add('/event_value', 'is required ({EVENT.VALUE})');
  else if (value !== '0' && value !== '1') issues.add('/event_value', 'must be 1 (problem) or 0 (recovery)');
  const updateRaw = own(root, 'update_status');
  const update = zabbixValue(updateRaw) ?? '0';
  if (updateRaw !== undefined && update !== '0' && update !== '1')
    issues.add('/update_status', 'must be 0 or 1 ({EVENT.UPDATE.STATUS})');
  const subject = zabbixValue(own(root, 'subject'));
  const triggerName = zabbixValue(own(root, 'trigger_name'));
  const message = zabbixValue(own(root, 'message'));
  if (subject === undefined && triggerName === undefined && message === undefined)
    issues.add('/subject', 'is required ({ALERT.SUBJECT}), or trigger_name, or message');
  issues.throwIfAny(SOURCE);

  const tags = zabbixTags(zabbixValue(own(root, 'event_tags')) ?? zabbixValue(own(root, 'tags')));
  const alertName = optionalText(triggerName ?? subject ?? message, MAX_NAME_LENGTH) ?? 'Zabbix problem';
  const serverCandidates = candidates([
    normaliseHostname(own(tags, 'server') ?? null),
    hostOfInstance(zabbixValue(own(root, 'host'))),
    hostOfInstance(zabbixValue(own(root, 'host_ip'))),
  ]);
  const labels: Record<string, string> = { ...tags };
  for (const key of ['host', 'host_ip', 'trigger_id', 'severity', 'event_nseverity'] as const) {
    const v = zabbixValue(own(root, key));
    if (v !== undefined) labels[key] = v;
  }
  const status: AlertStatus = value === '0' ? 'resolved' : 'firing';
  const occurred = instantOrNull(zabbixValue(own(root, 'occurred_at')) ?? null);
  return {
    format: 'zabbix',
    alert: {
      source: 'generic',
      format: 'zabbix',
      problemKey: compactKey(['zabbix', eventId as string]),
      // Zabbix retries the same message (Attempts); an update (ack, comment) of the same event is a new
      // delivery when its text differs.
      eventKey: compactKey([
        'zabbix',
        eventId as string,
        value as string,
        update,
        update === '1' ? contentDigest(root) : null,
      ]),
      status,
      alertName,
      summary: safeText(subject ?? triggerName ?? message ?? '') || alertName,
      description: message === undefined ? null : safeMultilineText(message) || null,
      severity: optionalText(zabbixValue(own(root, 'severity')), 50),
      startsAtMs: status === 'firing' ? occurred : null,
      endsAtMs: status === 'resolved' ? occurred : null,
      serverHint: serverCandidates[0] ?? null,
      serverCandidates,
      customerHint: optionalText(
        zabbixValue(own(root, 'customer')) ?? own(tags, 'customer'),
        MAX_NAME_LENGTH,
      ),
      labels: safeLabels(labels),
      links: safeLinks([zabbixValue(own(root, 'trigger_url')), zabbixValue(own(root, 'event_url'))]),
      groupKey: null,
    },
  };
}

/** `{EVENT.TAGS}`: `customer:acme, service:web` → `{customer: 'acme', service: 'web'}`. */
function zabbixTags(text: string | undefined): Record<string, string> {
  if (text === undefined) return {};
  const entries: [string, string][] = [];
  for (const part of text.split(',').slice(0, MAX_LABELS)) {
    const colon = part.indexOf(':');
    const name = (colon < 0 ? part : part.slice(0, colon)).trim().toLowerCase();
    if (name !== '') entries.push([name, colon < 0 ? '' : part.slice(colon + 1).trim()]);
  }
  return Object.fromEntries(entries);
}

// ---------------------------------------------------------------------------------------------------------
// Simple JSON alert (ours)

const SIMPLE_STATUS: Record<string, AlertStatus> = {
  firing: 'firing',
  problem: 'firing',
  trigger: 'firing',
  down: 'firing',
  resolved: 'resolved',
  ok: 'resolved',
  up: 'resolved',
  recovery: 'resolved',
  acknowledged: 'acknowledged',
};

function parseSimple(root: Record<string, unknown>, deliveryId: string | undefined): ParsedGenericAlert {
  const issues = new FieldIssues();
  const nameKey = ['name', 'alertname', 'service'].find((k) => own(root, k) !== undefined) ?? 'name';
  const name = own(root, nameKey);
  if (name === undefined || name === null) issues.add('/name', 'is required (or service)');
  else if (typeof name !== 'string') issues.add(pointer('/', nameKey), 'must be a string');
  else if (name.trim() === '') issues.add(pointer('/', nameKey), 'must not be empty');
  const statusValue = own(root, 'status');
  const statusWord = typeof statusValue === 'string' ? statusValue.trim().toLowerCase() : undefined;
  const status =
    statusWord !== undefined && Object.hasOwn(SIMPLE_STATUS, statusWord)
      ? SIMPLE_STATUS[statusWord]
      : undefined;
  if (statusValue === undefined || statusValue === null) issues.add('/status', 'is required');
  else if (status === undefined) issues.add('/status', 'must be "firing", "resolved" or "acknowledged"');

  const text = (key: string): string | undefined => {
    const value = own(root, key);
    if (value === undefined || value === null) return undefined;
    if (typeof value !== 'string') {
      issues.add(pointer('/', key), 'must be a string');
      return undefined;
    }
    return value;
  };
  const summaryText = text('summary') ?? text('message');
  const dedup = text('dedupKey') ?? text('dedup_key');
  if (dedup !== undefined && dedup.length > MAX_KEY_LENGTH)
    issues.add(
      pointer('/', own(root, 'dedupKey') !== undefined ? 'dedupKey' : 'dedup_key'),
      `must be at most ${MAX_KEY_LENGTH} characters`,
    );
  const server = text('server') ?? text('host');
  const customer = text('customer');
  const severity = text('severity');
  const description = text('description');
  const startsAt = text('startsAt');
  if (startsAt !== undefined && instantOrNull(startsAt) === null)
    issues.add('/startsAt', 'must be an RFC 3339 date-time, e.g. 2026-12-01T19:10:00+01:00');
  const eventId = idText(own(root, 'event_id'));
  const labelsValue = own(root, 'labels');
  const labels: [string, string][] = [];
  if (labelsValue !== undefined && labelsValue !== null) {
    if (!isRecord(labelsValue)) issues.add('/labels', 'must be an object of strings');
    else
      for (const [key, v] of Object.entries(labelsValue))
        if (typeof v === 'string') labels.push([key, v]);
        else issues.add(pointer('/labels', key), 'must be a string');
  }
  const linksValue = own(root, 'links');
  if (linksValue !== undefined && linksValue !== null && !Array.isArray(linksValue))
    issues.add('/links', 'must be an array of URLs');
  issues.throwIfAny(SOURCE);

  const alertName = optionalText(name, MAX_NAME_LENGTH) ?? 'Alert';
  const serverCandidates = candidates([normaliseHostname(server ?? null), hostOfInstance(server)]);
  // Without a dedup key the problem is "this name on this server".
  const problemKey =
    dedup !== undefined && dedup.trim() !== ''
      ? dedup
      : compactKey(['generic', name as string, serverCandidates[0] ?? '', customer ?? '']);
  const startsAtMs = startsAt === undefined ? null : instantOrNull(startsAt);
  const details = own(root, 'details');
  const descriptionText =
    description ??
    (typeof details === 'string' ? details : isRecord(details) ? JSON.stringify(details) : undefined);
  const linkValues: unknown[] = Array.isArray(linksValue)
    ? linksValue.map((l: unknown) => (isRecord(l) ? own(l, 'href') : l))
    : [];
  return {
    format: 'generic',
    alert: {
      source: 'generic',
      format: 'generic',
      problemKey,
      // Without a delivery id (event_id or the webhook-id header), the content is the identity: a retry
      // repeats it exactly.
      eventKey:
        eventId !== undefined && deliveryId === undefined
          ? compactKey(['event', eventId, status as string])
          : compactKey([problemKey, status as string, contentDigest(root)]),
      status: status as AlertStatus,
      alertName,
      summary: (summaryText === undefined ? '' : safeText(summaryText)) || alertName,
      description: descriptionText === undefined ? null : safeMultilineText(descriptionText) || null,
      severity: optionalText(severity, 50),
      startsAtMs: status === 'firing' ? startsAtMs : null,
      endsAtMs: null,
      serverHint: serverCandidates[0] ?? null,
      serverCandidates,
      customerHint: optionalText(customer, MAX_NAME_LENGTH),
      labels: safeLabels(Object.fromEntries(labels)),
      links: safeLinks(linkValues),
      groupKey: null,
    },
  };
}
