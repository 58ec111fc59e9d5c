/**
 * `X-Twilio-Signature` (https://www.twilio.com/docs/usage/webhooks/webhooks-security; algorithm as in
 * twilio-node src/webhooks/webhooks.ts): base64(HMAC-SHA1(AuthToken, url + every POST parameter sorted
 * by name as name+value)). Validate against the *public* URL Twilio was configured with (from config),
 * never the loopback `req.url` behind a proxy.
 */
import { createHash, createHmac } from 'node:crypto';
import { constantTimeEqual } from './constant-time.js';
import { formParams, type WebhookForm } from './webhook-form.js';

export const TWILIO_SIGNATURE_HEADER = 'x-twilio-signature';

export type TwilioParams = Readonly<Record<string, string | readonly string[] | undefined>>;

/**
 * The signature of a request to `url` with form `params`; the URL string is used exactly as given (sign
 * the exact URL you POST to). Validation also tries the URL normalised and with/without its port.
 * @example computeTwilioSignature('12345', 'https://mycompany.com/myapp.php?foo=1&bar=2', { CallSid: 'CA1234567890ABCDE', Caller: '+12349013030', Digits: '1234', From: '+12349013030', To: '+18005551212' })
 * // '0/KCTR6DLpKmkAf8muzZqo1nDgQ=' (Twilio's documented example)
 */
export function computeTwilioSignature(authToken: string, url: string, params: TwilioParams = {}): string {
  let data = url;
  for (const name of Object.keys(params).sort()) {
    const value = params[name];
    if (value === undefined) continue;
    if (typeof value === 'string') data += name + value;
    else for (const v of [...new Set(value)].sort()) data += name + v;
  }
  return createHmac('sha1', authToken).update(Buffer.from(data, 'utf8')).digest('base64');
}

export interface TwilioSignatureCheck {
  authToken: string;
  /** The `X-Twilio-Signature` header as received (Fastify may give an array for a repeated header). */
  signature: string | readonly string[] | undefined;
  /** The full public URL Twilio called, with query string. */
  url: string;
  /** The parsed form body of a POST; `{}` for GET (the parameters are in the URL). */
  params: TwilioParams | WebhookForm;
}

/**
 * True when the signature matches. Like twilio-node, it accepts the URL with and without an explicit
 * port (`:443`/`:80`), because Twilio's side is inconsistent. Fails closed on an empty token or header.
 */
export function validateTwilioSignature(check: TwilioSignatureCheck): boolean {
  const { authToken, signature } = check;
  if (authToken === '' || typeof signature !== 'string' || signature === '') return false;
  const params: TwilioParams =
    check.params instanceof URLSearchParams ? formParams(check.params) : normaliseParams(check.params);
  let matched = false;
  // Both variants are always computed and compared, so timing does not tell which one matched.
  for (const url of urlVariants(check.url))
    if (constantTimeEqual(signature, computeTwilioSignature(authToken, url, params))) matched = true;
  return matched;
}

/**
 * JSON-bodied webhooks: the URL carries `bodySHA256=<hex sha256(raw body)>`; the signature covers the
 * URL only, and the hash must match the raw body.
 */
export function validateTwilioJsonSignature(check: {
  authToken: string;
  signature: string | readonly string[] | undefined;
  url: string;
  rawBody: string | Buffer;
}): boolean {
  let expectedHash: string | null;
  try {
    expectedHash = new URL(check.url).searchParams.get('bodySHA256');
  } catch {
    return false;
  }
  const signatureOk = validateTwilioSignature({ ...check, params: {} });
  const bodyHash = createHash('sha256').update(check.rawBody).digest('hex');
  const bodyOk = constantTimeEqual(bodyHash, (expectedHash ?? '').toLowerCase());
  return signatureOk && bodyOk && expectedHash !== null;
}

/** The URL as given, normalised, and normalised with the explicit default port or without its port. */
function urlVariants(raw: string): string[] {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return [];
  }
  const normalised = url.toString();
  let other: string;
  if (url.port !== '') {
    const withoutPort = new URL(normalised);
    withoutPort.port = '';
    other = withoutPort.toString();
  } else {
    // `new URL` drops a default port, so splice it into the serialised form by hand.
    const hostEnd = normalised.indexOf(url.host, url.protocol.length) + url.host.length;
    const port = url.protocol === 'https:' ? '443' : '80';
    other = `${normalised.slice(0, hostEnd)}:${port}${normalised.slice(hostEnd)}`;
  }
  return [...new Set([raw, normalised, other])];
}

function normaliseParams(params: TwilioParams | Readonly<Record<string, unknown>>): TwilioParams {
  const result: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(params)) {
    if (typeof value === 'string') result[name] = value;
    else if (Array.isArray(value)) result[name] = (value as unknown[]).filter((v) => typeof v === 'string');
  }
  return result;
}
