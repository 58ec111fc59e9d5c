import { createHash } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTwilioStandIn, type TwilioStandIn } from '../../../test/stand-ins/twilio-stand-in.js';
import {
  computeTwilioSignature,
  validateTwilioJsonSignature,
  validateTwilioSignature,
} from './twilio-signature.js';
import { parseTwilioVoiceWebhook } from './twilio-webhooks.js';

// Twilio's documented example (webhooks-security page, also in twilio-node's tests).
const TOKEN = '12345';
const URL_ = 'https://mycompany.com/myapp.php?foo=1&bar=2';
const PARAMS = {
  CallSid: 'CA1234567890ABCDE',
  Caller: '+12349013030',
  Digits: '1234',
  From: '+12349013030',
  To: '+18005551212',
};
const EXPECTED = '0/KCTR6DLpKmkAf8muzZqo1nDgQ=';

describe('computeTwilioSignature', () => {
  it("matches Twilio's documented example", () => {
    expect(computeTwilioSignature(TOKEN, URL_, PARAMS)).toBe(EXPECTED);
  });

  it('sorts parameters by name and appends name+value with no separators', () => {
    const reordered = {
      To: PARAMS.To,
      Digits: PARAMS.Digits,
      From: PARAMS.From,
      CallSid: PARAMS.CallSid,
      Caller: PARAMS.Caller,
    };
    expect(computeTwilioSignature(TOKEN, URL_, reordered)).toBe(EXPECTED);
  });

  it('array values are de-duplicated, sorted and each appended as name+value', () => {
    const withArray = computeTwilioSignature(TOKEN, URL_, { ...PARAMS, MediaUrl: ['b', 'a', 'b'] });
    const data = `${URL_}CallSidCA1234567890ABCDECaller+12349013030Digits1234From+12349013030MediaUrlaMediaUrlbTo+18005551212`;
    expect(withArray).toBe(computeTwilioSignature(TOKEN, data, {}));
  });
});

describe('validateTwilioSignature', () => {
  const valid = { authToken: TOKEN, signature: EXPECTED, url: URL_, params: PARAMS };

  it('accepts the valid signature', () => {
    expect(validateTwilioSignature(valid)).toBe(true);
  });

  it('rejects a wrong signature, a tampered parameter, an added parameter, another URL or token', () => {
    expect(validateTwilioSignature({ ...valid, signature: '0/KCTR6DLpKmkAf8muzZqo1nDgR=' })).toBe(false);
    expect(validateTwilioSignature({ ...valid, params: { ...PARAMS, Digits: '1235' } })).toBe(false);
    expect(validateTwilioSignature({ ...valid, params: { ...PARAMS, Extra: 'x' } })).toBe(false);
    expect(validateTwilioSignature({ ...valid, url: 'https://mycompany.com/myapp.php?foo=1&bar=3' })).toBe(
      false,
    );
    expect(validateTwilioSignature({ ...valid, authToken: '12346' })).toBe(false);
  });

  it('fails closed without a header, with a repeated header, or without a configured token', () => {
    expect(validateTwilioSignature({ ...valid, signature: undefined })).toBe(false);
    expect(validateTwilioSignature({ ...valid, signature: '' })).toBe(false);
    expect(validateTwilioSignature({ ...valid, signature: [EXPECTED, EXPECTED] })).toBe(false);
    expect(validateTwilioSignature({ ...valid, authToken: '' })).toBe(false);
    expect(validateTwilioSignature({ ...valid, url: 'not a url' })).toBe(false);
  });

  it('accepts the URL with and without the explicit default port, like twilio-node', () => {
    const signedWithPort = computeTwilioSignature(
      TOKEN,
      'https://mycompany.com:443/myapp.php?foo=1&bar=2',
      PARAMS,
    );
    expect(validateTwilioSignature({ ...valid, signature: signedWithPort })).toBe(true);
    expect(
      validateTwilioSignature({ ...valid, url: 'https://mycompany.com:443/myapp.php?foo=1&bar=2' }),
    ).toBe(true);
  });

  it('takes a URLSearchParams body or a parsed form object with arrays', () => {
    const form = new URLSearchParams(PARAMS);
    expect(validateTwilioSignature({ ...valid, params: form })).toBe(true);
    form.append('MediaUrl', 'x');
    form.append('MediaUrl', 'y');
    const signature = computeTwilioSignature(TOKEN, URL_, { ...PARAMS, MediaUrl: ['x', 'y'] });
    expect(validateTwilioSignature({ ...valid, signature, params: form })).toBe(true);
    expect(
      validateTwilioSignature({ ...valid, signature, params: { ...PARAMS, MediaUrl: ['y', 'x'] } }),
    ).toBe(true);
  });

  it('Swedish characters are signed as UTF-8', () => {
    const params = { ...PARAMS, Body: 'Kvittera ärende på Åland' };
    const signature = computeTwilioSignature(TOKEN, URL_, params);
    expect(validateTwilioSignature({ ...valid, signature, params })).toBe(true);
    expect(
      validateTwilioSignature({
        ...valid,
        signature,
        params: { ...params, Body: 'Kvittera arende på Åland' },
      }),
    ).toBe(false);
  });
});

describe('validateTwilioJsonSignature (bodySHA256)', () => {
  const body = '{"CallSid":"CA1"}';
  const hash = createHash('sha256').update(body).digest('hex');
  const url = `https://desk.example/webhooks/twilio/json?bodySHA256=${hash}`;
  const signature = computeTwilioSignature(TOKEN, url, {});

  it('accepts a matching body and rejects a changed one', () => {
    expect(validateTwilioJsonSignature({ authToken: TOKEN, signature, url, rawBody: body })).toBe(true);
    expect(
      validateTwilioJsonSignature({ authToken: TOKEN, signature, url, rawBody: '{"CallSid":"CA2"}' }),
    ).toBe(false);
    const noHash = 'https://desk.example/webhooks/twilio/json';
    expect(
      validateTwilioJsonSignature({
        authToken: TOKEN,
        signature: computeTwilioSignature(TOKEN, noHash, {}),
        url: noHash,
        rawBody: body,
      }),
    ).toBe(false);
  });
});

describe('against the Twilio stand-in playing Twilio', () => {
  let twilio: TwilioStandIn;
  let server: Server;
  let hookUrl: string;
  const seen: { valid: boolean; from: string }[] = [];

  beforeAll(async () => {
    twilio = await startTwilioStandIn();
    server = createServer((req, res) => {
      let raw = '';
      req.on('data', (c: Buffer) => (raw += c.toString('utf8')));
      req.on('end', () => {
        const form = new URLSearchParams(raw);
        const valid = validateTwilioSignature({
          authToken: twilio.authToken,
          signature: req.headers['x-twilio-signature'],
          url: hookUrl,
          params: form,
        });
        seen.push({ valid, from: parseTwilioVoiceWebhook(form).from });
        res.writeHead(valid ? 200 : 403, { 'content-type': 'text/xml' }).end('<Response/>');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    hookUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhooks/twilio/voice?x=1`;
  });
  afterAll(async () => {
    await twilio.close();
    await new Promise((resolve) => server.close(resolve));
  });

  it('a signed incoming call validates; a forged signature does not', async () => {
    const ok = await twilio.simulateIncomingCall(hookUrl, { from: '+46701234567', to: '+46101234567' });
    expect(ok.status).toBe(200);
    const forged = await twilio.postWebhook(
      hookUrl,
      { CallSid: 'CA1', AccountSid: twilio.accountSid, From: '+46700000000', To: '+46101234567' },
      { signature: twilio.sign(hookUrl, { CallSid: 'CA1' }) },
    );
    expect(forged.status).toBe(403);
    expect(seen).toEqual([
      { valid: true, from: '+46701234567' },
      { valid: false, from: '+46700000000' },
    ]);
  });

  it("the stand-in's restated algorithm agrees with ours", () => {
    expect(twilio.sign(URL_, PARAMS)).toBe(computeTwilioSignature(twilio.authToken, URL_, PARAMS));
  });
});
