/**
 * An SMS outage at both providers, driven in-process with the test clock so that the back-off can be
 * walked through in milliseconds: 46elks and Twilio answer 500, then hang (no answer at all), then come
 * back. The send is retried with back-off (5 s, 10 s …), each hanging request is given up after
 * BALLOU_PROVIDER_TIMEOUT_MS (so it holds the worker for that long, not for the hang), Twilio is tried
 * whenever 46elks fails, and the message goes out once when they are back. A message whose every attempt
 * meets the outage fails and sends its e-mail fallback (it used to end in a failed job, silently).
 * The real-process version with escalation and calls is test/reliability/provider-outage.test.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEngineer } from '../../src/app/engineers/engineers.js';
import { jobHandlers } from '../../src/app/jobs/job-handlers.js';
import { JobWorker, retryDelayMs } from '../../src/app/jobs/job-worker.js';
import { enqueueMessage } from '../../src/app/messaging/enqueue-message.js';
import { start46elksStandIn, type ElksStandIn } from '../stand-ins/elks-stand-in.js';
import { startSmtpStandIn, type SmtpStandIn } from '../stand-ins/smtp-stand-in.js';
import { startTwilioStandIn, type TwilioStandIn } from '../stand-ins/twilio-stand-in.js';
import { DIALECTS, elksEnv, startTestApp, SYSTEM, type TestApp } from './support/test-runtime.js';

const TIMEOUT_MS = 300;
const PHONE = '+46701110077';

for (const dialect of DIALECTS) {
  describe(`an SMS outage at both providers (${dialect})`, () => {
    let t: TestApp;
    let elks: ElksStandIn;
    let twilio: TwilioStandIn;
    let smtp: SmtpStandIn;
    let worker: JobWorker;
    let engineerId: string;

    beforeAll(async () => {
      [elks, twilio, smtp] = await Promise.all([
        start46elksStandIn(),
        startTwilioStandIn(),
        startSmtpStandIn(),
      ]);
      t = await startTestApp(dialect, {
        ...elksEnv(elks),
        BALLOU_46ELKS_FROM: '+46766860000',
        BALLOU_TWILIO_API_URL: twilio.url,
        BALLOU_TWILIO_ACCOUNT_SID: twilio.accountSid,
        BALLOU_TWILIO_AUTH_TOKEN: twilio.authToken,
        BALLOU_TWILIO_FROM: '+46766860001',
        BALLOU_SMTP_URL: smtp.url,
        BALLOU_PROVIDER_TIMEOUT_MS: String(TIMEOUT_MS),
      });
      worker = new JobWorker(t.ctx, { workerId: 'outage-test', handlers: jobHandlers });
      engineerId = (
        await createEngineer(t.ctx, SYSTEM, {
          name: 'Jour Jonsson',
          phone: PHONE,
          email: 'jour@ballou.example',
        })
      ).id;
    });
    afterAll(async () => {
      elks?.outage(null);
      twilio?.outage(null);
      await t?.close();
      await Promise.all([elks?.close(), twilio?.close(), smtp?.close()]);
    });

    const smsDown = (mode: { status: number } | { hangMs: number } | null) => {
      elks.outage(mode, '/a1/sms');
      twilio.outage(mode, '/Messages.json');
    };
    const page = (body: string) =>
      enqueueMessage(t.ctx.db, t.ctx, {
        channel: 'sms',
        to: PHONE,
        body,
        engineerId,
        dedupeKey: `outage-test:${body}`,
        fallback: { channel: 'email', to: 'jour@ballou.example', subject: body, body, engineerId },
      });
    const stateOf = async (body: string) => {
      const n = await t.ctx.db
        .selectFrom('notifications')
        .selectAll()
        .where('body', '=', body)
        .where('channel', '=', 'sms')
        .executeTakeFirstOrThrow();
      const job = await t.ctx.db
        .selectFrom('jobs')
        .selectAll()
        .where('id', '=', n.job_id as string)
        .executeTakeFirstOrThrow();
      return { n, job };
    };
    const smsAttempts = () =>
      elks.requests.filter((r) => r.path === '/a1/sms').length +
      twilio.requests.filter((r) => r.path.endsWith('/Messages.json')).length;
    const delivered = (body: string) =>
      elks.sms.filter((s) => s.message === body).length +
      twilio.messages.filter((m) => m.body === body).length;

    it('retries through a 500 and a hang with back-off, bounded by the timeout, and sends once when back', async () => {
      const body = 'Larm: db1 svarar inte (500, sedan tyst)';
      smsDown({ status: 500 });
      await page(body);
      const before = smsAttempts();
      await worker.runOnce();
      let { n, job } = await stateOf(body);
      expect(n.status).toBe('retrying');
      expect(n.error).toMatch(/46elks answered 500.*fallback: twilio answered 500/);
      expect(smsAttempts() - before).toBe(2); // 46elks, then Twilio at once
      expect([job.status, job.attempts, Date.parse(job.due_at) - t.clock.now()]).toEqual([
        'pending',
        1,
        retryDelayMs(1),
      ]);

      // Now neither answers at all: each request is given up after the timeout, not after the hang.
      smsDown({ hangMs: 30_000 });
      t.clock.advance(retryDelayMs(1));
      const started = Date.now();
      await worker.runOnce();
      const tookMs = Date.now() - started;
      expect(tookMs).toBeGreaterThanOrEqual(2 * TIMEOUT_MS - 50);
      expect(tookMs).toBeLessThan(2 * TIMEOUT_MS + 3_000);
      ({ n, job } = await stateOf(body));
      expect(n.status).toBe('retrying');
      expect(n.error).toMatch(`did not answer within ${TIMEOUT_MS} ms`);
      expect([job.status, job.attempts, Date.parse(job.due_at) - t.clock.now()]).toEqual([
        'pending',
        2,
        retryDelayMs(2),
      ]);
      // Not due yet: an early run sends nothing.
      t.clock.advance(retryDelayMs(2) - 1_000);
      expect(await worker.runOnce()).toBe(0);

      smsDown(null);
      t.clock.advance(1_000);
      await worker.runOnce();
      ({ n, job } = await stateOf(body));
      expect([n.status, job.status]).toEqual(['sent', 'done']);
      expect(delivered(body)).toBe(1);
      // Delivered by SMS after all: no e-mail.
      expect(smtp.messages.filter((m) => m.subject === body)).toEqual([]);
    });

    it('fails a message whose every attempt meets the outage, and sends its e-mail fallback', async () => {
      const body = 'Larm: web2 nere hela natten';
      smsDown({ status: 503 });
      await page(body);
      let { job } = await stateOf(body);
      for (let attempt = 1; attempt <= job.max_attempts; attempt++) {
        await worker.runOnce();
        t.clock.advance(retryDelayMs(attempt));
      }
      await worker.runOnce(); // the fallback e-mail
      ({ job } = await stateOf(body));
      const { n } = await stateOf(body);
      expect([n.status, job.status, job.attempts]).toEqual(['failed', 'done', job.max_attempts]);
      expect(delivered(body)).toBe(0);
      const mails = smtp.messages.filter((m) => m.subject === body);
      expect(mails.map((m) => [m.envelope.to, m.text?.trim()])).toEqual([[['jour@ballou.example'], body]]);
      // The provider was down, the number is fine: the phone is not marked as failing.
      const engineer = await t.ctx.db
        .selectFrom('engineers')
        .select('phone_failing_since')
        .where('id', '=', engineerId)
        .executeTakeFirstOrThrow();
      expect(engineer.phone_failing_since).toBeNull();
      smsDown(null);
    });
  });
}
