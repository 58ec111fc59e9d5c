import { describe, expect, it } from 'vitest';
import {
  uptimeKumaPayload,
  uptimeKumaTestPayload,
  zabbixPayload,
} from '../../../test/stand-ins/alert-senders.js';
import { AlertPayloadError } from './alert-payload-error.js';
import { parseGenericAlert } from './generic.js';

function problems(body: unknown): { path: string; message: string }[] {
  try {
    parseGenericAlert(body);
  } catch (error) {
    expect(error).toBeInstanceOf(AlertPayloadError);
    return (error as AlertPayloadError).errors;
  }
  throw new Error('expected an AlertPayloadError');
}

describe('Uptime Kuma', () => {
  const down = uptimeKumaPayload({
    monitorId: 12,
    name: 'Acme shop',
    url: 'https://Shop.Acme.se/health',
    status: 0,
    time: '2026-12-01 18:10:00.000',
    msg: 'timeout of 48000ms exceeded',
    tags: [{ name: 'customer', value: '556677-8899' }],
  });

  it('DOWN opens: a firing alert keyed by the monitor', () => {
    const { format, alert } = parseGenericAlert(down);
    expect(format).toBe('uptime-kuma');
    expect(alert).toMatchObject({
      source: 'generic',
      format: 'uptime-kuma',
      problemKey: 'uptime-kuma|12',
      eventKey: 'uptime-kuma|12|2026-12-01 18:10:00.000|0',
      status: 'firing',
      alertName: 'Acme shop',
      summary: '[Acme shop] [🔴 Down] timeout of 48000ms exceeded',
      startsAtMs: Date.UTC(2026, 11, 1, 18, 10),
      serverHint: 'shop.acme.se',
      customerHint: '556677-8899',
      links: ['https://shop.acme.se/health'],
      labels: { customer: '556677-8899', monitor_type: 'http' },
    });
  });

  it('UP resolves the same problem with a different eventKey', () => {
    const up = uptimeKumaPayload({
      monitorId: 12,
      name: 'Acme shop',
      status: 1,
      time: '2026-12-01 18:20:00.000',
    });
    const { alert } = parseGenericAlert(up);
    const firing = parseGenericAlert(down).alert;
    expect(alert?.status).toBe('resolved');
    expect(alert?.endsAtMs).toBe(Date.UTC(2026, 11, 1, 18, 20));
    expect(alert?.problemKey).toBe(firing?.problemKey);
    expect(alert?.eventKey).not.toBe(firing?.eventKey);
  });

  it('a retry is the same delivery', () => {
    expect(parseGenericAlert(structuredClone(down)).alert?.eventKey).toBe(
      parseGenericAlert(down).alert?.eventKey,
    );
  });

  it('test notifications, PENDING and MAINTENANCE ask for nothing', () => {
    expect(parseGenericAlert(uptimeKumaTestPayload())).toEqual({
      format: 'uptime-kuma',
      alert: null,
      ignored: 'test notification (no heartbeat)',
    });
    expect(parseGenericAlert(uptimeKumaPayload({ status: 2 })).alert).toBeNull();
    expect(parseGenericAlert(uptimeKumaPayload({ status: 3 })).ignored).toBe('heartbeat status MAINTENANCE');
  });

  it('accepts the form-data variant (field data) and the GET variant (JSON in query parameters)', () => {
    expect(parseGenericAlert({ data: JSON.stringify(down) }).alert?.eventKey).toBe(
      parseGenericAlert(down).alert?.eventKey,
    );
    const query = {
      msg: down.msg,
      heartbeat: JSON.stringify(down.heartbeat),
      monitor: JSON.stringify(down.monitor),
    };
    expect(parseGenericAlert(query).alert?.problemKey).toBe('uptime-kuma|12');
  });

  it('uses the monitor hostname for ping monitors', () => {
    const ping = uptimeKumaPayload({ monitorId: 3, hostname: 'DB1.acme.se', status: 0 });
    expect(parseGenericAlert(ping).alert).toMatchObject({ serverHint: 'db1.acme.se', links: [] });
  });

  it('names missing heartbeat fields', () => {
    expect(problems({ heartbeat: {}, monitor: null, msg: 'x' }).map((p) => p.path)).toEqual([
      '/heartbeat/monitorID',
      '/heartbeat/status',
      '/heartbeat/time',
    ]);
    expect(problems({ heartbeat: { monitorID: 1, status: 9, time: 5 }, monitor: 'x' })).toEqual([
      { path: '/monitor', message: 'must be an object (the monitor) or null' },
      { path: '/heartbeat/status', message: 'must be 0 (DOWN), 1 (UP), 2 (PENDING) or 3 (MAINTENANCE)' },
      { path: '/heartbeat/time', message: 'must be a string' },
    ]);
  });
});

describe('Zabbix media type', () => {
  it('a problem opens, keyed by the event id; the recovery resolves it', () => {
    const problem = zabbixPayload({
      eventId: '4711',
      problem: true,
      host: 'DB1.acme.se',
      subject: 'Problem: Free disk space is less than 5% on volume /',
      severity: 'Disaster',
      tags: 'customer:556677-8899, service:mysql',
    });
    const { format, alert } = parseGenericAlert(problem);
    expect(format).toBe('zabbix');
    expect(alert).toMatchObject({
      format: 'zabbix',
      problemKey: 'zabbix|4711',
      eventKey: 'zabbix|4711|1|0|',
      status: 'firing',
      alertName: 'Problem: Free disk space is less than 5% on volume /',
      severity: 'Disaster',
      serverHint: 'db1.acme.se',
      serverCandidates: ['db1.acme.se'],
      customerHint: '556677-8899',
      links: ['https://zabbix.example/tr_events.php?triggerid=1&eventid=4711'],
    });
    expect(alert?.labels).toMatchObject({ service: 'mysql', host: 'DB1.acme.se' });
    expect(alert?.labels.host_ip).toBeUndefined(); // the unexpanded macro {HOST.IP}
    expect(alert?.description).toContain('\nHost: DB1.acme.se');

    const recovery = parseGenericAlert(
      zabbixPayload({ eventId: '4711', problem: false, host: 'db1', subject: 'Resolved' }),
    );
    expect(recovery.alert).toMatchObject({ status: 'resolved', problemKey: 'zabbix|4711' });
    expect(recovery.alert?.eventKey).not.toBe(alert?.eventKey);
  });

  it('updates (acknowledgements, comments) are distinct deliveries of the open problem', () => {
    const update = (message: string) =>
      parseGenericAlert(
        zabbixPayload({ eventId: '4711', problem: true, update: true, host: 'h', subject: 's', message }),
      ).alert;
    expect(update('ack by Anna')?.status).toBe('firing');
    expect(update('ack by Anna')?.eventKey).toBe(update('ack by Anna')?.eventKey);
    expect(update('comment by Bo')?.eventKey).not.toBe(update('ack by Anna')?.eventKey);
  });

  it('names the invalid fields', () => {
    expect(problems({ event_id: '{EVENT.ID}', event_value: '2', update_status: 'x' })).toEqual([
      { path: '/event_id', message: 'is required ({EVENT.ID})' },
      { path: '/event_value', message: 'must be 1 (problem) or 0 (recovery)' },
      { path: '/update_status', message: 'must be 0 or 1 ({EVENT.UPDATE.STATUS})' },
      { path: '/subject', message: 'is required ({ALERT.SUBJECT}), or trigger_name, or message' },
    ]);
  });
});

describe('simple generic JSON', () => {
  it('accepts {name, status, summary, dedupKey, server, customer, severity}', () => {
    const { format, alert } = parseGenericAlert({
      name: 'Backup failed',
      status: 'firing',
      summary: 'Nightly backup of db1 failed',
      dedupKey: 'backup-db1',
      server: 'db1.acme.se',
      customer: '42',
      severity: 'critical',
      startsAt: '2026-12-01T03:00:00+01:00',
      labels: { job: 'restic' },
      links: ['https://backup.example/runs/1', { href: 'https://backup.example/runs/2' }, 'javascript:x'],
    });
    expect(format).toBe('generic');
    expect(alert).toMatchObject({
      source: 'generic',
      format: 'generic',
      problemKey: 'backup-db1',
      status: 'firing',
      alertName: 'Backup failed',
      summary: 'Nightly backup of db1 failed',
      severity: 'critical',
      startsAtMs: Date.UTC(2026, 11, 1, 2),
      serverHint: 'db1.acme.se',
      customerHint: '42',
      labels: { job: 'restic' },
      links: ['https://backup.example/runs/1', 'https://backup.example/runs/2'],
    });
  });

  it('without a dedup key the problem is the name on the server; the summary defaults to the name', () => {
    const firing = parseGenericAlert({ name: 'Backup failed', status: 'firing', server: 'db1' }).alert;
    const resolved = parseGenericAlert({ name: 'Backup failed', status: 'resolved', server: 'db1' }).alert;
    expect(firing?.problemKey).toBe('generic|Backup failed|db1|');
    expect(resolved?.problemKey).toBe(firing?.problemKey);
    expect(resolved?.eventKey).not.toBe(firing?.eventKey);
    expect(firing?.summary).toBe('Backup failed');
  });

  it('accepts the Standard-Webhooks body {event_id, status, service, severity, summary, details}', () => {
    const body = {
      event_id: 'evt_1',
      status: 'resolved',
      service: 'billing-api',
      severity: 'high',
      summary: 'ok',
      details: { a: 1 },
    };
    const { alert } = parseGenericAlert(body);
    expect(alert).toMatchObject({
      alertName: 'billing-api',
      status: 'resolved',
      eventKey: 'event|evt_1|resolved',
    });
    expect(alert?.description).toBe('{"a":1}');
  });

  it('a webhook-id delivery id becomes the eventKey', () => {
    const { alert } = parseGenericAlert(
      { name: 'x', status: 'firing' },
      { deliveryId: 'msg_2KWPBgLlAfxdpx2AI54pPJ85f4W' },
    );
    expect(alert?.eventKey).toBe('delivery|msg_2KWPBgLlAfxdpx2AI54pPJ85f4W');
  });

  it('names missing and wrong fields', () => {
    expect(problems({})).toEqual([
      { path: '/name', message: 'is required (or service)' },
      { path: '/status', message: 'is required' },
    ]);
    expect(
      problems({
        name: 5,
        status: 'exploded',
        summary: [],
        customer: {},
        startsAt: 'soon',
        labels: { a: 1 },
        links: 'x',
      }),
    ).toEqual([
      { path: '/name', message: 'must be a string' },
      { path: '/status', message: 'must be "firing", "resolved" or "acknowledged"' },
      { path: '/summary', message: 'must be a string' },
      { path: '/customer', message: 'must be a string' },
      { path: '/startsAt', message: 'must be an RFC 3339 date-time, e.g. 2026-12-01T19:10:00+01:00' },
      { path: '/labels/a', message: 'must be a string' },
      { path: '/links', message: 'must be an array of URLs' },
    ]);
    expect(problems({ name: 'x', status: 'constructor' })[0]?.path).toBe('/status');
    expect(problems('text')).toEqual([{ path: '/', message: 'must be a JSON object (an alert)' }]);
  });

  it('strips CR/LF from names and summaries', () => {
    const { alert } = parseGenericAlert({
      name: 'a\r\nb',
      status: 'firing',
      summary: 'line1\nline2\u2028line3',
    });
    expect(alert?.alertName).toBe('a b');
    expect(alert?.summary).toBe('line1 line2 line3');
  });
});
