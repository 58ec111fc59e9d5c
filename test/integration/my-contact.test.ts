import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser } from '../../src/app/auth/users.js';
import { jobHandlers } from '../../src/app/jobs/job-handlers.js';
import { JobWorker } from '../../src/app/jobs/job-worker.js';
import { start46elksStandIn, type ElksStandIn } from '../stand-ins/elks-stand-in.js';
import { startSmtpStandIn, type SmtpStandIn } from '../stand-ins/smtp-stand-in.js';
import { DIALECTS, elksEnv, startTestApp, SYSTEM, type TestApp } from './support/test-runtime.js';

/**
 * An engineer keeps their own on-call details right from My account (`/me/contact`): sees them, changes
 * the phone with their password (the old and the new number are told, as when a manager changes it), and
 * sends themself a test SMS the way pages go. Nobody else's details, and nothing with a token.
 */
const PASSWORD = 'korrekt häst batteri häftklammer';

for (const dialect of DIALECTS) {
  describe(`my on-call contact details on ${dialect}`, () => {
    let t: TestApp;
    let elks: ElksStandIn;
    let smtp: SmtpStandIn;
    let worker: JobWorker;
    let engineerId: string;
    let session: { cookie: string; csrf: string };

    const drain = async () => {
      while ((await worker.runOnce()) > 0) {
        /* until nothing is due */
      }
    };
    const asMe = (method: 'GET' | 'PATCH' | 'POST', url: string, body?: object) =>
      t.app.inject({
        method,
        url: `/api/v1${url}`,
        headers: { cookie: session.cookie, 'x-csrf-token': session.csrf },
        ...(body ? { payload: body } : {}),
      });
    const engineerRow = () =>
      t.ctx.db.selectFrom('engineers').selectAll().where('id', '=', engineerId).executeTakeFirstOrThrow();
    const auditOf = (action: string) =>
      t.ctx.db.selectFrom('audit_log').selectAll().where('action', '=', action).execute();

    beforeAll(async () => {
      [elks, smtp] = await Promise.all([start46elksStandIn(), startSmtpStandIn()]);
      t = await startTestApp(dialect, {
        ...elksEnv(elks),
        BALLOU_SMTP_URL: smtp.url,
        BALLOU_LOGIN_RATE_LIMIT: '1000',
      });
      worker = new JobWorker(t.ctx, { workerId: 'test', handlers: jobHandlers });
      const manager = await t.token('manager');
      engineerId = (
        await t.call('POST', '/api/v1/engineers', manager, {
          name: 'Sara Berg',
          phone: '+46703330001',
          email: 'sara@ballou.example',
        })
      ).json().id;
      await createUser(t.ctx, SYSTEM, {
        email: 'sara.login@ballou.example',
        // The account's display name, not the engineer's: notices and the audit name the one signed in.
        name: 'Sara E. Berg',
        password: PASSWORD,
        role: 'engineer',
        engineerId,
      });
      const login = await t.app.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        payload: { email: 'sara.login@ballou.example', password: PASSWORD },
      });
      expect(login.statusCode).toBe(200);
      const raw = login.headers['set-cookie'];
      const line = (Array.isArray(raw) ? raw[0] : raw) as string;
      session = { cookie: line.split(';')[0] as string, csrf: login.json().csrfToken };
      await drain();
    });
    afterAll(async () => {
      await t?.close();
      await Promise.all([elks?.close(), smtp?.close()]);
    });

    it('shows me my own phone, page e-mail and reminder channel', async () => {
      const res = await asMe('GET', '/me/contact');
      expect(res.statusCode).toBe(200);
      expect(res.json()).toMatchObject({
        id: engineerId,
        name: 'Sara Berg',
        phone: '+46703330001',
        email: 'sara@ballou.example',
        notifyChannel: 'sms',
        phoneFailingSince: null,
      });
    });

    it('changes nothing and tells nobody without my current password', async () => {
      const sms = elks.sms.length;
      const res = await asMe('PATCH', '/me/contact', { phone: '+46703330002', currentPassword: 'fel' });
      expect(res.statusCode).toBe(400);
      expect(res.json().errors).toEqual([
        { path: '/currentPassword', message: 'is not your current password' },
      ]);
      await drain();
      expect((await engineerRow()).phone).toBe('+46703330001');
      expect(elks.sms.length).toBe(sms);
      // A number that is no phone number is refused, with the right password too, and changes nothing.
      const bad = await asMe('PATCH', '/me/contact', { phone: '0701234', currentPassword: PASSWORD });
      expect(bad.statusCode).toBe(400);
      expect(bad.json().errors.map((e: { path: string }) => e.path)).toEqual(['/phone']);
      expect((await engineerRow()).phone).toBe('+46703330001');
      // A new number needs a password field at all: the schema says so before anything is looked up.
      expect((await asMe('PATCH', '/me/contact', { phone: '+46703330002' })).statusCode).toBe(400);
    });

    it('changes my phone with my password, tells the old and the new number, and audits it as mine', async () => {
      const res = await asMe('PATCH', '/me/contact', { phone: '+46703330002', currentPassword: PASSWORD });
      expect(res.statusCode).toBe(200);
      expect(res.json().phone).toBe('+46703330002');
      expect((await engineerRow()).phone).toBe('+46703330002');
      await drain();
      expect(elks.sms.filter((s) => s.to === '+46703330001').at(-1)?.message).toMatch(
        /jourlarm för Sara Berg går nu till ett annat nummer \(\+46…002\), ändrat av Sara E\. Berg\./,
      );
      expect(elks.sms.filter((s) => s.to === '+46703330002')).toHaveLength(1);
      const [audit] = await auditOf('engineer.updated');
      expect(audit).toMatchObject({ actor_name: 'Sara E. Berg', actor_type: 'user', entity_id: engineerId });
    });

    it('sends me a test SMS the way pages go, and a number the provider refuses shows as failing', async () => {
      const res = await asMe('POST', '/me/contact/test');
      expect(res.statusCode).toBe(200);
      expect(res.json()).toEqual({ to: '+46703330002' });
      await drain();
      expect(elks.sms.filter((s) => s.to === '+46703330002').at(-1)?.message).toMatch(
        /testmeddelande till Sara Berg/,
      );
      expect(await auditOf('engineer.test_page_sent')).toHaveLength(1);
      // The provider refuses the number: the test shows it now, not at the first page of the night.
      elks.unreachable.add('+46703330002');
      try {
        expect((await asMe('POST', '/me/contact/test')).statusCode).toBe(200);
        await drain();
        expect((await engineerRow()).phone_failing_since).not.toBeNull();
        expect((await asMe('GET', '/me/contact')).json().phoneFailingSince).not.toBeNull();
      } finally {
        elks.unreachable.delete('+46703330002');
      }
    });

    it('has nothing for an API token, whatever its role (customers are refused by role: access matrix)', async () => {
      for (const role of ['admin', 'manager', 'engineer'] as const) {
        const token = await t.token(role);
        expect((await t.call('GET', '/api/v1/me/contact', token)).statusCode).toBe(403);
        expect(
          (
            await t.call('PATCH', '/api/v1/me/contact', token, {
              phone: '+46703339999',
              currentPassword: 'x',
            })
          ).statusCode,
        ).toBe(403);
      }
      expect((await engineerRow()).phone).toBe('+46703330002');
    });

    it('sends at most three test SMS in ten minutes', async () => {
      // Two went out above; the third is the last.
      expect((await asMe('POST', '/me/contact/test')).statusCode).toBe(200);
      expect((await asMe('POST', '/me/contact/test')).statusCode).toBe(429);
    });
  });
}
