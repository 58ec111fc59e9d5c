/**
 * The alert-sender stand-ins (test/stand-ins/alert-senders.ts) against a loopback receiver: they speak
 * like the real senders, and what they send is what our parsers accept.
 */
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  ALERTMANAGER_USER_AGENT,
  alertmanagerPayload,
  alertStorm,
  labelSetFingerprint,
  pagerDutyTrigger,
  resolvedPayload,
  sendAlertmanager,
  sendAlertStorm,
  sendGenericAlert,
  sendPagerDuty,
  sendUptimeKuma,
  uptimeKumaPayload,
  zabbixPayload,
} from '../../../test/stand-ins/alert-senders.js';
import { parseAlertmanagerAlerts } from './alertmanager.js';
import { parseGenericAlert } from './generic.js';
import { groupAlerts } from './normalized-alert.js';
import { pagerDutySuccessBody, parsePagerDutyEvent } from './pagerduty.js';

interface Received {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}

let server: Server;
let origin: string;
const received: Received[] = [];
/** Statuses to answer with, first come first served; 200 when empty. */
const answers: number[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      received.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
      const status = answers.shift() ?? 200;
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(status === 202 ? pagerDutySuccessBody('k') : { ok: status < 300 }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
beforeEach(() => {
  received.length = 0;
  answers.length = 0;
});

describe('Alertmanager stand-in', () => {
  it('computes fingerprints like Prometheus (common/model signature_test.go vectors)', () => {
    expect(labelSetFingerprint({})).toBe(14695981039346656037n.toString(16));
    expect(labelSetFingerprint({ name: 'garland, briggs', fear: 'love is not enough' })).toBe(
      5799056148416392346n.toString(16).padStart(16, '0'),
    );
  });

  it('POSTs JSON with Bearer token and Alertmanager’s User-Agent; the body parses', async () => {
    const payload = alertmanagerPayload({
      alerts: [
        { labels: { alertname: 'DiskFull', instance: 'web1.acme.se:9100', severity: 'critical' } },
        { labels: { alertname: 'DiskFull', instance: 'web2.acme.se:9100', severity: 'critical' } },
      ],
    });
    const result = await sendAlertmanager(`${origin}/webhooks/alertmanager`, 'tok3n', payload);
    expect(result.status).toBe(200);
    const [request] = received;
    expect(request).toMatchObject({ method: 'POST', url: '/webhooks/alertmanager' });
    expect(request?.headers).toMatchObject({
      authorization: 'Bearer tok3n',
      'content-type': 'application/json',
      'user-agent': ALERTMANAGER_USER_AGENT,
    });
    const { webhook, alerts } = parseAlertmanagerAlerts(JSON.parse(request?.body ?? '') as unknown);
    expect(webhook).toMatchObject({
      groupKey: '{}:{alertname="DiskFull"}',
      groupLabels: { alertname: 'DiskFull' },
      commonLabels: { alertname: 'DiskFull', severity: 'critical' },
      status: 'firing',
    });
    expect(alerts.map((a) => a.serverHint)).toEqual(['web1.acme.se', 'web2.acme.se']);
    expect(alerts[0]?.endsAtMs).toBeNull();

    const resolved = parseAlertmanagerAlerts(resolvedPayload(payload)).alerts;
    expect(resolved.map((a) => a.status)).toEqual(['resolved', 'resolved']);
    expect(resolved[0]?.problemKey).toBe(alerts[0]?.problemKey);
  });

  it('retries 5xx but not 4xx, like Alertmanager', async () => {
    const payload = alertmanagerPayload({ alerts: [{ labels: { alertname: 'X' } }] });
    answers.push(503, 503);
    const retried = await sendAlertmanager(`${origin}/am`, 't', payload, { retries: 3, retryDelayMs: 1 });
    expect(retried).toMatchObject({ status: 200, attempts: 3 });
    answers.push(400);
    const dropped = await sendAlertmanager(`${origin}/am`, 't', payload, { retries: 3, retryDelayMs: 1 });
    expect(dropped).toMatchObject({ status: 400, attempts: 1 });
  });
});

describe('PagerDuty stand-in', () => {
  it('POSTs to …/v2/enqueue, retries 429, reads the answer', async () => {
    const event = pagerDutyTrigger('R0123456789abcdefABCDEF012345678', {
      summary: 'Disk full on web1',
      source: 'web1.acme.se',
    });
    answers.push(429, 202);
    const result = await sendPagerDuty(`${origin}/webhooks/pagerduty`, event, {
      retries: 2,
      retryDelayMs: 1,
    });
    expect(result).toMatchObject({ status: 202, attempts: 2, json: pagerDutySuccessBody('k') });
    expect(received.map((r) => r.url)).toEqual([
      '/webhooks/pagerduty/v2/enqueue',
      '/webhooks/pagerduty/v2/enqueue',
    ]);
    expect(parsePagerDutyEvent(JSON.parse(received[1]?.body ?? '') as unknown)).toMatchObject({
      event_action: 'trigger',
      payload: { summary: 'Disk full on web1', severity: 'critical' },
    });
  });
});

describe('Uptime Kuma stand-in', () => {
  const payload = uptimeKumaPayload({ monitorId: 7, name: 'Shop', url: 'https://shop.acme.se/', status: 0 });

  it('sends JSON with extra headers', async () => {
    await sendUptimeKuma(`${origin}/webhooks/generic`, payload, { headers: { authorization: 'Bearer k' } });
    expect(received[0]?.headers.authorization).toBe('Bearer k');
    expect(parseGenericAlert(JSON.parse(received[0]?.body ?? '') as unknown).alert?.problemKey).toBe(
      'uptime-kuma|7',
    );
  });

  it('sends form-data (field data) and GET query parameters, both parse', async () => {
    await sendUptimeKuma(`${origin}/f`, payload, { contentType: 'form-data' });
    const form = await new Response(received[0]?.body, {
      headers: { 'content-type': received[0]?.headers['content-type'] ?? '' },
    }).formData();
    expect(parseGenericAlert({ data: form.get('data') }).alert?.status).toBe('firing');

    await sendUptimeKuma(`${origin}/g`, payload, { contentType: 'get' });
    expect(received[1]?.method).toBe('GET');
    const query = Object.fromEntries(new URL(received[1]?.url ?? '', origin).searchParams);
    expect(parseGenericAlert(query).alert?.serverHint).toBe('shop.acme.se');
  });
});

describe('Zabbix / generic stand-in', () => {
  it('POSTs JSON with a Bearer token', async () => {
    const body = zabbixPayload({
      eventId: '1',
      problem: true,
      host: 'db1.acme.se',
      subject: 'Problem: down',
    });
    await sendGenericAlert(`${origin}/webhooks/generic`, 'z', body);
    expect(received[0]?.headers.authorization).toBe('Bearer z');
    expect(parseGenericAlert(JSON.parse(received[0]?.body ?? '') as unknown).format).toBe('zabbix');
  });
});

describe('alert storm', () => {
  it('1 000 alerts in 100 groups make 100 incidents', () => {
    const payloads = alertStorm({ groups: 100, alertsPerGroup: 10 });
    expect(payloads).toHaveLength(100);
    const alerts = payloads.flatMap((p) => parseAlertmanagerAlerts(p).alerts);
    expect(alerts).toHaveLength(1000);
    expect(new Set(alerts.map((a) => a.problemKey)).size).toBe(1000);
    expect(groupAlerts(alerts)).toHaveLength(100);
    // Fewer servers than groups: still one incident per group.
    const shared = alertStorm({ servers: ['a.example', 'b.example', 'c.example'] }).flatMap(
      (p) => parseAlertmanagerAlerts(p).alerts,
    );
    expect(groupAlerts(shared)).toHaveLength(100);
  });

  it('is deterministic', () => {
    expect(alertStorm({ groups: 3, alertsPerGroup: 2 })).toEqual(
      alertStorm({ groups: 3, alertsPerGroup: 2 }),
    );
  });

  it('sendAlertStorm delivers every payload with bounded concurrency, in order', async () => {
    const payloads = alertStorm({ groups: 20, alertsPerGroup: 2 });
    const results = await sendAlertStorm(`${origin}/am`, 't', payloads, { concurrency: 4 });
    expect(results.every((r) => r.status === 200)).toBe(true);
    expect(received).toHaveLength(20);
    const keys = received.map((r) => (JSON.parse(r.body) as { groupKey: string }).groupKey).sort();
    expect(keys).toEqual(payloads.map((p) => p.groupKey).sort());
  });
});
