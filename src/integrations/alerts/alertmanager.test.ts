import { describe, expect, it } from 'vitest';
import { AlertPayloadError, MAX_REPORTED_ERRORS } from './alert-payload-error.js';
import {
  normalizeAlertmanagerWebhook,
  parseAlertmanagerAlerts,
  parseAlertmanagerWebhook,
} from './alertmanager.js';
import { groupAlerts } from './normalized-alert.js';
import { WebhookPayloadError } from '../telephony/webhook-form.js';

/** A message as prometheus/alertmanager notify/webhook sends it (integrations.md A3). */
function alertmanagerMessage(): Record<string, unknown> {
  return {
    receiver: 'ballou',
    status: 'firing',
    alerts: [
      {
        status: 'firing',
        labels: {
          alertname: 'NodeFilesystemAlmostFull',
          instance: 'web1.acme.se:9100',
          job: 'node',
          severity: 'critical',
          customer: '556677-8899',
        },
        annotations: {
          summary: 'Filesystem / on web1 has 3% left',
          description: 'Only 3% left.\nCleanup needed.',
          runbook_url: 'https://runbooks.example/NodeFilesystemAlmostFull',
        },
        startsAt: '2026-12-01T19:10:00.123456789Z',
        endsAt: '0001-01-01T00:00:00Z',
        generatorURL: 'http://prometheus.example:9090/graph?g0.expr=node_filesystem_avail_bytes',
        fingerprint: 'c6eadffa33fcdf37',
      },
      {
        status: 'resolved',
        labels: {
          alertname: 'NodeFilesystemAlmostFull',
          instance: '[2001:db8::7]:9100',
          server: 'db1.acme.se',
        },
        annotations: {},
        startsAt: '2026-12-01T18:00:00+01:00',
        endsAt: '2026-12-01T18:30:00+01:00',
        generatorURL: '',
        fingerprint: 'bc97ff14869b13e3',
      },
    ],
    groupLabels: { alertname: 'NodeFilesystemAlmostFull' },
    commonLabels: { alertname: 'NodeFilesystemAlmostFull' },
    commonAnnotations: {},
    externalURL: 'http://alertmanager.example:9093',
    version: '4',
    groupKey: '{}:{alertname="NodeFilesystemAlmostFull"}',
    truncatedAlerts: 0,
  };
}

/** The Grafana-managed alerting example (grafana.com webhook-notifier docs), trimmed to one alert. */
function grafanaMessage(): Record<string, unknown> {
  return {
    receiver: 'My Super Webhook',
    status: 'firing',
    orgId: 1,
    alerts: [
      {
        status: 'firing',
        labels: { alertname: 'High memory usage', team: 'blue', zone: 'us-1' },
        annotations: {
          description: 'The system has high memory usage',
          runbook_url: 'https://myrunbook.com/runbook/1234',
          summary: 'This alert was triggered for zone us-1',
        },
        startsAt: '2021-10-12T09:51:03.157076+02:00',
        endsAt: '0001-01-01T00:00:00Z',
        generatorURL: 'https://play.grafana.org/alerting/1afz29v7z/edit',
        fingerprint: 'c6eadffa33fcdf37',
        silenceURL: 'https://play.grafana.org/alerting/silence/new?alertmanager=grafana',
        dashboardURL: '',
        panelURL: '',
        values: { B: 44.23943737541908, C: 1 },
      },
    ],
    groupLabels: {},
    commonLabels: { alertname: 'High memory usage', team: 'blue', zone: 'us-1' },
    commonAnnotations: {},
    externalURL: 'https://play.grafana.org/',
    version: '1',
    groupKey: '{}:{alertname="High memory usage"}',
    truncatedAlerts: 0,
    title: '[FIRING:1] High memory usage (blue us-1)',
    state: 'alerting',
    message: '**Firing**\n\nLabels:\n - alertname = High memory usage',
  };
}

function payloadError(body: unknown): AlertPayloadError {
  try {
    parseAlertmanagerWebhook(body);
  } catch (error) {
    expect(error).toBeInstanceOf(AlertPayloadError);
    return error as AlertPayloadError;
  }
  throw new Error('expected an AlertPayloadError');
}

function paths(body: unknown): string[] {
  return payloadError(body).errors.map((e) => e.path);
}

describe('parseAlertmanagerWebhook', () => {
  it('accepts a v4 message and keeps its fields', () => {
    const webhook = parseAlertmanagerWebhook(alertmanagerMessage());
    expect(webhook).toMatchObject({
      version: '4',
      groupKey: '{}:{alertname="NodeFilesystemAlmostFull"}',
      status: 'firing',
      receiver: 'ballou',
      truncatedAlerts: 0,
      externalURL: 'http://alertmanager.example:9093',
      grafana: false,
    });
    expect(webhook.alerts).toHaveLength(2);
    expect(webhook.alerts[0]).toMatchObject({
      fingerprint: 'c6eadffa33fcdf37',
      startsAtMs: Date.UTC(2026, 11, 1, 19, 10, 0, 123),
      endsAtMs: null,
    });
    expect(webhook.alerts[1]?.endsAtMs).toBe(Date.UTC(2026, 11, 1, 17, 30));
  });

  it('accepts Grafana-managed alerting (version "1", orgId, extra URLs)', () => {
    const { webhook, alerts } = parseAlertmanagerAlerts(grafanaMessage());
    expect(webhook.grafana).toBe(true);
    expect(alerts[0]).toMatchObject({
      format: 'grafana',
      alertName: 'High memory usage',
      summary: 'This alert was triggered for zone us-1',
      links: [
        'https://play.grafana.org/alerting/1afz29v7z/edit',
        'https://myrunbook.com/runbook/1234',
        'https://play.grafana.org/alerting/silence/new?alertmanager=grafana',
      ],
      startsAtMs: Date.UTC(2021, 9, 12, 7, 51, 3, 157),
    });
  });

  it('names every missing required field by JSON Pointer', () => {
    expect(paths({})).toEqual(['/version', '/groupKey', '/status', '/receiver', '/alerts']);
    const message = alertmanagerMessage();
    message.alerts = [{}, {}, {}, { status: 'firing', labels: {}, startsAt: '2026-12-01T19:10:00Z' }];
    expect(paths(message)).toEqual([
      ...['/alerts/0/status', '/alerts/0/labels', '/alerts/0/startsAt', '/alerts/0/fingerprint'],
      ...['/alerts/1/status', '/alerts/1/labels', '/alerts/1/startsAt', '/alerts/1/fingerprint'],
      ...['/alerts/2/status', '/alerts/2/labels', '/alerts/2/startsAt', '/alerts/2/fingerprint'],
      '/alerts/3/fingerprint',
    ]);
  });

  it('refuses each required field alone when it is missing', () => {
    for (const field of ['version', 'groupKey', 'status', 'receiver', 'alerts']) {
      const message = alertmanagerMessage();
      delete message[field];
      expect(paths(message)).toEqual([`/${field}`]);
    }
    for (const field of ['status', 'labels', 'startsAt', 'fingerprint']) {
      const message = alertmanagerMessage();
      delete (message.alerts as Record<string, unknown>[])[1]![field];
      expect(paths(message)).toEqual([`/alerts/1/${field}`]);
    }
  });

  it('refuses wrong types and values, naming each', () => {
    const message = alertmanagerMessage();
    Object.assign(message, {
      version: 4,
      status: 'pending',
      groupKey: '',
      truncatedAlerts: -1,
      groupLabels: ['alertname'],
      commonLabels: { severity: 3 },
      externalURL: false,
    });
    const error = payloadError(message);
    expect(error.errors).toEqual([
      { path: '/version', message: 'must be a string' },
      { path: '/groupKey', message: 'must not be empty' },
      { path: '/status', message: 'must be "firing" or "resolved"' },
      { path: '/truncatedAlerts', message: 'must be a whole number ≥ 0' },
      { path: '/groupLabels', message: 'must be an object of strings' },
      { path: '/commonLabels/severity', message: 'must be a string' },
      { path: '/externalURL', message: 'must be a string' },
    ]);
    expect(error.message).toContain('/version must be a string');
    expect(error).toBeInstanceOf(WebhookPayloadError);
    expect(error.toDomainError()).toMatchObject({ code: 'VALIDATION_FAILED', errors: error.errors });
  });

  it('refuses bad alert fields: status, labels, times, over-long fingerprint', () => {
    const message = alertmanagerMessage();
    message.alerts = [
      'not an alert',
      {
        status: 'FIRING',
        labels: { alertname: 'X', 'weird/~key': 1 },
        annotations: 'text',
        startsAt: 'yesterday',
        endsAt: '2026-02-30T00:00:00Z',
        fingerprint: 'f'.repeat(300),
      },
    ];
    expect(payloadError(message).errors).toEqual([
      { path: '/alerts/0', message: 'must be an object (an alert)' },
      { path: '/alerts/1/status', message: 'must be "firing" or "resolved"' },
      { path: '/alerts/1/labels/weird~1~0key', message: 'must be a string' },
      { path: '/alerts/1/annotations', message: 'must be an object of strings' },
      { path: '/alerts/1/startsAt', message: 'must be an RFC 3339 date-time, e.g. 2026-12-01T19:10:00Z' },
      { path: '/alerts/1/endsAt', message: 'must be an RFC 3339 date-time, e.g. 0001-01-01T00:00:00Z' },
      { path: '/alerts/1/fingerprint', message: 'must be at most 255 characters' },
    ]);
  });

  it('refuses other webhook versions and non-objects', () => {
    expect(payloadError({ ...alertmanagerMessage(), version: '3' }).errors).toEqual([
      { path: '/version', message: 'must be "4" (Alertmanager webhook v4)' },
    ]);
    for (const body of [null, [], 'text', 42, undefined])
      expect(payloadError(body).errors).toEqual([
        { path: '/', message: 'must be a JSON object (an Alertmanager webhook message)' },
      ]);
  });

  it('caps the list of problems for garbage bodies', () => {
    const message = alertmanagerMessage();
    message.alerts = Array.from({ length: 1000 }, () => ({}));
    const error = payloadError(message);
    expect(error.errors).toHaveLength(MAX_REPORTED_ERRORS + 1);
    expect(error.errors.at(-1)).toEqual({
      path: '/',
      message: `and ${4000 - MAX_REPORTED_ERRORS} more problems`,
    });
  });
});

describe('normalizeAlertmanagerWebhook', () => {
  it('normalises each alert', () => {
    const [firing, resolved] = parseAlertmanagerAlerts(alertmanagerMessage()).alerts;
    expect(firing).toEqual({
      source: 'alertmanager',
      format: 'alertmanager',
      problemKey: 'c6eadffa33fcdf37',
      eventKey: `c6eadffa33fcdf37|${Date.UTC(2026, 11, 1, 19, 10, 0, 123)}|firing`,
      status: 'firing',
      alertName: 'NodeFilesystemAlmostFull',
      summary: 'Filesystem / on web1 has 3% left',
      description: 'Only 3% left.\nCleanup needed.',
      severity: 'critical',
      startsAtMs: Date.UTC(2026, 11, 1, 19, 10, 0, 123),
      endsAtMs: null,
      serverHint: 'web1.acme.se',
      serverCandidates: ['web1.acme.se'],
      customerHint: '556677-8899',
      labels: {
        alertname: 'NodeFilesystemAlmostFull',
        instance: 'web1.acme.se:9100',
        job: 'node',
        severity: 'critical',
        customer: '556677-8899',
      },
      links: [
        'http://prometheus.example:9090/graph?g0.expr=node_filesystem_avail_bytes',
        'https://runbooks.example/NodeFilesystemAlmostFull',
      ],
      groupKey: '{}:{alertname="NodeFilesystemAlmostFull"}',
    });
    expect(resolved).toMatchObject({
      status: 'resolved',
      summary: 'NodeFilesystemAlmostFull',
      description: null,
      serverHint: 'db1.acme.se',
      serverCandidates: ['db1.acme.se', '2001:db8::7'],
      customerHint: null,
      endsAtMs: Date.UTC(2026, 11, 1, 17, 30),
      links: [],
    });
  });

  it('eventKey differs for firing and resolved of one alert, and is stable for a retry', () => {
    const firing = alertmanagerMessage();
    const retry = structuredClone(firing);
    const resolvedMessage = structuredClone(firing);
    const alert0 = (resolvedMessage.alerts as Record<string, unknown>[])[0]!;
    alert0.status = 'resolved';
    alert0.endsAt = '2026-12-01T19:40:00Z';
    const [a] = parseAlertmanagerAlerts(firing).alerts;
    const [b] = parseAlertmanagerAlerts(retry).alerts;
    const [c] = parseAlertmanagerAlerts(resolvedMessage).alerts;
    expect(b?.eventKey).toBe(a?.eventKey);
    expect(c?.eventKey).not.toBe(a?.eventKey);
    expect(c?.problemKey).toBe(a?.problemKey);
  });

  it('a re-fire after resolve (new startsAt) is a new delivery of the same problem', () => {
    const first = alertmanagerMessage();
    const again = structuredClone(first);
    (again.alerts as Record<string, unknown>[])[0]!.startsAt = '2026-12-02T03:00:00Z';
    const [a] = parseAlertmanagerAlerts(first).alerts;
    const [b] = parseAlertmanagerAlerts(again).alerts;
    expect(b?.eventKey).not.toBe(a?.eventKey);
    expect(b?.problemKey).toBe(a?.problemKey);
  });

  it('makes untrusted text safe: no CR/LF in names or summaries, javascript: links dropped', () => {
    const message = alertmanagerMessage();
    const alert0 = (message.alerts as Record<string, Record<string, unknown>>[])[0]!;
    alert0.labels!.alertname = 'Disk\r\nBcc: x@example.com';
    alert0.annotations = { summary: `evil\n${'x'.repeat(5000)}`, runbook_url: 'javascript:alert(1)' };
    const [alert] = parseAlertmanagerAlerts(message).alerts;
    expect(alert?.alertName).toBe('Disk Bcc: x@example.com');
    expect(alert?.summary).not.toMatch(/[\r\n]/);
    expect(Array.from(alert?.summary ?? '')).toHaveLength(1024);
    expect(alert?.links).toEqual([
      'http://prometheus.example:9090/graph?g0.expr=node_filesystem_avail_bytes',
    ]);
    expect(alert?.labels.alertname).toBe('Disk Bcc: x@example.com');
  });

  it('falls back to groupLabels.alertname and then "Alert" for the name', () => {
    const message = alertmanagerMessage();
    const alert0 = (message.alerts as Record<string, Record<string, unknown>>[])[0]!;
    alert0.labels = { instance: 'x:1' };
    expect(parseAlertmanagerAlerts(message).alerts[0]?.alertName).toBe('NodeFilesystemAlmostFull');
    message.groupLabels = {};
    expect(parseAlertmanagerAlerts(message).alerts[0]?.alertName).toBe('Alert');
  });

  it('groups one message into one incident per matched server', () => {
    const message = alertmanagerMessage();
    (message.alerts as Record<string, unknown>[]).push({
      ...(message.alerts as Record<string, unknown>[])[0],
      fingerprint: '0000000000000001',
    });
    const alerts = normalizeAlertmanagerWebhook(parseAlertmanagerWebhook(message));
    const groups = groupAlerts(alerts);
    expect(groups.map((g) => [g.target, g.alerts.length])).toEqual([
      ['server:web1.acme.se', 2],
      ['server:db1.acme.se', 1],
    ]);
  });
});
