/**
 * Local imitations of the monitoring systems that send us alerts (integrations.md A3–A5): they build
 * payloads the way the real senders do and POST them the way the real senders do (headers, content types,
 * retries on 5xx/429). Independent of our parsers on purpose: they imitate the senders, not our code.
 *
 * - Alertmanager (prometheus/alertmanager notify/webhook): JSON message v4, `Authorization: Bearer`,
 *   `User-Agent: Alertmanager/<version>`, fingerprints computed as Alertmanager does (FNV-1a 64 over the
 *   sorted label set), retries on 5xx only (4xx is dropped).
 * - PagerDuty Events API v2 clients: `POST …/v2/enqueue` JSON, retry on 429 and 5xx.
 * - Uptime Kuma (server/notification-providers/webhook.js): `{heartbeat, monitor, msg}` as JSON, as
 *   form-data (field `data`) or as a GET with query parameters; extra headers for a Bearer token.
 */

/** The Alertmanager release imitated in the User-Agent. */
export const ALERTMANAGER_VERSION = '0.28.1';
export const ALERTMANAGER_USER_AGENT = `Alertmanager/${ALERTMANAGER_VERSION}`;
/** Go's zero time: what Alertmanager sends as `endsAt` of an alert without an end. */
export const GO_ZERO_TIME = '0001-01-01T00:00:00Z';

export interface AlertmanagerAlertPayload {
  status: 'firing' | 'resolved';
  labels: Record<string, string>;
  annotations: Record<string, string>;
  startsAt: string;
  endsAt: string;
  generatorURL: string;
  fingerprint: string;
}

export interface AlertmanagerPayload {
  receiver: string;
  status: 'firing' | 'resolved';
  alerts: AlertmanagerAlertPayload[];
  groupLabels: Record<string, string>;
  commonLabels: Record<string, string>;
  commonAnnotations: Record<string, string>;
  externalURL: string;
  version: '4';
  groupKey: string;
  truncatedAlerts: number;
}

export interface AlertInput {
  labels: Record<string, string>;
  annotations?: Record<string, string>;
  status?: 'firing' | 'resolved';
  /** RFC 3339; default 2026-12-01T19:10:00Z. */
  startsAt?: string;
  /** Default: Go's zero time while firing, startsAt + 5 min when resolved. */
  endsAt?: string;
  generatorURL?: string;
  /** Default: computed from the labels like Alertmanager. */
  fingerprint?: string;
}

const DEFAULT_STARTS_AT = '2026-12-01T19:10:00Z';

/**
 * An alert as Alertmanager puts it into a webhook message.
 * @example alertmanagerAlert({ labels: { alertname: 'DiskFull', instance: 'web1.acme.se:9100' } })
 */
export function alertmanagerAlert(input: AlertInput): AlertmanagerAlertPayload {
  const status = input.status ?? 'firing';
  const startsAt = input.startsAt ?? DEFAULT_STARTS_AT;
  const endsAt =
    input.endsAt ??
    (status === 'resolved' ? new Date(Date.parse(startsAt) + 5 * 60_000).toISOString() : GO_ZERO_TIME);
  const expr = encodeURIComponent(`up{job="${input.labels.job ?? 'node'}"} == 0`);
  return {
    status,
    labels: { ...input.labels },
    annotations: { ...input.annotations },
    startsAt,
    endsAt,
    generatorURL: input.generatorURL ?? `http://prometheus.example:9090/graph?g0.expr=${expr}&g0.tab=1`,
    fingerprint: input.fingerprint ?? labelSetFingerprint(input.labels),
  };
}

/**
 * Alertmanager's (Prometheus model's) label-set fingerprint: FNV-1a 64 over name, 0xff, value, 0xff for
 * each label in name order, printed as 16 hex digits.
 * @example labelSetFingerprint({ alertname: 'X' }) // 16 hex characters
 */
export function labelSetFingerprint(labels: Record<string, string>): string {
  const PRIME = 1099511628211n;
  const MASK = (1n << 64n) - 1n;
  let hash = 14695981039346656037n;
  const addByte = (byte: number): void => {
    hash = ((hash ^ BigInt(byte)) * PRIME) & MASK;
  };
  const encoder = new TextEncoder();
  for (const name of Object.keys(labels).sort()) {
    for (const byte of encoder.encode(name)) addByte(byte);
    addByte(0xff);
    for (const byte of encoder.encode(labels[name] ?? '')) addByte(byte);
    addByte(0xff);
  }
  return hash.toString(16).padStart(16, '0');
}

export interface AlertmanagerPayloadInput {
  alerts: (AlertInput | AlertmanagerAlertPayload)[];
  /** Default: the labels every alert shares among `groupBy`. */
  groupLabels?: Record<string, string>;
  /** Labels the route groups by (default `['alertname']`); used for groupLabels and the groupKey. */
  groupBy?: string[];
  /** Default: `{}:{alertname="…"}` built from groupLabels, like a root-route group. */
  groupKey?: string;
  receiver?: string;
  externalURL?: string;
  truncatedAlerts?: number;
}

/**
 * A webhook message v4 for one group, as Alertmanager's notifier builds it: group status `firing` when
 * any alert fires, commonLabels/commonAnnotations = what all alerts share.
 */
export function alertmanagerPayload(input: AlertmanagerPayloadInput): AlertmanagerPayload {
  const alerts = input.alerts.map((a) => (isBuiltAlert(a) ? a : alertmanagerAlert(a)));
  const commonLabels = common(alerts.map((a) => a.labels));
  const commonAnnotations = common(alerts.map((a) => a.annotations));
  const groupBy = input.groupBy ?? ['alertname'];
  const groupLabels =
    input.groupLabels ??
    Object.fromEntries(
      groupBy.filter((name) => commonLabels[name] !== undefined).map((name) => [name, commonLabels[name]!]),
    );
  const groupKey =
    input.groupKey ??
    `{}:{${Object.keys(groupLabels)
      .sort()
      .map((name) => `${name}=${JSON.stringify(groupLabels[name])}`)
      .join(', ')}}`;
  return {
    receiver: input.receiver ?? 'ballou',
    status: alerts.some((a) => a.status === 'firing') ? 'firing' : 'resolved',
    alerts,
    groupLabels,
    commonLabels,
    commonAnnotations,
    externalURL: input.externalURL ?? 'http://alertmanager.example:9093',
    version: '4',
    groupKey,
    truncatedAlerts: input.truncatedAlerts ?? 0,
  };
}

function isBuiltAlert(alert: AlertInput | AlertmanagerAlertPayload): alert is AlertmanagerAlertPayload {
  return (
    typeof alert.fingerprint === 'string' &&
    typeof alert.endsAt === 'string' &&
    alert.annotations !== undefined
  );
}

function common(maps: Record<string, string>[]): Record<string, string> {
  const [first, ...rest] = maps;
  if (!first) return {};
  return Object.fromEntries(Object.entries(first).filter(([k, v]) => rest.every((m) => m[k] === v)));
}

/** The same group with every alert resolved (endsAt = startsAt + 5 min), as Alertmanager re-sends it. */
export function resolvedPayload(payload: AlertmanagerPayload): AlertmanagerPayload {
  const alerts = payload.alerts.map((a) => ({
    ...a,
    status: 'resolved' as const,
    endsAt: new Date(Date.parse(a.startsAt) + 5 * 60_000).toISOString(),
  }));
  return { ...payload, status: 'resolved', alerts };
}

export interface SendResult {
  status: number;
  /** The answer's body text. */
  body: string;
  /** The answer parsed as JSON, or undefined. */
  json: unknown;
  headers: Headers;
  /** How many requests it took. */
  attempts: number;
}

export interface SendOptions {
  /** Retries after a retryable answer (Alertmanager: 5xx; PagerDuty clients: 429 and 5xx). Default 0. */
  retries?: number;
  retryDelayMs?: number;
  /** Extra headers (override the defaults). */
  headers?: Record<string, string>;
  timeoutMs?: number;
}

async function send(
  url: string | URL,
  init: { method: 'POST' | 'GET'; headers: Record<string, string>; body?: string | FormData },
  retryable: (status: number) => boolean,
  options: SendOptions,
): Promise<SendResult> {
  const retries = options.retries ?? 0;
  for (let attempt = 1; ; attempt++) {
    let response: Response | undefined;
    let failure: unknown;
    try {
      response = await fetch(url, {
        method: init.method,
        headers: init.headers,
        body: init.body,
        signal: AbortSignal.timeout(options.timeoutMs ?? 15_000),
      });
    } catch (error) {
      failure = error;
    }
    if (response) {
      const body = await response.text();
      if (!retryable(response.status) || attempt > retries)
        return {
          status: response.status,
          body,
          json: parseJson(body),
          headers: response.headers,
          attempts: attempt,
        };
    } else if (attempt > retries) throw failure;
    await new Promise((resolve) => setTimeout(resolve, options.retryDelayMs ?? 50));
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/**
 * POSTs a webhook message as Alertmanager does (`http_config.authorization` with type Bearer).
 * Alertmanager retries 5xx answers and gives up on 4xx (`retries` imitates that, compressed in time).
 */
export function sendAlertmanager(
  url: string,
  token: string | undefined,
  payload: unknown,
  options: SendOptions = {},
): Promise<SendResult> {
  return send(
    url,
    {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'user-agent': ALERTMANAGER_USER_AGENT,
        ...(token === undefined ? {} : { authorization: `Bearer ${token}` }),
        ...options.headers,
      },
      body: JSON.stringify(payload),
    },
    (status) => status >= 500,
    options,
  );
}

export interface PagerDutyEventInput {
  routing_key: string;
  event_action?: 'trigger' | 'acknowledge' | 'resolve';
  dedup_key?: string;
  payload?: {
    summary: string;
    source: string;
    severity: 'critical' | 'error' | 'warning' | 'info';
    timestamp?: string;
    component?: string;
    group?: string;
    class?: string;
    custom_details?: unknown;
  };
  images?: { src: string; href?: string; alt?: string }[];
  links?: { href: string; text?: string }[];
  client?: string;
  client_url?: string;
}

/**
 * A trigger event as monitoring tools send it (defaults filled in), e.g. Zabbix' PagerDuty media type.
 * @example pagerDutyTrigger('R0…', { summary: 'Disk full on web1', source: 'web1.acme.se' })
 */
export function pagerDutyTrigger(
  routingKey: string,
  payload: Partial<NonNullable<PagerDutyEventInput['payload']>> & { summary: string; source: string },
  extra: Partial<PagerDutyEventInput> = {},
): PagerDutyEventInput {
  return {
    routing_key: routingKey,
    event_action: 'trigger',
    payload: { severity: 'critical', timestamp: '2026-12-01T19:10:00.000+0100', ...payload },
    client: 'Zabbix',
    client_url: 'https://zabbix.example/zabbix.php?action=problem.view',
    ...extra,
  };
}

/**
 * POSTs an Events API v2 event. `url` is the full enqueue URL (`…/v2/enqueue`), as configured in
 * Alertmanager's `pagerduty_configs.url`; a base URL gets `/v2/enqueue` appended.
 */
export function sendPagerDuty(
  url: string,
  event: PagerDutyEventInput | Record<string, unknown>,
  options: SendOptions & { userAgent?: string } = {},
): Promise<SendResult> {
  const target = /\/enqueue\/?$/.test(url) ? url : `${url.replace(/\/$/, '')}/v2/enqueue`;
  return send(
    target,
    {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'user-agent': options.userAgent ?? ALERTMANAGER_USER_AGENT,
        ...options.headers,
      },
      body: JSON.stringify(event),
    },
    (status) => status === 429 || status >= 500,
    options,
  );
}

export interface UptimeKumaInput {
  monitorId?: number;
  name?: string;
  /** The monitored URL (http monitors) or undefined. */
  url?: string;
  /** The monitored host (ping/port monitors). */
  hostname?: string | null;
  type?: string;
  /** 0 DOWN, 1 UP, 2 PENDING, 3 MAINTENANCE. */
  status: 0 | 1 | 2 | 3;
  /** UTC `YYYY-MM-DD HH:mm:ss.SSS`, as Uptime Kuma stores it; default 2026-12-01 18:10:00.000. */
  time?: string;
  msg?: string;
  tags?: { name: string; value: string }[];
}

export interface UptimeKumaPayload {
  heartbeat: Record<string, unknown> | null;
  monitor: Record<string, unknown> | null;
  msg: string;
}

/**
 * A notification as Uptime Kuma's webhook provider sends it: `msg` = `[name] [🔴 Down] reason` (or
 * `[✅ Up]`), `heartbeat` = Heartbeat.toJSON() plus timezone fields, `monitor` = the monitor's JSON.
 */
export function uptimeKumaPayload(input: UptimeKumaInput): UptimeKumaPayload {
  const id = input.monitorId ?? 1;
  const name = input.name ?? `Monitor ${id}`;
  const beatMsg = input.msg ?? (input.status === 0 ? 'timeout of 48000ms exceeded' : 'OK');
  const time = input.time ?? '2026-12-01 18:10:00.000';
  const text = input.status === 0 ? '🔴 Down' : '✅ Up';
  return {
    heartbeat: {
      monitorID: id,
      status: input.status,
      time,
      msg: beatMsg,
      ping: input.status === 1 ? 42 : null,
      important: true,
      duration: 60,
      timezone: 'Europe/Stockholm',
      timezoneOffset: '+01:00',
      localDateTime: time,
    },
    monitor: {
      id,
      name,
      description: null,
      url: input.url ?? 'https://',
      hostname: input.hostname ?? null,
      port: null,
      type: input.type ?? (input.url ? 'http' : 'ping'),
      interval: 60,
      active: true,
      tags: (input.tags ?? []).map((t, i) => ({
        id: i + 1,
        monitor_id: id,
        tag_id: i + 1,
        ...t,
        color: '#059669',
      })),
    },
    msg: `[${name}] [${text}] ${beatMsg}`,
  };
}

/** The payload of Uptime Kuma's "Test" button: nulls and a message. */
export function uptimeKumaTestPayload(): UptimeKumaPayload {
  return { heartbeat: null, monitor: null, msg: 'Uptime Kuma Webhook Testing' };
}

/**
 * Sends like Uptime Kuma's webhook provider: `json` (default), `form-data` (field `data`), or `get`
 * (query parameters `msg`, `heartbeat`, `monitor`). `headers` imitates "Additional Headers" (use it for
 * `Authorization: Bearer …`). Uptime Kuma does not retry.
 */
export function sendUptimeKuma(
  url: string,
  payload: UptimeKumaPayload,
  options: SendOptions & { contentType?: 'json' | 'form-data' | 'get' } = {},
): Promise<SendResult> {
  const headers = { 'user-agent': 'Uptime-Kuma/2.0.0', ...options.headers };
  const mode = options.contentType ?? 'json';
  if (mode === 'get') {
    const target = new URL(url);
    target.searchParams.set('msg', payload.msg);
    if (payload.heartbeat) target.searchParams.set('heartbeat', JSON.stringify(payload.heartbeat));
    if (payload.monitor) target.searchParams.set('monitor', JSON.stringify(payload.monitor));
    return send(target, { method: 'GET', headers }, () => false, options);
  }
  if (mode === 'form-data') {
    const form = new FormData();
    form.append('data', JSON.stringify(payload));
    return send(url, { method: 'POST', headers, body: form }, () => false, options);
  }
  return send(
    url,
    {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify(payload),
    },
    () => false,
    options,
  );
}

/**
 * What our Zabbix webhook media type posts: the macros as strings.
 * @example zabbixPayload({ eventId: '4711', problem: true, host: 'db1.acme.se', subject: 'Problem: Disk full' })
 */
export function zabbixPayload(input: {
  eventId: string;
  problem: boolean;
  update?: boolean;
  host: string;
  subject: string;
  message?: string;
  severity?: string;
  tags?: string;
}): Record<string, string> {
  return {
    event_id: input.eventId,
    event_value: input.problem ? '1' : '0',
    update_status: input.update ? '1' : '0',
    severity: input.severity ?? 'High',
    host: input.host,
    host_ip: '{HOST.IP}',
    subject: input.subject,
    message: input.message ?? `${input.subject}\nHost: ${input.host}\nSeverity: ${input.severity ?? 'High'}`,
    trigger_url: 'https://zabbix.example/tr_events.php?triggerid=1&eventid=' + input.eventId,
    event_tags: input.tags ?? '',
  };
}

/** POSTs a JSON body with a Bearer token (generic webhook, Zabbix media type). */
export function sendGenericAlert(
  url: string,
  token: string | undefined,
  body: unknown,
  options: SendOptions = {},
): Promise<SendResult> {
  return send(
    url,
    {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(token === undefined ? {} : { authorization: `Bearer ${token}` }),
        ...options.headers,
      },
      body: JSON.stringify(body),
    },
    (status) => status >= 500,
    options,
  );
}

export interface AlertStormOptions {
  /** Number of Alertmanager groups (one webhook message each). Default 100. */
  groups?: number;
  /** Alerts per group. Default 10. */
  alertsPerGroup?: number;
  /**
   * Server hostnames; group g is about servers[g % servers.length] (labels `server` and `instance`).
   * Default: one host per group, `storm-<g>.example.net`.
   */
  servers?: string[];
  /** Label `customer` on every alert (a customer id or organisation number). */
  customer?: string;
  status?: 'firing' | 'resolved';
  startsAt?: string;
}

/**
 * A load-test storm: `groups` Alertmanager messages of `alertsPerGroup` distinct alerts each
 * (default 100 × 10 = 1 000 alerts). Each group is one alert rule on one server (group_by alertname and
 * server), so a receiver that opens one incident per group and server opens exactly `groups` incidents.
 * Deterministic: the same options give the same payloads (and fingerprints).
 */
export function alertStorm(options: AlertStormOptions = {}): AlertmanagerPayload[] {
  const groups = options.groups ?? 100;
  const perGroup = options.alertsPerGroup ?? 10;
  const payloads: AlertmanagerPayload[] = [];
  for (let g = 0; g < groups; g++) {
    const server = options.servers?.length
      ? options.servers[g % options.servers.length]!
      : `storm-${g}.example.net`;
    const alertname = `StormAlert${String(g).padStart(4, '0')}`;
    const alerts: AlertInput[] = [];
    for (let i = 0; i < perGroup; i++) {
      alerts.push({
        status: options.status ?? 'firing',
        startsAt: options.startsAt ?? DEFAULT_STARTS_AT,
        labels: {
          alertname,
          server,
          instance: `${server}:${9100 + i}`,
          job: 'node',
          severity: i % 3 === 0 ? 'critical' : 'warning',
          ...(options.customer === undefined ? {} : { customer: options.customer }),
        },
        annotations: {
          summary: `${alertname} on ${server} (#${i})`,
          description: `Storm alert ${i} of group ${g}.\nGenerated for load tests.`,
          runbook_url: `https://runbooks.example/${alertname}`,
        },
      });
    }
    payloads.push(alertmanagerPayload({ alerts, groupBy: ['alertname', 'server'] }));
  }
  return payloads;
}

/**
 * Sends payloads with at most `concurrency` requests in flight (a fleet of Alertmanagers, or HA peers);
 * results in the payloads' order.
 */
export async function sendAlertStorm(
  url: string,
  token: string | undefined,
  payloads: readonly unknown[],
  options: SendOptions & { concurrency?: number } = {},
): Promise<SendResult[]> {
  const results: SendResult[] = new Array<SendResult>(payloads.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < payloads.length) {
      const index = next++;
      results[index] = await sendAlertmanager(url, token, payloads[index], options);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, options.concurrency ?? 10) }, () => worker()));
  return results;
}
