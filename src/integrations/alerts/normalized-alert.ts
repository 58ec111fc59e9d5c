/**
 * The common shape every alert source is normalised to, and the small pure helpers the parsers share:
 * keys, RFC 3339 times, host names out of `instance` labels, and grouping into incidents.
 *
 * Keys (`problemKey`, `eventKey`, incident keys) are unique within ONE integration: the caller stores
 * them together with the integration's id (that is what PagerDuty's `routing_key` part of the key means;
 * the secret itself never goes into a key).
 */
import { createHash } from 'node:crypto';
import { MAX_NAME_LENGTH } from './text-safety.js';

export type AlertSource = 'alertmanager' | 'pagerduty' | 'generic';

/** Which sender format the alert came in (several formats share one `source`). */
export type AlertFormat = 'alertmanager' | 'grafana' | 'pagerduty' | 'uptime-kuma' | 'zabbix' | 'generic';

export type AlertStatus = 'firing' | 'resolved' | 'acknowledged';

export interface NormalizedAlert {
  source: AlertSource;
  format: AlertFormat;
  /**
   * Dedup of the PROBLEM (the same problem again attaches to the open incident): Alertmanager
   * `fingerprint`, PagerDuty `dedup_key`, Uptime Kuma monitor, Zabbix event id, generic dedup key.
   */
  problemKey: string;
  /**
   * Idempotency of this DELIVERY (a provider retry of the same event is ignored): Alertmanager
   * fingerprint+startsAt+status, PagerDuty dedup_key+event_action+content digest, Uptime Kuma
   * monitorID+time+status, Zabbix event id+value+update, generic delivery id or content digest.
   */
  eventKey: string;
  status: AlertStatus;
  /** labels.alertname / PagerDuty class or summary / monitor or trigger name. One safe line. */
  alertName: string;
  /** Human text: one line, control characters stripped, length-capped (untrusted input). */
  summary: string;
  /** Longer human text (annotation `description`, Zabbix message …): LF kept, otherwise as safe. */
  description: string | null;
  severity: string | null;
  startsAtMs: number | null;
  endsAtMs: number | null;
  /**
   * Server the alert is about, for matching against a server's hostname (lowercase, no port, no
   * brackets): Alertmanager label `server`, else the host part of label `instance`; PagerDuty
   * `payload.source`; Uptime Kuma monitor hostname/URL host; Zabbix host. The first of serverCandidates.
   */
  serverHint: string | null;
  /** Every candidate in order of preference (API.md: label `server` OR host of `instance`). */
  serverCandidates: string[];
  /** Label `customer` (a customer id or organisation number), or the equivalent of other formats. */
  customerHint: string | null;
  labels: Record<string, string>;
  /** http(s) links only (generatorURL, runbook, PagerDuty links …). */
  links: string[];
  /** Alertmanager's `groupKey` (the incident unit, see groupAlerts); null for other sources. */
  groupKey: string | null;
}

/** Keys longer than this are replaced by a digest (they go into unique indexes). */
export const MAX_KEY_LENGTH = 255;

/**
 * A key fit for a unique index: the parts joined with `|`, or `sha256:<hex>` of that when longer than
 * {@link MAX_KEY_LENGTH}.
 * @example compactKey(['c6eadffa33fcdf37', 1634025063157, 'firing']) // 'c6eadffa33fcdf37|1634025063157|firing'
 */
export function compactKey(parts: readonly (string | number | null)[]): string {
  const joined = parts.map((p) => (p === null ? '' : String(p))).join('|');
  return joined.length <= MAX_KEY_LENGTH ? joined : `sha256:${sha256Hex(joined)}`;
}

/** Hex SHA-256 of a string (UTF-8; lone surrogates are encoded as U+FFFD). */
export function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/**
 * JSON with object keys sorted at every level, so equal values always give equal text (for digests).
 * Nesting deeper than 32 levels is summarised, so hostile bodies cannot exhaust the stack.
 * @example canonicalJson({ b: 1, a: [true, null] }) // '{"a":[true,null],"b":1}'
 */
export function canonicalJson(value: unknown, depth = 0): string {
  if (value === null || typeof value !== 'object') {
    const text = JSON.stringify(value) as string | undefined;
    return text ?? 'null';
  }
  if (depth >= 32) return '"…"';
  if (Array.isArray(value)) return `[${value.map((v) => canonicalJson(v, depth + 1)).join(',')}]`;
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record).sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(record[k], depth + 1)}`).join(',')}}`;
}

/** A short digest of a JSON value (its canonical form): 16 hex characters. */
export function contentDigest(value: unknown): string {
  return sha256Hex(canonicalJson(value)).slice(0, 16);
}

// RFC 3339 date-time; fractions of any length (Go sends nanoseconds), offset `Z`, `±hh:mm` or `±hhmm`.
// The offset may be left out only where the caller says what it means (Uptime Kuma times are UTC).
const DATE_TIME =
  /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?([Zz]|[+-]\d{2}:?\d{2})?$/;

/**
 * Epoch milliseconds of an RFC 3339 date-time (fraction truncated to milliseconds), or undefined when the
 * text is not one. Without an offset the text is refused unless `assumeUtcWithoutOffset`.
 * @example parseDateTime('2021-10-12T09:51:03.157076+02:00') // 1634025063157
 * @example parseDateTime('0001-01-01T00:00:00Z') // -62135596800000 (Go's zero time)
 */
export function parseDateTime(text: string, assumeUtcWithoutOffset = false): number | undefined {
  const m = DATE_TIME.exec(text.trim());
  if (!m) return undefined;
  const [year, month, day, hour, minute, second] = [m[1], m[2], m[3], m[4], m[5], m[6]].map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const offsetText = m[8];
  if (offsetText === undefined && !assumeUtcWithoutOffset) return undefined;
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return undefined;
  if (hour > 23 || minute > 59 || second > 60) return undefined;
  let offsetMinutes = 0;
  if (offsetText !== undefined && offsetText.toUpperCase() !== 'Z') {
    const digits = offsetText.slice(1).replace(':', '');
    const oh = Number(digits.slice(0, 2));
    const om = Number(digits.slice(2, 4));
    if (oh > 23 || om > 59) return undefined;
    offsetMinutes = (offsetText.startsWith('-') ? -1 : 1) * (oh * 60 + om);
  }
  const millis = m[7] === undefined ? 0 : Number(m[7].slice(0, 3).padEnd(3, '0'));
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  // A leap second (:60) counts as the last millisecond of its minute.
  date.setUTCHours(hour, minute, Math.min(second, 59), second === 60 ? 999 : millis);
  return date.getTime() - offsetMinutes * 60_000;
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

/** Times before year 2 are Go's zero time (`0001-01-01T00:00:00Z`), which Alertmanager sends for "no end". */
const YEAR_TWO_START_MS = ((): number => {
  const date = new Date(0);
  date.setUTCFullYear(2, 0, 1);
  return date.getTime();
})();

/**
 * Epoch ms of a time that may be "unset": Go's zero time (year 1), non-strings and unparsable text give
 * null.
 * @example instantOrNull('0001-01-01T00:00:00Z') // null
 */
export function instantOrNull(text: unknown, assumeUtcWithoutOffset = false): number | null {
  if (typeof text !== 'string') return null;
  const ms = parseDateTime(text, assumeUtcWithoutOffset);
  return ms === undefined || ms < YEAR_TWO_START_MS ? null : ms;
}

// Whitespace, controls, line separators, bidi controls and surrogates (lone or not) never match a hostname.
const NOT_IN_HOSTNAME =
  // eslint-disable-next-line no-control-regex
  /[\u0000-\u0020\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c\ud800-\udfff]/;

/**
 * The host name a server is matched by: trimmed, lowercase, without a trailing dot; null when empty or
 * when it contains whitespace, control, bidi-control or surrogate characters.
 * @example normaliseHostname(' Web1.Acme.SE. ') // 'web1.acme.se'
 */
export function normaliseHostname(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  const host = value.trim().toLowerCase().replace(/\.$/, '');
  if (host === '' || host.length > MAX_NAME_LENGTH) return null;
  if (NOT_IN_HOSTNAME.test(host)) return null;
  return host;
}

/**
 * The host part of a Prometheus `instance` label (or a URL, as blackbox probes use): without scheme,
 * credentials, path, `:port` and IPv6 brackets, normalised like {@link normaliseHostname}.
 * @example hostOfInstance('web1.acme.se:9100') // 'web1.acme.se'
 * @example hostOfInstance('[::1]:9100') // '::1'
 * @example hostOfInstance('10.0.0.7') // '10.0.0.7'
 * @example hostOfInstance('https://shop.acme.se/health') // 'shop.acme.se'
 */
export function hostOfInstance(instance: unknown): string | null {
  if (typeof instance !== 'string') return null;
  let rest = instance.trim();
  const scheme = /^[a-z][a-z0-9+.-]*:\/\//i.exec(rest);
  if (scheme) rest = rest.slice(scheme[0].length);
  const end = rest.search(/[/?#]/);
  if (end >= 0) rest = rest.slice(0, end);
  const at = rest.lastIndexOf('@');
  if (at >= 0) rest = rest.slice(at + 1);
  let host: string;
  if (rest.startsWith('[')) {
    const close = rest.indexOf(']');
    if (close < 0) return null;
    host = rest.slice(1, close);
  } else {
    const colon = rest.indexOf(':');
    // One colon: host:port. More: a bare IPv6 address, which has no port without brackets.
    host = colon >= 0 && colon === rest.lastIndexOf(':') ? rest.slice(0, colon) : rest;
  }
  return normaliseHostname(host);
}

/** The distinct non-null candidates, in order. */
export function candidates(values: readonly (string | null)[]): string[] {
  const out: string[] = [];
  for (const value of values) if (value !== null && !out.includes(value)) out.push(value);
  return out;
}

/**
 * The key of the incident an alert belongs to, given where it was matched (`target`, e.g. `server:12`
 * or `customer:3`, decided by the caller from the hints).
 *
 * - Alertmanager: the GROUP per target (`groupKey` + target). One notification is a snapshot of a group
 *   (integrations.md A3 rule 3), so 1 000 alerts in 100 groups make 100 incidents; a group spanning
 *   several servers or customers is split per target, so one customer never sees another's alert. The
 *   individual fingerprints are recorded on that incident (by the caller) and resolve one by one.
 * - PagerDuty and the other formats: the problem (`dedup_key`, monitor, Zabbix event, generic dedup
 *   key), without the target: an acknowledge/resolve carries no payload to match again.
 * @example incidentKeyOf({ source: 'alertmanager', groupKey: '{}:{alertname="X"}', … }, 'server:12')
 * // 'alertmanager|{}:{alertname="X"}|server:12'
 */
export function incidentKeyOf(
  alert: Pick<NormalizedAlert, 'source' | 'format' | 'problemKey' | 'groupKey'>,
  target: string,
): string {
  if (alert.source === 'alertmanager' && alert.groupKey !== null)
    return compactKey(['alertmanager', alert.groupKey, target]);
  return compactKey([alert.format, alert.problemKey]);
}

/** Where the hints alone point (before the caller has looked anything up). */
export function hintTarget(alert: Pick<NormalizedAlert, 'serverHint' | 'customerHint'>): string {
  if (alert.serverHint !== null) return `server:${alert.serverHint}`;
  if (alert.customerHint !== null) return `customer:${alert.customerHint}`;
  return 'integration';
}

export interface AlertGroup<A extends NormalizedAlert = NormalizedAlert> {
  /** {@link incidentKeyOf} of every alert in the group. */
  incidentKey: string;
  /** The target the group was matched to. */
  target: string;
  alerts: A[];
}

/**
 * Alerts grouped by the incident they belong to ({@link incidentKeyOf}), in order of first appearance.
 * `targetOf` says where an alert was matched: pass the resolved server/customer (e.g. `server:12`); the
 * default uses the hints only ({@link hintTarget}).
 */
export function groupAlerts<A extends NormalizedAlert>(
  alerts: readonly A[],
  targetOf: (alert: A) => string = hintTarget,
): AlertGroup<A>[] {
  const groups = new Map<string, AlertGroup<A>>();
  for (const alert of alerts) {
    const target = targetOf(alert);
    const incidentKey = incidentKeyOf(alert, target);
    const group = groups.get(incidentKey);
    if (group) group.alerts.push(alert);
    else groups.set(incidentKey, { incidentKey, target, alerts: [alert] });
  }
  return [...groups.values()];
}
