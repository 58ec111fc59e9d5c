import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ESCALATE_JOB } from '../../src/app/incidents/escalation-job.js';
import { SEND_MESSAGE_JOB } from '../../src/app/messaging/enqueue-message.js';
import { start46elksStandIn, type ElksStandIn } from '../stand-ins/elks-stand-in.js';
import { startSmtpStandIn, type SmtpStandIn } from '../stand-ins/smtp-stand-in.js';
import { NIGHT, startPagingDesk, type PagingDesk } from './paging-fixture.js';
import { DIALECTS, elksEnv, startTestApp } from './support/test-runtime.js';

const TOKEN = 'prometheus-scrape-token-0123456789abcdef';

/** The value of one series in Prometheus's text format, 0 when the series is absent. */
function series(text: string, name: string, labels: Record<string, string> = {}): number {
  for (const line of text.split('\n')) {
    const m = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!m || m[1] !== name) continue;
    const found = Object.fromEntries([...(m[2] ?? '').matchAll(/(\w+)="([^"]*)"/g)].map((l) => [l[1], l[2]]));
    if (Object.entries(labels).every(([k, v]) => found[k] === v)) return Number(m[3]);
  }
  return 0;
}

for (const dialect of DIALECTS) {
  describe(`Prometheus metrics on ${dialect}`, () => {
    let elks: ElksStandIn;
    let smtp: SmtpStandIn;
    let desk: PagingDesk;

    beforeAll(async () => {
      elks = await start46elksStandIn();
      smtp = await startSmtpStandIn();
      desk = await startPagingDesk(dialect, {
        ...elksEnv(elks),
        BALLOU_46ELKS_FROM: '+46766860000',
        BALLOU_SMTP_URL: smtp.url,
        BALLOU_METRICS_TOKEN: TOKEN,
      });
    });
    afterAll(async () => {
      await desk?.close();
      await elks?.close();
      await smtp?.close();
    });

    const scrape = async (authorization = `Bearer ${TOKEN}`) => {
      const res = await desk.t.app.inject({ method: 'GET', url: '/metrics', headers: { authorization } });
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
      return res.body;
    };

    it('answers only a scraper with the metrics token', async () => {
      for (const headers of [{}, { authorization: 'Bearer not-the-token' }, { authorization: TOKEN }]) {
        const res = await desk.t.app.inject({ method: 'GET', url: '/metrics', headers });
        expect(res.statusCode).toBe(401);
        expect(res.headers['www-authenticate']).toBe('Bearer realm="metrics"');
        expect(res.body).not.toContain('ballou_');
      }
    });

    it('shows a callout waiting in the queue, then the pages it sent and the jobs that ran', async () => {
      const before = await scrape();
      const customer = await desk.t.call('POST', '/api/v1/customers', desk.admin, {
        name: 'Mätvärden AB',
        orgNumber: '556677-8899',
        tier: 'hog',
        agreementStart: '2026-01-01',
      });
      expect(customer.statusCode).toBe(201);
      const incident = await desk.t.call('POST', '/api/v1/incidents', desk.admin, {
        customerId: customer.json().id,
        summary: 'Webbservern svarar inte',
        channel: 'phone',
      });
      expect(incident.statusCode).toBe(201);
      // Nothing has run the queue for 20 s: the escalation step is due and waiting.
      desk.t.clock.set(NIGHT + 20_000);

      const waiting = await scrape();
      expect(series(waiting, 'ballou_open_incidents', { state: 'open' })).toBe(
        series(before, 'ballou_open_incidents', { state: 'open' }) + 1,
      );
      expect(series(waiting, 'ballou_jobs_due', { kind: ESCALATE_JOB })).toBe(1);
      expect(series(waiting, 'ballou_jobs_oldest_due_seconds', { kind: ESCALATE_JOB })).toBe(20);
      const created = { method: 'POST', route: '/api/v1/incidents', status: '2xx' };
      expect(series(waiting, 'ballou_http_request_duration_seconds_count', created)).toBe(
        series(before, 'ballou_http_request_duration_seconds_count', created) + 1,
      );
      expect(series(waiting, 'ballou_process_cpu_user_seconds_total')).toBeGreaterThan(0);
      expect(series(waiting, 'ballou_database_up')).toBe(1);

      await desk.drain();
      const paged = await scrape();
      expect(series(paged, 'ballou_jobs_due', { kind: ESCALATE_JOB })).toBe(0);
      expect(series(paged, 'ballou_jobs_due', { kind: SEND_MESSAGE_JOB })).toBe(0);
      const ran = (text: string, kind: string) =>
        series(text, 'ballou_jobs_run_total', { kind, outcome: 'done' });
      expect(ran(paged, ESCALATE_JOB)).toBe(ran(before, ESCALATE_JOB) + 1);
      expect(ran(paged, SEND_MESSAGE_JOB)).toBeGreaterThan(ran(before, SEND_MESSAGE_JOB));
      const sms = { channel: 'sms', provider: '46elks', outcome: 'sent' };
      expect(series(paged, 'ballou_messages_total', sms)).toBe(
        series(before, 'ballou_messages_total', sms) + 1,
      );
      expect(series(paged, 'ballou_message_queued_to_sent_seconds_count', { channel: 'sms' })).toBe(
        series(before, 'ballou_message_queued_to_sent_seconds_count', { channel: 'sms' }) + 1,
      );
    });

    it('still answers when the database does not, saying so, with the node metrics', async () => {
      const t = await startTestApp(dialect, { BALLOU_METRICS_TOKEN: TOKEN });
      try {
        await t.runtime.database.close();
        const res = await t.app.inject({
          method: 'GET',
          url: '/metrics',
          headers: { authorization: `Bearer ${TOKEN}` },
        });
        expect(res.statusCode).toBe(200);
        expect(series(res.body, 'ballou_database_up')).toBe(0);
        expect(series(res.body, 'ballou_process_cpu_user_seconds_total')).toBeGreaterThan(0);
        expect(res.body).not.toMatch(/^ballou_(jobs_due|open_incidents)\{/m);
      } finally {
        // Its database is closed already: PostgreSQL's pool refuses a second close (the test cluster is thrown away).
        await t.close().catch(() => undefined);
      }
    });

    it('is off (404) on a server without BALLOU_METRICS_TOKEN', async () => {
      const t = await startTestApp(dialect);
      try {
        const res = await t.app.inject({
          method: 'GET',
          url: '/metrics',
          headers: { authorization: `Bearer ${TOKEN}` },
        });
        expect(res.statusCode).toBe(404);
        expect(res.json().detail).toMatch(/BALLOU_METRICS_TOKEN/);
      } finally {
        await t.close();
      }
    });
  });
}
