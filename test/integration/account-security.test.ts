import { Secret, TOTP } from 'otpauth';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_FAILED_LOGINS } from '../../src/app/auth/sessions.js';
import { createUser } from '../../src/app/auth/users.js';
import { jobHandlers } from '../../src/app/jobs/job-handlers.js';
import { JobWorker } from '../../src/app/jobs/job-worker.js';
import { startSmtpStandIn, type SmtpStandIn } from '../stand-ins/smtp-stand-in.js';
import { DIALECTS, startTestApp, SYSTEM, type TestApp } from './support/test-runtime.js';

const PASSWORD = 'korrekt häst batteri häftklammer';
const NEW_PASSWORD = 'en helt annan lång fras 42';
const TOTP_KEY = 'a3'.repeat(32);

interface Browser {
  cookie: string;
  csrf: string;
}

function cookieOf(res: { headers: Record<string, unknown> }): string | undefined {
  const raw = res.headers['set-cookie'];
  const line = (Array.isArray(raw) ? raw[0] : raw) as string | undefined;
  return line?.split(';')[0];
}

/** The code an authenticator app shows at the test clock's "now" (SHA1, 6 digits, 30 s: the defaults). */
function codeAt(secret: string, nowMs: number): string {
  return TOTP.generate({ secret: Secret.fromBase32(secret), timestamp: nowMs });
}

async function setUp(dialect: (typeof DIALECTS)[number], env: Record<string, string>, smtp?: SmtpStandIn) {
  return startTestApp(dialect, {
    BALLOU_LOGIN_RATE_LIMIT: '1000',
    BALLOU_TOTP_KEY: TOTP_KEY,
    ...(smtp ? { BALLOU_SMTP_URL: smtp.url } : {}),
    ...env,
  });
}

function helpers(get: () => TestApp) {
  const login = (email: string, password: string) =>
    get().app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email, password } });
  const secondStep = (challenge: string, code: string) =>
    get().app.inject({ method: 'POST', url: '/api/v1/auth/login/totp', payload: { challenge, code } });
  const as = (b: Browser, method: 'GET' | 'POST', url: string, payload?: unknown) =>
    get().app.inject({
      method,
      url,
      headers: { cookie: b.cookie, 'x-csrf-token': b.csrf },
      ...(payload === undefined ? {} : { payload: payload as object }),
    });
  const browserOf = (res: Awaited<ReturnType<typeof login>>): Browser => {
    expect(res.statusCode).toBe(200);
    return { cookie: cookieOf(res) as string, csrf: res.json().csrfToken };
  };
  /** Logs in with the password only and turns TOTP on; returns the secret and the recovery codes. */
  const enrol = async (email: string) => {
    const b = browserOf(await login(email, PASSWORD));
    const started = await as(b, 'POST', '/api/v1/auth/totp/enrol', {});
    expect(started.statusCode).toBe(200);
    const { secret } = started.json();
    const confirmed = await as(b, 'POST', '/api/v1/auth/totp/confirm', {
      code: codeAt(secret, get().clock.now()),
    });
    expect(confirmed.statusCode).toBe(200);
    get().clock.advance(30_000); // the confirming code's step is used up
    return {
      secret: secret as string,
      recoveryCodes: confirmed.json().recoveryCodes as string[],
      browser: b,
    };
  };
  return { login, secondStep, as, browserOf, enrol };
}

for (const dialect of DIALECTS) {
  describe(`TOTP two-factor login on ${dialect}`, () => {
    let t: TestApp;
    const { login, secondStep, as, browserOf, enrol } = helpers(() => t);

    beforeAll(async () => {
      t = await setUp(dialect, {});
      for (const [email, role] of [
        ['anna@ballou.example', 'engineer'],
        ['bertil@ballou.example', 'manager'],
        ['cecilia@ballou.example', 'admin'],
        ['david@ballou.example', 'billing'],
        ['anna.b@ballou.example', 'engineer'],
        ['gustav@ballou.example', 'engineer'],
      ] as const)
        await createUser(t.ctx, SYSTEM, {
          email,
          name: email.split('@')[0] as string,
          password: PASSWORD,
          role,
        });
    });
    afterAll(async () => t?.close());

    it('enrols with a confirmed code, keeps the secret sealed, then asks for a code at login', async () => {
      const b = browserOf(await login('anna@ballou.example', PASSWORD));
      const started = await as(b, 'POST', '/api/v1/auth/totp/enrol', {});
      expect(started.statusCode).toBe(200);
      const { secret, uri } = started.json();
      expect(secret).toMatch(/^[A-Z2-7]{32}$/);
      expect(uri).toMatch(/^otpauth:\/\/totp\/.*anna%40ballou\.example\?/);
      expect(uri).toContain('algorithm=SHA1');
      expect(uri).toContain('digits=6');
      expect(uri).toContain('period=30');

      const wrong = await as(b, 'POST', '/api/v1/auth/totp/confirm', { code: '000000' });
      expect(wrong.statusCode).toBe(400);
      expect(wrong.json().errors).toEqual([expect.objectContaining({ path: '/code' })]);
      expect((await as(b, 'GET', '/api/v1/auth/totp')).json()).toMatchObject({
        enabled: false,
        pending: true,
      });

      const code = codeAt(secret, t.clock.now());
      const confirmed = await as(b, 'POST', '/api/v1/auth/totp/confirm', { code });
      expect(confirmed.statusCode).toBe(200);
      const { recoveryCodes } = confirmed.json();
      expect(recoveryCodes).toHaveLength(10);
      expect(new Set(recoveryCodes).size).toBe(10);

      const status = await as(b, 'GET', '/api/v1/auth/totp');
      expect(status.json()).toMatchObject({ enabled: true, pending: false, recoveryCodesLeft: 10 });
      // In Stockholm time with its offset, like every time in the API (12:00 CET on 1 December).
      expect(status.json().enabledAt).toMatch(/^2026-12-01T12:0\d:\d\d(\.\d{3})?\+01:00$/);
      expect(status.body).not.toContain(secret);
      const row = await t.ctx.db
        .selectFrom('users')
        .selectAll()
        .where('email', '=', 'anna@ballou.example')
        .executeTakeFirstOrThrow();
      expect(row.totp_secret).toMatch(/^gcm1:/);
      expect(JSON.stringify(row)).not.toContain(secret);
      const codes = await t.ctx.db.selectFrom('totp_recovery_codes').selectAll().execute();
      expect(JSON.stringify(codes)).not.toContain(recoveryCodes[0]);

      // Now the password alone opens no session.
      const first = await login('anna@ballou.example', PASSWORD);
      expect(first.statusCode).toBe(200);
      expect(first.json()).toMatchObject({ totpRequired: true });
      expect(first.headers['set-cookie']).toBeUndefined();
      const { challenge } = first.json();

      // The code that confirmed enrolment cannot be replayed in its window.
      const replay = await secondStep(challenge, code);
      expect(replay.statusCode).toBe(401);
      expect(replay.headers['set-cookie']).toBeUndefined();

      t.clock.advance(30_000);
      const fresh = codeAt(secret, t.clock.now());
      const ok = await secondStep(challenge, fresh);
      expect(ok.statusCode).toBe(200);
      const cookie = cookieOf(ok) as string;
      const me = await t.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: { cookie } });
      expect(me.json()).toMatchObject({
        name: 'anna',
        email: 'anna@ballou.example',
        totpEnrolmentRequired: false,
      });

      // A challenge works once, and the same code does not work again on a new one.
      expect((await secondStep(challenge, fresh)).statusCode).toBe(401);
      const again = (await login('anna@ballou.example', PASSWORD)).json().challenge;
      expect((await secondStep(again, fresh)).statusCode).toBe(401);

      const actions = (await t.ctx.db.selectFrom('audit_log').select('action').execute()).map(
        (a) => a.action,
      );
      expect(actions).toEqual(
        expect.arrayContaining(['auth.totp_enrolment_started', 'auth.totp_enabled', 'auth.login_totp_due']),
      );
      expect(JSON.stringify(await t.ctx.db.selectFrom('audit_log').selectAll().execute())).not.toContain(
        secret,
      );
    });

    it('accepts a code from the step before or after, not two steps off', async () => {
      const { secret } = await enrol('david@ballou.example');
      const challenge = (await login('david@ballou.example', PASSWORD)).json().challenge;
      expect((await secondStep(challenge, codeAt(secret, t.clock.now() + 60_000))).statusCode).toBe(401);
      expect((await secondStep(challenge, codeAt(secret, t.clock.now() + 30_000))).statusCode).toBe(200);
    });

    it('lets one code open one session even when two logins race with it', async () => {
      const { secret } = await enrol('gustav@ballou.example');
      const [a, b] = await Promise.all([
        login('gustav@ballou.example', PASSWORD),
        login('gustav@ballou.example', PASSWORD),
      ]);
      const code = codeAt(secret, t.clock.now());
      const results = await Promise.all([
        secondStep(a?.json().challenge, code),
        secondStep(b?.json().challenge, code),
      ]);
      expect(results.map((r) => r.statusCode).sort()).toEqual([200, 401]);
    });

    it('locks the account after repeated wrong codes, like wrong passwords', async () => {
      const { secret } = await enrol('bertil@ballou.example');
      const challenge = (await login('bertil@ballou.example', PASSWORD)).json().challenge;
      const right = codeAt(secret, t.clock.now());
      const wrong = right === '123456' ? '654321' : '123456';
      for (let i = 0; i < MAX_FAILED_LOGINS; i += 1) {
        const res = await secondStep(challenge, wrong);
        expect(res.statusCode).toBe(401);
      }
      expect((await secondStep(challenge, right)).statusCode).toBe(401);
      expect((await login('bertil@ballou.example', PASSWORD)).statusCode).toBe(401);
      t.clock.advance(16 * 60_000);
      const later = (await login('bertil@ballou.example', PASSWORD)).json().challenge;
      expect((await secondStep(later, codeAt(secret, t.clock.now()))).statusCode).toBe(200);
      const reasons = await t.ctx.db
        .selectFrom('audit_log')
        .select('data')
        .where('action', '=', 'auth.login_failed')
        .where('actor_name', '=', 'bertil@ballou.example')
        .execute();
      expect(reasons.map((r) => JSON.parse(r.data).reason)).toContain('bad_code');
      expect(reasons.map((r) => JSON.parse(r.data).reason)).toContain('locked');
    });

    it('lets a recovery code in once, and turns TOTP off only with password and code', async () => {
      const { secret, recoveryCodes } = await enrol('cecilia@ballou.example');
      const code = recoveryCodes[0] as string;
      const first = await secondStep(
        (await login('cecilia@ballou.example', PASSWORD)).json().challenge,
        code,
      );
      expect(first.statusCode).toBe(200);
      const b = browserOf(first);
      const second = await secondStep(
        (await login('cecilia@ballou.example', PASSWORD)).json().challenge,
        code,
      );
      expect(second.statusCode).toBe(401);
      expect((await as(b, 'GET', '/api/v1/auth/totp')).json().recoveryCodesLeft).toBe(9);

      // New recovery codes need the app's code; a recovery code offered there is refused and not spent.
      const withRecovery = await as(b, 'POST', '/api/v1/auth/totp/recovery-codes', {
        code: recoveryCodes[1],
      });
      expect(withRecovery.statusCode).toBe(400);
      expect((await as(b, 'GET', '/api/v1/auth/totp')).json().recoveryCodesLeft).toBe(9);
      const renewed = await as(b, 'POST', '/api/v1/auth/totp/recovery-codes', {
        code: codeAt(secret, t.clock.now()),
      });
      expect(renewed.statusCode).toBe(200);
      const fresh = renewed.json().recoveryCodes as string[];
      expect(fresh).toHaveLength(10);
      expect(fresh).not.toContain(recoveryCodes[1]);
      expect((await as(b, 'GET', '/api/v1/auth/totp')).json().recoveryCodesLeft).toBe(10);
      const oldCode = await secondStep(
        (await login('cecilia@ballou.example', PASSWORD)).json().challenge,
        recoveryCodes[1] as string,
      );
      expect(oldCode.statusCode).toBe(401);
      t.clock.advance(30_000);

      const badPassword = await as(b, 'POST', '/api/v1/auth/totp/disable', {
        password: 'inte rätt lösenord',
        code: codeAt(secret, t.clock.now()),
      });
      expect(badPassword.statusCode).toBe(400);
      expect(badPassword.json().errors[0].path).toBe('/password');
      const badCode = await as(b, 'POST', '/api/v1/auth/totp/disable', {
        password: PASSWORD,
        code: '000000',
      });
      expect(badCode.statusCode).toBe(400);
      expect(badCode.json().errors[0].path).toBe('/code');
      const extra = await as(b, 'POST', '/api/v1/auth/totp/disable', {
        password: PASSWORD,
        code: codeAt(secret, t.clock.now()),
        force: true,
      });
      expect(extra.statusCode).toBe(400);
      expect((await as(b, 'GET', '/api/v1/auth/totp')).json().enabled).toBe(true);

      const off = await as(b, 'POST', '/api/v1/auth/totp/disable', {
        password: PASSWORD,
        code: codeAt(secret, t.clock.now()),
      });
      expect(off.statusCode).toBe(204);
      const plain = await login('cecilia@ballou.example', PASSWORD);
      expect(plain.json().csrfToken).toEqual(expect.any(String));
      const cecilia = await t.ctx.db
        .selectFrom('users')
        .selectAll()
        .where('email', '=', 'cecilia@ballou.example')
        .executeTakeFirstOrThrow();
      expect(cecilia.totp_secret).toBeNull();
      expect(
        await t.ctx.db
          .selectFrom('totp_recovery_codes')
          .where('user_id', '=', cecilia.id)
          .selectAll()
          .execute(),
      ).toEqual([]);
      const actions = (await t.ctx.db.selectFrom('audit_log').select('action').execute()).map(
        (a) => a.action,
      );
      expect(actions).toEqual(expect.arrayContaining(['auth.totp_disable_refused', 'auth.totp_disabled']));
    });

    it("lets an administrator turn a lost second factor off, ending the user's sessions", async () => {
      const { secret } = await enrol('anna.b@ballou.example');
      const b = browserOf(
        await secondStep(
          (await login('anna.b@ballou.example', PASSWORD)).json().challenge,
          codeAt(secret, t.clock.now()),
        ),
      );
      const admin = await t.token('admin');
      const users = (await t.call('GET', '/api/v1/users', admin)).json() as Array<Record<string, unknown>>;
      const anna = users.find((u) => u.email === 'anna.b@ballou.example') as {
        id: string;
        totpEnabled: boolean;
      };
      expect(anna.totpEnabled).toBe(true);
      expect(JSON.stringify(users)).not.toContain(secret);

      const engineer = await t.token('engineer');
      expect((await t.call('POST', `/api/v1/users/${anna.id}/totp/reset`, engineer, {})).statusCode).toBe(
        403,
      );
      expect((await as(b, 'GET', '/api/v1/auth/totp')).json().enabled).toBe(true);
      const missing = await t.call(
        'POST',
        '/api/v1/users/00000000-0000-0000-0000-000000000000/totp/reset',
        admin,
        {},
      );
      expect(missing.statusCode).toBe(404);

      expect((await t.call('POST', `/api/v1/users/${anna.id}/totp/reset`, admin, {})).statusCode).toBe(204);
      expect((await as(b, 'GET', '/api/v1/auth/me')).statusCode).toBe(401);
      const plain = await login('anna.b@ballou.example', PASSWORD);
      expect(plain.json()).toMatchObject({ csrfToken: expect.any(String) });
      const notices = await t.ctx.db
        .selectFrom('notifications')
        .select(['subject', 'recipient'])
        .where('recipient', '=', 'anna.b@ballou.example')
        .execute();
      // Turned on, then turned off by an administrator: the owner hears of both.
      expect(notices).toHaveLength(2);
      const audit = await t.ctx.db
        .selectFrom('audit_log')
        .selectAll()
        .where('action', '=', 'auth.totp_reset_by_admin')
        .execute();
      expect(audit).toEqual([expect.objectContaining({ entity_id: anna.id, actor_type: 'token' })]);
    });

    it('refuses enrolment to API tokens and customers', async () => {
      const token = await t.token('engineer');
      expect((await t.call('POST', '/api/v1/auth/totp/enrol', token, {})).statusCode).toBe(403);
    });
  });

  describe(`TOTP required for staff on ${dialect}`, () => {
    let t: TestApp;
    const { login, as, browserOf } = helpers(() => t);

    beforeAll(async () => {
      t = await setUp(dialect, { BALLOU_TOTP_REQUIRED_FOR_STAFF: '1' });
      await createUser(t.ctx, SYSTEM, {
        email: 'erik@ballou.example',
        name: 'Erik',
        password: PASSWORD,
        role: 'engineer',
      });
    });
    afterAll(async () => t?.close());

    it('lets staff without TOTP reach only their account until they enrol', async () => {
      const res = await login('erik@ballou.example', PASSWORD);
      expect(res.json().totpEnrolmentRequired).toBe(true);
      const b = browserOf(res);
      const blocked = await as(b, 'GET', '/api/v1/incidents');
      expect(blocked.statusCode).toBe(403);
      expect(blocked.json().code).toBe('TOTP_ENROLMENT_REQUIRED');
      const { secret } = (await as(b, 'POST', '/api/v1/auth/totp/enrol', {})).json();
      const confirmed = await as(b, 'POST', '/api/v1/auth/totp/confirm', {
        code: codeAt(secret, t.clock.now()),
      });
      expect(confirmed.statusCode).toBe(200);
      expect((await as(b, 'GET', '/api/v1/auth/me')).json().totpEnrolmentRequired).toBe(false);
      expect((await as(b, 'GET', '/api/v1/incidents')).statusCode).toBe(200);
    });
  });

  describe(`password reset by e-mail on ${dialect}`, () => {
    let t: TestApp;
    let smtp: SmtpStandIn;
    let worker: JobWorker;
    const { login, as, browserOf } = helpers(() => t);

    beforeAll(async () => {
      smtp = await startSmtpStandIn();
      t = await setUp(dialect, { BALLOU_PUBLIC_URL: 'https://jour.ballou.example' }, smtp);
      worker = new JobWorker(t.ctx, { workerId: 'test', handlers: jobHandlers });
      await createUser(t.ctx, SYSTEM, {
        email: 'frida@ballou.example',
        name: 'Frida',
        password: PASSWORD,
        role: 'billing',
      });
    });
    afterAll(async () => {
      await t?.close();
      await smtp?.close();
    });

    const request = (email: string) =>
      t.app.inject({ method: 'POST', url: '/api/v1/auth/password-reset', payload: { email } });
    const confirm = (token: string, password: string) =>
      t.app.inject({
        method: 'POST',
        url: '/api/v1/auth/password-reset/confirm',
        payload: { token, password },
      });
    const drain = async () => {
      while ((await worker.runOnce()) > 0);
    };
    const mailsTo = (email: string) => smtp.messages.filter((m) => m.envelope.to.includes(email));
    const lastToken = (email: string) => {
      const text = mailsTo(email).at(-1)?.text ?? '';
      return /https:\/\/jour\.ballou\.example\/reset-password#(bpr_[A-Za-z0-9_-]+)/.exec(text)?.[1] as string;
    };

    it('answers the same for a known and an unknown address; only the known one gets a link', async () => {
      const known = await request('Frida@ballou.example');
      const unknown = await request('ingen@ballou.example');
      expect(known.statusCode).toBe(202);
      expect(unknown.statusCode).toBe(202);
      expect(known.body).toBe(unknown.body);
      await drain();
      expect(mailsTo('frida@ballou.example')).toHaveLength(1);
      expect(mailsTo('ingen@ballou.example')).toHaveLength(0);
      expect(lastToken('frida@ballou.example')).toMatch(/^bpr_/);
      const stored = await t.ctx.db.selectFrom('password_resets').selectAll().execute();
      expect(JSON.stringify(stored)).not.toContain(lastToken('frida@ballou.example'));
    });

    it('refuses a weak password naming the field and writes nothing', async () => {
      const token = lastToken('frida@ballou.example');
      const session = browserOf(await login('frida@ballou.example', PASSWORD));
      const before = await t.ctx.db
        .selectFrom('users')
        .selectAll()
        .where('email', '=', 'frida@ballou.example')
        .executeTakeFirstOrThrow();
      const audits = (await t.ctx.db.selectFrom('audit_log').selectAll().execute()).length;
      const weak = await confirm(token, 'kort');
      expect(weak.statusCode).toBe(400);
      expect(weak.json().errors).toEqual([expect.objectContaining({ path: '/password' })]);
      const extra = await t.app.inject({
        method: 'POST',
        url: '/api/v1/auth/password-reset/confirm',
        payload: { token, password: NEW_PASSWORD, email: 'x@y.z' },
      });
      expect(extra.statusCode).toBe(400);
      const after = await t.ctx.db
        .selectFrom('users')
        .selectAll()
        .where('email', '=', 'frida@ballou.example')
        .executeTakeFirstOrThrow();
      expect(after.password_hash).toBe(before.password_hash);
      expect((await t.ctx.db.selectFrom('audit_log').selectAll().execute()).length).toBe(audits);
      expect((await as(session, 'GET', '/api/v1/auth/me')).statusCode).toBe(200);
    });

    it('sets the new password once, ends every session and tells the owner', async () => {
      const token = lastToken('frida@ballou.example');
      const session = browserOf(await login('frida@ballou.example', PASSWORD));
      expect((await confirm(token, NEW_PASSWORD)).statusCode).toBe(204);
      expect((await as(session, 'GET', '/api/v1/auth/me')).statusCode).toBe(401);
      expect((await login('frida@ballou.example', PASSWORD)).statusCode).toBe(401);
      expect((await login('frida@ballou.example', NEW_PASSWORD)).statusCode).toBe(200);
      const reused = await confirm(token, 'ännu ett nytt lösenord');
      expect(reused.statusCode).toBe(400);
      expect(reused.json().errors[0].path).toBe('/token');
      await drain();
      expect(mailsTo('frida@ballou.example').at(-1)?.subject).toContain('Your password was changed');
      const actions = (await t.ctx.db.selectFrom('audit_log').select('action').execute()).map(
        (a) => a.action,
      );
      expect(actions).toEqual(
        expect.arrayContaining(['auth.password_reset_requested', 'auth.password_reset']),
      );
    });

    it('lets a link expire after 30 minutes, and a newer request replace an older link', async () => {
      t.clock.advance(5 * 60_000);
      await request('frida@ballou.example');
      await drain();
      const expiring = lastToken('frida@ballou.example');
      t.clock.advance(31 * 60_000);
      expect((await confirm(expiring, 'ett lösenord som aldrig sätts')).statusCode).toBe(400);

      await request('frida@ballou.example');
      await drain();
      const older = lastToken('frida@ballou.example');
      // A second request within a minute sends nothing more.
      const count = mailsTo('frida@ballou.example').length;
      await request('frida@ballou.example');
      await drain();
      expect(mailsTo('frida@ballou.example')).toHaveLength(count);
      t.clock.advance(61_000);
      await request('frida@ballou.example');
      await drain();
      const newer = lastToken('frida@ballou.example');
      expect(newer).not.toBe(older);
      expect((await confirm(older, 'ett lösenord som aldrig sätts')).statusCode).toBe(400);
      expect((await confirm(newer, 'ett tredje bra lösenord')).statusCode).toBe(204);
      expect((await login('frida@ballou.example', 'ett tredje bra lösenord')).statusCode).toBe(200);
    });

    it('forgets expired links and login challenges in the daily clean-up', async () => {
      expect((await t.ctx.db.selectFrom('password_resets').selectAll().execute()).length).toBeGreaterThan(0);
      t.clock.advance(2 * 86_400_000);
      await request('frida@ballou.example');
      await drain();
      const purge = jobHandlers['sessions.purge'] as (typeof jobHandlers)[string];
      await purge(t.ctx, {}, undefined as never);
      const left = await t.ctx.db.selectFrom('password_resets').selectAll().execute();
      expect(left).toHaveLength(1);
      expect((await confirm(lastToken('frida@ballou.example'), 'ett fjärde bra lösenord')).statusCode).toBe(
        204,
      );
    });
  });
}

for (const dialect of DIALECTS) {
  describe(`changing my password on ${dialect}`, () => {
    let t: TestApp;
    let smtp: SmtpStandIn;
    let worker: JobWorker;
    const { login, as, browserOf } = helpers(() => t);
    const EMAIL = 'gustav@ballou.example';

    beforeAll(async () => {
      smtp = await startSmtpStandIn();
      t = await setUp(dialect, {}, smtp);
      worker = new JobWorker(t.ctx, { workerId: 'test', handlers: jobHandlers });
      await createUser(t.ctx, SYSTEM, { email: EMAIL, name: 'Gustav', password: PASSWORD, role: 'engineer' });
    });
    afterAll(async () => {
      await t?.close();
      await smtp?.close();
    });

    const change = (b: Browser, currentPassword: string, newPassword: string) =>
      as(b, 'POST', '/api/v1/auth/password', { currentPassword, newPassword });
    const passwordHash = async () =>
      (
        await t.ctx.db
          .selectFrom('users')
          .select('password_hash')
          .where('email', '=', EMAIL)
          .executeTakeFirstOrThrow()
      ).password_hash;

    it('refuses a wrong current password, a short, common or unchanged new one, naming the field, and changes nothing', async () => {
      const b = browserOf(await login(EMAIL, PASSWORD));
      const hash = await passwordHash();
      const audits = (await t.ctx.db.selectFrom('audit_log').selectAll().execute()).length;
      for (const [current, next, path] of [
        ['fel lösenord helt och hållet', NEW_PASSWORD, '/currentPassword'],
        [PASSWORD, 'kort', '/newPassword'],
        [PASSWORD, 'gustav-är-mitt-namn-2026', '/newPassword'],
        [PASSWORD, 'password1234', '/newPassword'],
        [PASSWORD, 'qwertyuiopasdf', '/newPassword'],
        [PASSWORD, PASSWORD, '/newPassword'],
      ] as const) {
        const res = await change(b, current, next);
        expect(res.statusCode, `${current} → ${next}`).toBe(400);
        expect(res.json().errors[0].path).toBe(path);
      }
      expect(await passwordHash()).toBe(hash);
      expect((await t.ctx.db.selectFrom('audit_log').selectAll().execute()).length).toBe(audits);
      // Without the session's CSRF token a cookie alone changes nothing.
      const forged = await t.app.inject({
        method: 'POST',
        url: '/api/v1/auth/password',
        headers: { cookie: b.cookie },
        payload: { currentPassword: PASSWORD, newPassword: NEW_PASSWORD },
      });
      expect(forged.statusCode).toBe(403);
      expect(await passwordHash()).toBe(hash);
    });

    it('refuses an API token: a password belongs to its signed-in user', async () => {
      const token = await t.token('engineer');
      const res = await t.call('POST', '/api/v1/auth/password', token, {
        currentPassword: PASSWORD,
        newPassword: NEW_PASSWORD,
      });
      expect(res.statusCode).toBe(403);
    });

    it('changes it: this session goes on, the other sessions end, the old password stops working, the owner is told', async () => {
      const here = browserOf(await login(EMAIL, PASSWORD));
      const elsewhere = browserOf(await login(EMAIL, PASSWORD));
      expect((await change(here, PASSWORD, NEW_PASSWORD)).statusCode).toBe(204);
      expect((await as(here, 'GET', '/api/v1/auth/me')).statusCode).toBe(200);
      expect((await as(elsewhere, 'GET', '/api/v1/auth/me')).statusCode).toBe(401);
      expect((await login(EMAIL, PASSWORD)).statusCode).toBe(401);
      expect((await login(EMAIL, NEW_PASSWORD)).statusCode).toBe(200);
      while ((await worker.runOnce()) > 0);
      const mail = smtp.messages.filter((m) => m.envelope.to.includes(EMAIL)).at(-1);
      expect(mail?.subject).toContain('Your password was changed');
      const audit = await t.ctx.db
        .selectFrom('audit_log')
        .selectAll()
        .where('action', '=', 'auth.password_changed')
        .execute();
      expect(audit).toHaveLength(1);
      expect(JSON.stringify(audit)).not.toContain(NEW_PASSWORD);
    });
  });
}
