import { randomBytes } from 'node:crypto';
import { Secret, TOTP } from 'otpauth';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSmtpStandIn, type SmtpStandIn } from '../stand-ins/smtp-stand-in.js';
import { DESKTOP, E2E_ENABLED, launchBrowser, logIn, openPage, type WatchedPage } from './support/browser.js';
import { PASSWORD, startE2eServer, type E2eServer } from './support/e2e-server.js';

describe.skipIf(!E2E_ENABLED)('staff two-factor login, password reset and change in Chromium', () => {
  let server: E2eServer;
  let smtp: SmtpStandIn;
  let browser: Browser;
  const open: WatchedPage[] = [];
  const newPage = async () => {
    const watched = await openPage(browser, server.url, DESKTOP);
    open.push(watched);
    return watched;
  };

  beforeAll(async () => {
    smtp = await startSmtpStandIn();
    server = await startE2eServer({
      BALLOU_SMTP_URL: smtp.url,
      BALLOU_TOTP_KEY: randomBytes(32).toString('hex'),
    });
    browser = await launchBrowser();
    await server.user({ email: 'frida@ballou.example', role: 'manager' });
    await server.user({ email: 'bo@ballou.example', role: 'engineer' });
    await server.user({ email: 'cecilia@ballou.example', role: 'engineer' });
    const dag = await server.api<{ id: string }>('POST', '/engineers', {
      name: 'Dag Holm',
      phone: '+46705550001',
      email: 'dag@ballou.example',
    });
    await server.user({
      email: 'dag.login@ballou.example',
      name: 'Dag Holm',
      role: 'engineer',
      engineerId: dag.id,
    });
  });
  afterAll(async () => {
    for (const p of open) await p.context.close();
    await browser?.close();
    await server?.close();
    await smtp?.close();
  });

  it('a planner turns on TOTP, and the next login asks for a code', async () => {
    const { page, errors, shot } = await newPage();
    await logIn(page, 'frida@ballou.example', PASSWORD);
    await page.getByRole('heading', { name: 'Jourtavla' }).waitFor();
    await page.getByRole('link', { name: 'Mitt konto' }).click();
    await page.getByRole('button', { name: 'Slå på tvåstegsinloggning' }).click();
    const secret = (await page.getByTestId('totp-secret').textContent()) as string;
    const totp = new TOTP({ secret: Secret.fromBase32(secret), algorithm: 'SHA1', digits: 6, period: 30 });
    await page.getByLabel(/^Kod från appen/).fill('000000' === totp.generate() ? '111111' : '000000');
    await page.getByRole('button', { name: 'Bekräfta och slå på' }).click();
    await page.getByRole('alert').filter({ hasText: /.+/ }).first().waitFor();
    await page.getByLabel(/^Kod från appen/).fill(totp.generate());
    await page.getByRole('button', { name: 'Bekräfta och slå på' }).click();
    await page.getByTestId('recovery-codes').waitFor();
    // The codes show first (they are shown once); the state badge follows when the status reloads.
    await page.getByTestId('totp-state').filter({ hasText: /^På$/ }).waitFor();
    await shot('account-totp-on');
    await page.getByRole('button', { name: 'Logga ut' }).click();

    await logIn(page, 'frida@ballou.example', PASSWORD);
    await page.getByLabel(/^Kod från appen/).waitFor();
    await shot('login-totp-step');
    // The next time step's code: the one used to enrol may not be used again.
    await page.getByLabel(/^Kod från appen/).fill(totp.generate({ timestamp: Date.now() + 30_000 }));
    await page.getByRole('button', { name: 'Verifiera' }).click();
    await page.getByRole('heading', { name: 'Jourtavla' }).waitFor();
    expect(errors).toEqual([]);
  });

  it('an engineer resets a forgotten password from the e-mailed link', async () => {
    const { page, errors, shot } = await newPage();
    await page.goto('/login');
    await page.getByRole('link', { name: 'Glömt lösenordet?' }).click();
    await page.getByLabel(/^E-postadress/).fill('bo@ballou.example');
    await page.getByRole('button', { name: 'Skicka länk' }).click();
    await page.getByRole('status').waitFor();
    const mail = await (async () => {
      for (let i = 0; i < 100; i++) {
        const found = smtp.messages.find((m) => m.envelope.to.includes('bo@ballou.example'));
        if (found) return found;
        await new Promise((r) => setTimeout(r, 200));
      }
      throw new Error('no reset e-mail');
    })();
    const token = /\/reset-password#([A-Za-z0-9_-]+)/.exec(`${mail.text ?? ''}${mail.html ?? ''}`)?.[1];
    expect(token).toBeTruthy();
    await page.goto(`/reset-password#${token}`);
    await page.getByLabel(/^Nytt lösenord/).fill('kort');
    await page.getByLabel(/^Upprepa lösenordet/).fill('kort');
    await page.getByRole('button', { name: 'Spara lösenordet' }).click();
    await page.getByText(/måste ha minst 12 tecken/).waitFor();
    await shot('reset-password-too-short');
    const fresh = 'ett helt nytt och långt lösenord';
    await page.getByLabel(/^Nytt lösenord/).fill(fresh);
    await page.getByLabel(/^Upprepa lösenordet/).fill(fresh);
    await page.getByRole('button', { name: 'Spara lösenordet' }).click();
    await page.getByRole('status').filter({ hasText: 'Lösenordet är bytt' }).waitFor();
    await logIn(page, 'bo@ballou.example', fresh);
    await page.getByRole('heading', { name: 'Mina larm' }).waitFor();
    expect(errors).toEqual([]);
  });

  it('an engineer changes the password under My account, giving the current one', async () => {
    const { page, errors, shot } = await newPage();
    await logIn(page, 'cecilia@ballou.example', PASSWORD);
    await page.getByRole('heading', { name: 'Mina larm' }).waitFor();
    await page.getByRole('link', { name: 'Mitt konto' }).click();
    const form = page.getByRole('form', { name: 'Lösenord' });
    const fresh = 'ett annat långt lösenord för cissi';
    await form.getByLabel(/^Nuvarande lösenord/).fill('inte alls det rätta lösenordet');
    await form.getByLabel(/^Nytt lösenord/).fill(fresh);
    await form.getByLabel(/^Upprepa lösenordet/).fill(fresh);
    await form.getByRole('button', { name: 'Byt lösenord' }).click();
    await form.getByText('är inte ditt nuvarande lösenord').waitFor();
    await shot('account-password-wrong-current');
    await form.getByLabel(/^Nuvarande lösenord/).fill(PASSWORD);
    await form.getByRole('button', { name: 'Byt lösenord' }).click();
    await form.getByRole('status').filter({ hasText: 'Lösenordet är bytt' }).waitFor();
    await page.getByRole('button', { name: 'Logga ut' }).click();
    await logIn(page, 'cecilia@ballou.example', fresh);
    await page.getByRole('heading', { name: 'Mina larm' }).waitFor();
    expect(errors).toEqual([]);
  });

  it('an engineer changes their on-call phone under My account and sends themself a test SMS', async () => {
    const { page, errors, shot } = await newPage();
    await logIn(page, 'dag.login@ballou.example', PASSWORD);
    await page.getByRole('heading', { name: 'Mina larm' }).waitFor();
    await page.getByRole('link', { name: 'Mitt konto' }).click();
    // Who is signed in: the display name, then the login e-mail.
    await page.getByText('Dag Holm · dag.login@ballou.example').waitFor();
    const form = page.getByRole('form', { name: 'Mina jouruppgifter' });
    await expect.poll(() => form.getByLabel(/^Jourtelefon/).inputValue()).toBe('+46705550001');
    await form.getByLabel(/^Nuvarande lösenord/).fill(PASSWORD);
    await form.getByRole('button', { name: 'Spara' }).click();
    await form.getByRole('status').filter({ hasText: 'Inget är ändrat' }).waitFor();
    await form.getByLabel(/^Jourtelefon/).fill('+46705550002');
    await form.getByLabel(/^Nuvarande lösenord/).fill('inte alls det rätta lösenordet');
    await form.getByRole('button', { name: 'Spara' }).click();
    await form.getByText('är inte ditt nuvarande lösenord').waitFor();
    await form.getByLabel(/^Nuvarande lösenord/).fill(PASSWORD);
    await form.getByRole('button', { name: 'Spara' }).click();
    await form.getByRole('status').filter({ hasText: 'Sparat' }).waitFor();
    await form.getByRole('button', { name: 'Skicka testsms' }).click();
    await form.getByRole('status').filter({ hasText: 'Ett testsms är på väg till +46705550002' }).waitFor();
    await shot('account-my-contact');
    // Through the outbox to the provider, like a page: the old number was told, the new one got both.
    await expect
      .poll(() => server.elks.sms.filter((s) => s.to === '+46705550002').map((s) => s.message), {
        timeout: 10_000,
      })
      .toEqual(
        expect.arrayContaining([
          expect.stringMatching(/kommer från och med nu till det här numret/),
          expect.stringMatching(/testmeddelande till Dag Holm/),
        ]),
      );
    // The old number is told who made the change, by name.
    expect(
      server.elks.sms.some(
        (s) => s.to === '+46705550001' && /annat nummer.*ändrat av Dag Holm\./.test(s.message),
      ),
    ).toBe(true);
    expect(errors).toEqual([]);
  });
});
