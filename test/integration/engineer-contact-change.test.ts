import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jobHandlers } from '../../src/app/jobs/job-handlers.js';
import { JobWorker } from '../../src/app/jobs/job-worker.js';
import { start46elksStandIn, type ElksStandIn } from '../stand-ins/elks-stand-in.js';
import { startSmtpStandIn, type SmtpStandIn } from '../stand-ins/smtp-stand-in.js';
import { DIALECTS, elksEnv, startTestApp, type TestApp } from './support/test-runtime.js';

/**
 * A new phone number redirects every page (ASVS 2.2.3 in the spec's checklist): the old number, the new
 * one and the engineer's e-mail are told, through the outbox, in the change's transaction.
 */
for (const dialect of DIALECTS) {
  describe(`an engineer's contact details changed on ${dialect}`, () => {
    let t: TestApp;
    let elks: ElksStandIn;
    let smtp: SmtpStandIn;
    let worker: JobWorker;
    let manager: string;
    let engineerId: string;

    const drain = async () => {
      while ((await worker.runOnce()) > 0) {
        /* until nothing is due */
      }
    };
    const patch = (body: object) => t.call('PATCH', `/api/v1/engineers/${engineerId}`, manager, body);
    const engineerRow = () =>
      t.ctx.db.selectFrom('engineers').selectAll().where('id', '=', engineerId).executeTakeFirstOrThrow();

    beforeAll(async () => {
      [elks, smtp] = await Promise.all([start46elksStandIn(), startSmtpStandIn()]);
      t = await startTestApp(dialect, { ...elksEnv(elks), BALLOU_SMTP_URL: smtp.url });
      worker = new JobWorker(t.ctx, { workerId: 'test', handlers: jobHandlers });
      manager = await t.token('manager');
      engineerId = (
        await t.call('POST', '/api/v1/engineers', manager, {
          name: 'Elin Ek',
          phone: '+46701110001',
          email: 'elin@ballou.example',
        })
      ).json().id;
      await drain();
    });
    afterAll(async () => {
      await t?.close();
      await Promise.all([elks?.close(), smtp?.close()]);
    });

    it('tells the old number, the new number and the e-mail when the phone changes; the old one never sees the new number whole', async () => {
      const res = await patch({ phone: '+46702220002' });
      expect(res.statusCode).toBe(200);
      await drain();
      const toOld = elks.sms.filter((s) => s.to === '+46701110001');
      const toNew = elks.sms.filter((s) => s.to === '+46702220002');
      expect(toOld).toHaveLength(1);
      expect(toOld[0]?.message).toMatch(/jourlarm för Elin Ek går nu till ett annat nummer \(\+46…002\)/);
      expect(toOld[0]?.message).not.toContain('+46702220002');
      expect(toNew).toHaveLength(1);
      expect(toNew[0]?.message).toMatch(/jourlarm för Elin Ek kommer från och med nu till det här numret/);
      const mails = smtp.messages.filter((m) => m.envelope.to.includes('elin@ballou.example'));
      expect(mails).toHaveLength(1);
      expect(mails[0]?.subject).toContain('Your on-call contact details were changed');
      expect(mails[0]?.text).toContain('+46…001 → +46…002');
    });

    it('tells nobody when neither the phone nor the e-mail changes', async () => {
      const before = { sms: elks.sms.length, mails: smtp.messages.length };
      expect((await patch({ name: 'Elin Ekström', phone: '+46702220002' })).statusCode).toBe(200);
      await drain();
      expect({ sms: elks.sms.length, mails: smtp.messages.length }).toEqual(before);
    });

    it('tells the old and the new e-mail address when the address changes', async () => {
      expect((await patch({ email: 'elin.ekstrom@ballou.example' })).statusCode).toBe(200);
      await drain();
      const to = (address: string) => smtp.messages.filter((m) => m.envelope.to.includes(address));
      expect(to('elin@ballou.example')).toHaveLength(2);
      expect(to('elin@ballou.example').at(-1)?.text).toContain('e…@ballou.example → e…@ballou.example');
      expect(to('elin.ekstrom@ballou.example')).toHaveLength(1);
    });

    it('a refused old number does not mark the new one as failing; a refused new one does', async () => {
      elks.unreachable.add('+46702220002'); // the current number, about to become the old one
      expect((await patch({ phone: '+46703330003' })).statusCode).toBe(200);
      await drain();
      expect((await engineerRow()).phone_failing_since).toBeNull();
      elks.unreachable.add('+46704440004'); // a mistyped new number
      expect((await patch({ phone: '+46704440004' })).statusCode).toBe(200);
      await drain();
      expect((await engineerRow()).phone_failing_since).not.toBeNull();
      elks.unreachable.clear();
    });
  });
}
