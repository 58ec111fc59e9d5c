import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startSmtpStandIn, type SmtpStandIn } from '../../../test/stand-ins/smtp-stand-in.js';
import { DeliveryError } from '../messaging.js';
import { createSmtpEmailSender } from './smtp.js';

const mailFrom = 'Ballou Server Assistans <jour@example.se>';
let smtp: SmtpStandIn;

beforeAll(async () => {
  smtp = await startSmtpStandIn();
});
afterAll(() => smtp.close());
beforeEach(() => {
  smtp.messages.length = 0;
});

async function deliveryError(promise: Promise<unknown>): Promise<DeliveryError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(DeliveryError);
  return error as DeliveryError;
}

describe('SMTP e-mail', () => {
  it('delivers text and HTML with Swedish characters intact; returns the Message-ID', async () => {
    const sender = createSmtpEmailSender({ smtpUrl: smtp.url, mailFrom });
    const receipt = await sender.send({
      to: 'jour@kund.se',
      subject: 'Larm: disk full på db1 – Åtgärd krävs (ÅÄÖ åäö)',
      text: 'Hej!\nDisken på db1 är full. Vänligen åtgärda.\nÅÄÖ åäö',
      html: '<p>Disken på <b>db1</b> är full. ÅÄÖ</p>',
    });
    const [mail] = smtp.messages;
    expect(mail?.envelope).toEqual({ from: 'jour@example.se', to: ['jour@kund.se'] });
    expect(mail?.subject).toBe('Larm: disk full på db1 – Åtgärd krävs (ÅÄÖ åäö)');
    expect(mail?.from).toBe('Ballou Server Assistans <jour@example.se>');
    expect(mail?.to).toBe('jour@kund.se');
    expect(mail?.text?.replace(/\r\n/g, '\n')).toBe(
      'Hej!\nDisken på db1 är full. Vänligen åtgärda.\nÅÄÖ åäö',
    );
    expect(mail?.html).toBe('<p>Disken på <b>db1</b> är full. ÅÄÖ</p>');
    expect(receipt.providerMessageId).toBe(mail?.messageId);
    expect(receipt.providerMessageId).toMatch(/^<.+@.+>$/);
    await sender.close?.();
  });

  it('CR/LF in an alert-derived subject cannot add headers or recipients', async () => {
    const sender = createSmtpEmailSender({ smtpUrl: smtp.url, mailFrom });
    await sender.send({
      to: 'jour@kund.se',
      subject: 'Disk full\r\nBcc: victim@evil.example\r\nX-Injected: yes\n\nbody?\u2028more',
      text: 'x',
    });
    const [mail] = smtp.messages;
    expect(mail?.subject).toBe('Disk full Bcc: victim@evil.example X-Injected: yes body? more');
    expect(mail?.headers.has('bcc')).toBe(false);
    expect(mail?.headers.has('x-injected')).toBe(false);
    expect(mail?.headers.get('subject')).toHaveLength(1);
    expect(mail?.envelope.to).toEqual(['jour@kund.se']);
  });

  it('refuses a recipient that is not a plain address (no header/recipient smuggling)', async () => {
    const sender = createSmtpEmailSender({ smtpUrl: smtp.url, mailFrom });
    for (const to of ['a@b.se\r\nBcc: c@d.se', 'a@b.se, c@d.se', 'Name <a@b.se>', 'nobody']) {
      const error = await deliveryError(sender.send({ to, subject: 's', text: 't' }));
      expect(error).toMatchObject({ code: 'INVALID_INPUT', retryable: false });
    }
    expect(smtp.messages).toHaveLength(0);
  });

  it('SMTP 4xx: retryable; 5xx: not', async () => {
    const sender = createSmtpEmailSender({ smtpUrl: smtp.url, mailFrom });
    smtp.failNext(1, 451);
    expect(await deliveryError(sender.send({ to: 'a@b.se', subject: 's', text: 't' }))).toMatchObject({
      provider: 'smtp',
      code: 'SMTP',
      status: 451,
      retryable: true,
    });
    smtp.failNext(1, 550);
    expect(await deliveryError(sender.send({ to: 'a@b.se', subject: 's', text: 't' }))).toMatchObject({
      status: 550,
      retryable: false,
    });
  });

  it('nobody listening: retryable network error', async () => {
    const gone = await startSmtpStandIn();
    await gone.close();
    const sender = createSmtpEmailSender({ smtpUrl: gone.url, mailFrom }, { timeoutMs: 2000 });
    expect(await deliveryError(sender.send({ to: 'a@b.se', subject: 's', text: 't' }))).toMatchObject({
      code: 'NETWORK',
      retryable: true,
    });
  });

  it('a server that never greets: retryable timeout', async () => {
    smtp.delayNext(1, 1500);
    const sender = createSmtpEmailSender({ smtpUrl: smtp.url, mailFrom }, { timeoutMs: 200 });
    expect(await deliveryError(sender.send({ to: 'a@b.se', subject: 's', text: 't' }))).toMatchObject({
      code: 'TIMEOUT',
      retryable: true,
    });
  });

  it('rejects a configuration that is not an smtp(s) URL', () => {
    expect(() => createSmtpEmailSender({ smtpUrl: '', mailFrom })).toThrow(/not a valid URL/);
    expect(() => createSmtpEmailSender({ smtpUrl: 'http://x', mailFrom })).toThrow(/smtp: or smtps:/);
  });
});

describe('SMTP with AUTH', () => {
  let authed: SmtpStandIn;
  beforeAll(async () => {
    authed = await startSmtpStandIn({ auth: { user: 'mailer', pass: 'sm7p-p@ss' } });
  });
  afterAll(() => authed.close());

  it('logs in with the credentials of the URL', async () => {
    const sender = createSmtpEmailSender({ smtpUrl: authed.url, mailFrom });
    await sender.send({ to: 'a@b.se', subject: 'Hej', text: 'åäö' });
    expect(authed.messages[0]).toMatchObject({ user: 'mailer', subject: 'Hej' });
  });

  it('a wrong password is non-retryable and never appears in the error', async () => {
    const url = authed.url.replace(encodeURIComponent('sm7p-p@ss'), 'wr0ng-pass');
    const sender = createSmtpEmailSender({ smtpUrl: url, mailFrom });
    const error = await deliveryError(sender.send({ to: 'a@b.se', subject: 's', text: 't' }));
    expect(error).toMatchObject({ code: 'SMTP', status: 535, retryable: false });
    expect(error.message).toContain('EAUTH');
    expect(error.message).not.toContain('wr0ng-pass');
  });
});
