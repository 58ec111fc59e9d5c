/**
 * PagerDuty Events API v2 ingest compatibility (integrations.md A4; PagerDuty developer docs "Send an
 * Alert Event"): we validate like `POST https://events.pagerduty.com/v2/enqueue` does and answer the same
 * way, so Alertmanager `pagerduty_configs`, Grafana, Zabbix's PagerDuty media type, InfluxDB etc. can send
 * to us unchanged.
 *
 * Error texts are PagerDuty's where they are known from real answers ("Length of 'routing_key' is
 * incorrect (should be 32 characters)", "'payload.severity' is missing or blank", "'payload.severity' is
 * invalid (must be one of the following: 'critical', 'warning', 'error' or 'info')"); the rest follow the
 * same pattern [G].
 */
import { FieldIssues, isRecord, own, type AlertPayloadError } from './alert-payload-error.js';
import {
  canonicalJson,
  candidates,
  compactKey,
  contentDigest,
  hostOfInstance,
  instantOrNull,
  sha256Hex,
  type AlertStatus,
  type NormalizedAlert,
} from './normalized-alert.js';
import { MAX_NAME_LENGTH, optionalText, safeLinks, safeMultilineText, safeText } from './text-safety.js';

const SOURCE = 'PagerDuty event';

/** PagerDuty integration keys are 32 alphanumeric characters; our `pagerduty` integration tokens must be too. */
export const PAGERDUTY_ROUTING_KEY_LENGTH = 32;
export const PAGERDUTY_MAX_SUMMARY_LENGTH = 1024;
export const PAGERDUTY_MAX_DEDUP_KEY_LENGTH = 255;
/** PagerDuty refuses larger events; use as the route's body limit. */
export const PAGERDUTY_MAX_EVENT_BYTES = 512 * 1024;

export const PAGERDUTY_EVENT_ACTIONS = ['trigger', 'acknowledge', 'resolve'] as const;
export type PagerDutyEventAction = (typeof PAGERDUTY_EVENT_ACTIONS)[number];
export const PAGERDUTY_SEVERITIES = ['critical', 'error', 'warning', 'info'] as const;
export type PagerDutySeverity = (typeof PAGERDUTY_SEVERITIES)[number];

export interface PagerDutyPayload {
  summary: string;
  source: string;
  severity: PagerDutySeverity;
  timestamp?: string;
  component?: string;
  group?: string;
  class?: string;
  custom_details?: unknown;
}

export interface PagerDutyLink {
  href: string;
  text?: string;
}

export interface PagerDutyImage {
  src: string;
  href?: string;
  alt?: string;
}

export interface PagerDutyEvent {
  routing_key: string;
  event_action: PagerDutyEventAction;
  /** As sent, or generated for a trigger without one (see {@link generatedDedupKey}). */
  dedup_key: string;
  /** True when `dedup_key` was not sent and we derived it. */
  dedupKeyGenerated: boolean;
  /** Present (and validated) on triggers; on acknowledge/resolve only when sent, and not validated. */
  payload?: PagerDutyPayload;
  images: PagerDutyImage[];
  links: PagerDutyLink[];
  client?: string;
  client_url?: string;
}

/**
 * The dedup_key of a trigger sent without one. PagerDuty generates a random key; we derive it from the
 * routing key and the payload instead, so a sender's retry of the same trigger gets the same key (and no
 * second incident). Consequence: identical keyless triggers attach to one alert, where PagerDuty would
 * open two; senders that want separate alerts send distinct payloads or their own dedup_key.
 * @example generatedDedupKey('R0ABCDEF…', { summary: 'Disk full', … }) // 32 hex characters
 */
export function generatedDedupKey(routingKey: string, payload: unknown): string {
  return sha256Hex(`${routingKey}\n${canonicalJson(payload)}`).slice(0, 32);
}

/**
 * Validates a PagerDuty Events API v2 event like PagerDuty does: `routing_key` (32 alphanumeric
 * characters), `event_action` (trigger|acknowledge|resolve), `dedup_key` (≤ 255, required to acknowledge
 * or resolve), and for triggers `payload.summary` (≤ 1024), `payload.source` and `payload.severity`
 * (critical|error|warning|info). Optional fields of the wrong type are ignored rather than refused (a
 * page is never lost over a cosmetic field); an unparsable `payload.timestamp` likewise.
 * Throws AlertPayloadError whose messages are PagerDuty's error strings (see {@link pagerDutyInvalidEventBody}).
 */
export function parsePagerDutyEvent(body: unknown): PagerDutyEvent {
  const issues = new FieldIssues();
  if (!isRecord(body)) {
    issues.add('/', 'Event object is not a JSON object');
    issues.throwIfAny(SOURCE);
  }
  const event = body as Record<string, unknown>;

  const routingKey = own(event, 'routing_key');
  if (typeof routingKey !== 'string' || routingKey.trim() === '')
    issues.add('/routing_key', "'routing_key' is missing or blank");
  else {
    if (routingKey.length !== PAGERDUTY_ROUTING_KEY_LENGTH)
      issues.add(
        '/routing_key',
        `Length of 'routing_key' is incorrect (should be ${PAGERDUTY_ROUTING_KEY_LENGTH} characters)`,
      );
    if (!/^[A-Za-z0-9]*$/.test(routingKey))
      issues.add('/routing_key', "'routing_key' cannot contain non-alphanumeric characters.");
  }

  const action = own(event, 'event_action');
  let eventAction: PagerDutyEventAction | undefined;
  if (typeof action !== 'string' || action.trim() === '')
    issues.add('/event_action', "'event_action' is missing or blank");
  else if (!(PAGERDUTY_EVENT_ACTIONS as readonly string[]).includes(action))
    issues.add(
      '/event_action',
      "'event_action' is invalid (must be one of the following: 'trigger', 'acknowledge' or 'resolve')",
    );
  else eventAction = action as PagerDutyEventAction;

  const dedup = own(event, 'dedup_key');
  let dedupKey: string | undefined;
  if (dedup !== undefined && dedup !== null && typeof dedup !== 'string')
    issues.add('/dedup_key', "'dedup_key' is invalid (must be a string)");
  else if (typeof dedup === 'string' && dedup.trim() !== '') {
    if (dedup.length > PAGERDUTY_MAX_DEDUP_KEY_LENGTH)
      issues.add(
        '/dedup_key',
        `'dedup_key' is too long (maximum is ${PAGERDUTY_MAX_DEDUP_KEY_LENGTH} characters)`,
      );
    else dedupKey = dedup;
  } else if (eventAction === 'acknowledge' || eventAction === 'resolve')
    issues.add('/dedup_key', "'dedup_key' is missing or blank");

  const rawPayload = own(event, 'payload');
  let payload: PagerDutyPayload | undefined;
  if (eventAction === 'trigger') payload = readPayload(rawPayload, issues);
  else if (isRecord(rawPayload)) payload = lenientPayload(rawPayload);

  issues.throwIfAny(SOURCE);
  const key = routingKey as string;
  return {
    routing_key: key,
    event_action: eventAction as PagerDutyEventAction,
    dedup_key: dedupKey ?? generatedDedupKey(key, rawPayload),
    dedupKeyGenerated: dedupKey === undefined,
    ...(payload ? { payload } : {}),
    images: readImages(own(event, 'images')),
    links: readLinks(own(event, 'links')),
    ...optionalStrings(event, ['client', 'client_url']),
  };
}

function readPayload(raw: unknown, issues: FieldIssues): PagerDutyPayload | undefined {
  if (!isRecord(raw)) {
    issues.add('/payload', "'payload' is missing or blank");
    return undefined;
  }
  const summary = own(raw, 'summary');
  if (typeof summary !== 'string' || summary.trim() === '')
    issues.add('/payload/summary', "'payload.summary' is missing or blank");
  else if (summary.length > PAGERDUTY_MAX_SUMMARY_LENGTH)
    issues.add(
      '/payload/summary',
      `'payload.summary' is too long (maximum is ${PAGERDUTY_MAX_SUMMARY_LENGTH} characters)`,
    );
  const source = own(raw, 'source');
  if (typeof source !== 'string' || source.trim() === '')
    issues.add('/payload/source', "'payload.source' is missing or blank");
  const severity = own(raw, 'severity');
  if (typeof severity !== 'string' || severity.trim() === '')
    issues.add('/payload/severity', "'payload.severity' is missing or blank");
  else if (!(PAGERDUTY_SEVERITIES as readonly string[]).includes(severity))
    issues.add(
      '/payload/severity',
      "'payload.severity' is invalid (must be one of the following: 'critical', 'warning', 'error' or 'info')",
    );
  return lenientPayload(raw);
}

/** The payload's fields of the right type (the required ones are checked by readPayload). */
function lenientPayload(raw: Record<string, unknown>): PagerDutyPayload {
  const severity = own(raw, 'severity');
  const customDetails = own(raw, 'custom_details');
  return {
    summary: typeof own(raw, 'summary') === 'string' ? (own(raw, 'summary') as string) : '',
    source: typeof own(raw, 'source') === 'string' ? (own(raw, 'source') as string) : '',
    severity: (PAGERDUTY_SEVERITIES as readonly unknown[]).includes(severity)
      ? (severity as PagerDutySeverity)
      : 'info',
    ...optionalStrings(raw, ['timestamp', 'component', 'group', 'class']),
    ...(customDetails === undefined ? {} : { custom_details: customDetails }),
  };
}

function optionalStrings<K extends string>(
  record: Record<string, unknown>,
  keys: readonly K[],
): Partial<Record<K, string>> {
  const out: Partial<Record<K, string>> = {};
  for (const key of keys) {
    const value = own(record, key);
    if (typeof value === 'string') out[key] = value;
  }
  return out;
}

function readLinks(raw: unknown): PagerDutyLink[] {
  if (!Array.isArray(raw)) return [];
  return raw
    .filter(isRecord)
    .filter((link) => typeof own(link, 'href') === 'string')
    .map((link) => ({ href: own(link, 'href') as string, ...optionalStrings(link, ['text']) }));
}

function readImages(raw: unknown): PagerDutyImage[] {
  if (!Array.isArray(raw)) return [];
  return raw
    .filter(isRecord)
    .filter((image) => typeof own(image, 'src') === 'string')
    .map((image) => ({ src: own(image, 'src') as string, ...optionalStrings(image, ['href', 'alt']) }));
}

const STATUS_OF: Record<PagerDutyEventAction, AlertStatus> = {
  trigger: 'firing',
  acknowledge: 'acknowledged',
  resolve: 'resolved',
};

/**
 * The event as a NormalizedAlert. problemKey = `dedup_key` (scoped by the integration, i.e. the
 * routing_key). eventKey = dedup_key + event_action + a digest of the rest of the event: a retry of the
 * same event repeats it exactly, so it is ignored, while a changed event under the same key is a new
 * delivery. (The spec's routing_key+dedup_key+event_action, made finer; note that a trigger re-sent
 * byte-identically after a resolve still looks like a retry — the caller should therefore expire or scope
 * PagerDuty event keys to the incident they opened, as PagerDuty opens a new alert after resolve.)
 * serverHint = host of `payload.source`; customerHint = `payload.custom_details.customer` when a string.
 */
export function normalizePagerDutyEvent(event: PagerDutyEvent): NormalizedAlert {
  const payload = event.payload;
  const { routing_key: _secret, ...rest } = event;
  const summarySource = payload?.summary ?? '';
  const alertName =
    optionalText(payload?.class, MAX_NAME_LENGTH) ??
    optionalText(summarySource, 120) ??
    optionalText(event.dedup_key, MAX_NAME_LENGTH) ??
    'PagerDuty event';
  const summary = safeText(summarySource) || safeText(`PagerDuty ${event.event_action}: ${event.dedup_key}`);
  const details = isRecord(payload?.custom_details) ? payload.custom_details : undefined;
  const detailsText =
    payload?.custom_details === undefined
      ? null
      : typeof payload.custom_details === 'string'
        ? payload.custom_details
        : canonicalJson(payload.custom_details);
  const serverCandidates = candidates([hostOfInstance(payload?.source)]);
  const labels: [string, string][] = [];
  for (const key of ['severity', 'source', 'component', 'group', 'class'] as const) {
    const value = payload?.[key];
    if (typeof value === 'string' && value !== '') labels.push([key, safeText(value, 1024)]);
  }
  return {
    source: 'pagerduty',
    format: 'pagerduty',
    problemKey: event.dedup_key,
    eventKey: compactKey([event.dedup_key, event.event_action, contentDigest(rest)]),
    status: STATUS_OF[event.event_action],
    alertName,
    summary,
    description: detailsText === null ? null : safeMultilineText(detailsText) || null,
    severity: event.event_action === 'trigger' ? (payload?.severity ?? null) : null,
    startsAtMs: event.event_action === 'trigger' ? instantOrNull(payload?.timestamp) : null,
    endsAtMs: event.event_action === 'resolve' ? instantOrNull(payload?.timestamp) : null,
    serverHint: serverCandidates[0] ?? null,
    serverCandidates,
    customerHint: optionalText(details === undefined ? undefined : own(details, 'customer'), MAX_NAME_LENGTH),
    labels: Object.fromEntries(labels),
    links: safeLinks([
      ...event.links.map((l) => l.href),
      ...event.images.map((i) => i.href),
      event.client_url,
    ]),
    groupKey: null,
  };
}

/** parsePagerDutyEvent then normalizePagerDutyEvent. */
export function parsePagerDutyAlert(body: unknown): { event: PagerDutyEvent; alert: NormalizedAlert } {
  const event = parsePagerDutyEvent(body);
  return { event, alert: normalizePagerDutyEvent(event) };
}

/** What PagerDuty answers (HTTP 202) to an accepted event. */
export interface PagerDutySuccessBody {
  status: 'success';
  message: 'Event processed';
  dedup_key: string;
}

/** The 202 answer body: `{"status":"success","message":"Event processed","dedup_key":"…"}`. */
export function pagerDutySuccessBody(dedupKey: string): PagerDutySuccessBody {
  return { status: 'success', message: 'Event processed', dedup_key: dedupKey };
}

/** What PagerDuty answers (HTTP 400, do not retry) to an invalid event. */
export interface PagerDutyInvalidEventBody {
  status: 'invalid event';
  message: 'Event object is invalid';
  errors: string[];
}

/**
 * The 400 answer body for a refused event:
 * `{"status":"invalid event","message":"Event object is invalid","errors":["'payload.source' is missing or blank"]}`.
 */
export function pagerDutyInvalidEventBody(error: AlertPayloadError): PagerDutyInvalidEventBody {
  return {
    status: 'invalid event',
    message: 'Event object is invalid',
    errors: error.errors.map((e) => e.message),
  };
}

/** HTTP status PagerDuty answers with: 202 accepted, 400 invalid event. */
export const PAGERDUTY_ACCEPTED_STATUS = 202;
export const PAGERDUTY_INVALID_STATUS = 400;
