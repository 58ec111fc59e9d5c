/**
 * TwiML documents (https://www.twilio.com/docs/voice/twiml): what we answer Twilio's voice and SMS
 * webhooks with (`Content-Type: text/xml`), and the `Twiml` of an outgoing call. All text is XML-escaped.
 */
import { isE164 } from './provider-http.js';

export const TWIML_CONTENT_TYPE = 'text/xml; charset=utf-8';
const XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>';

/** Escapes text for XML content and attribute values; drops characters XML 1.0 cannot carry. */
export function escapeXml(text: string): string {
  return (
    text
      // eslint-disable-next-line no-control-regex
      .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, '')
      .replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '')
      .replace(/&/g, '&amp;')
      .replace(/</g, '&lt;')
      .replace(/>/g, '&gt;')
      .replace(/"/g, '&quot;')
      .replace(/'/g, '&apos;')
  );
}

export interface TwilioSpeechOptions {
  /** Default `sv-SE`. */
  language?: string;
  /** E.g. `Polly.Astrid`; default: Twilio's default voice for the language. */
  voice?: string;
}

/** `<Say language="sv-SE">…</Say>` */
export function twimlSay(text: string, speech: TwilioSpeechOptions = {}): string {
  return `<Say${attributes({ language: speech.language ?? 'sv-SE', voice: speech.voice })}>${escapeXml(text)}</Say>`;
}

/** Wraps verbs in a TwiML document. The verbs must already be TwiML (built by the functions here). */
export function twimlResponse(verbs = ''): string {
  return verbs === '' ? `${XML_DECLARATION}<Response/>` : `${XML_DECLARATION}<Response>${verbs}</Response>`;
}

/**
 * The `Twiml` of an outgoing call: say the message; with `acknowledgeUrl`, inside a `<Gather>` that waits
 * for one digit and POSTs `Digits` there. Without input the message is said once more, then the call ends.
 */
export function buildTwilioCallTwiml(
  options: { message: string; acknowledgeUrl?: string } & TwilioSpeechOptions,
): string {
  const say = twimlSay(options.message, options);
  if (options.acknowledgeUrl === undefined) return twimlResponse(say);
  const gather = `<Gather${attributes({ input: 'dtmf', numDigits: 1, timeout: 10, action: options.acknowledgeUrl, method: 'POST' })}>${say}</Gather>`;
  return twimlResponse(gather + gather);
}

/**
 * What we answer a page call's `<Gather action>` with (Twilio POSTs the key as `Digits`): `acknowledged`
 * says the confirmation and hangs up; `again` asks once more in one `<Gather>` posting to
 * `acknowledgeUrl`, then hangs up; `end` hangs up.
 */
export function buildTwilioKeypressTwiml(
  options: (
    | { outcome: 'acknowledged'; confirmation: string }
    | { outcome: 'again'; prompt: string; acknowledgeUrl: string }
    | { outcome: 'end' }
  ) &
    TwilioSpeechOptions,
): string {
  if (options.outcome === 'acknowledged')
    return twimlResponse(`${twimlSay(options.confirmation, options)}<Hangup/>`);
  if (options.outcome === 'again') {
    const attrs = attributes({
      input: 'dtmf',
      numDigits: 1,
      timeout: 10,
      action: options.acknowledgeUrl,
      method: 'POST',
    });
    return twimlResponse(`<Gather${attrs}>${twimlSay(options.prompt, options)}</Gather><Hangup/>`);
  }
  return twimlResponse('<Hangup/>');
}

/** The answer to an incoming SMS: empty, or one reply message. */
export function buildTwilioMessagingTwiml(reply?: string): string {
  return twimlResponse(reply === undefined ? '' : `<Message>${escapeXml(reply)}</Message>`);
}

export interface TwilioConnectCallerOptions extends TwilioSpeechOptions {
  /** Said first (Swedish). */
  message: string;
  /** Rung first; up to 10 numbers ring in parallel. E.164. */
  primary: string | readonly string[];
  /** Rung when `primary` does not answer. E.164. Needs `afterDialUrl`. */
  secondary?: string | readonly string[];
  /** The number the engineer sees: one of our Twilio numbers. Default: the caller's number. */
  callerId?: string;
  /** Seconds each `<Dial>` rings (Twilio's default is 30). */
  ringTimeoutSeconds?: number;
  /**
   * Where Twilio POSTs `DialCallStatus` after a `<Dial>` (`?step=primary|secondary` is appended). The
   * route answers with `buildTwilioAfterDialTwiml`. Without it the call ends after the first `<Dial>`.
   */
  afterDialUrl?: string;
  /** Said when nobody answered, before hanging up. */
  noAnswerMessage?: string;
}

export type TwilioDialStep = 'primary' | 'secondary';

/**
 * The answer to an incoming call: say the message, then `<Dial>` the primary number(s). The fallback to
 * the second number happens in the `<Dial action>` callback, because verbs after a `<Dial>` also run
 * after a call that was answered and ended.
 * @example buildTwilioConnectTwiml({ message: 'Välkommen', primary: '+46701234567', afterDialUrl: 'https://desk.example/webhooks/twilio/voice/dial' })
 * // <?xml …?><Response><Say language="sv-SE">Välkommen</Say><Dial action="https://desk.example/webhooks/twilio/voice/dial?step=primary" method="POST"><Number>+46701234567</Number></Dial></Response>
 */
export function buildTwilioConnectTwiml(options: TwilioConnectCallerOptions): string {
  if (options.secondary !== undefined && options.afterDialUrl === undefined)
    throw new RangeError(
      'a secondary number needs afterDialUrl: the fallback happens in the <Dial> callback',
    );
  return twimlResponse(twimlSay(options.message, options) + dial(options, 'primary'));
}

/**
 * The answer to the `<Dial action>` callback: hang up after an answered call; otherwise dial the
 * secondary number(s) (after the primary step), or say `noAnswerMessage` and hang up.
 */
export function buildTwilioAfterDialTwiml(
  options: TwilioConnectCallerOptions,
  step: TwilioDialStep,
  dialCallStatus: string | undefined,
): string {
  if (dialCallStatus === 'completed' || dialCallStatus === 'answered') return twimlResponse('<Hangup/>');
  if (step === 'primary' && options.secondary !== undefined) return twimlResponse(dial(options, 'secondary'));
  const goodbye = options.noAnswerMessage === undefined ? '' : twimlSay(options.noAnswerMessage, options);
  return twimlResponse(`${goodbye}<Hangup/>`);
}

function dial(options: TwilioConnectCallerOptions, step: TwilioDialStep): string {
  const numbers = step === 'primary' ? options.primary : options.secondary;
  const list = typeof numbers === 'string' ? [numbers] : [...(numbers ?? [])];
  if (list.length === 0 || list.length > 10) throw new RangeError('a <Dial> rings 1 to 10 numbers');
  for (const n of [...list, ...(options.callerId === undefined ? [] : [options.callerId])])
    if (!isE164(n)) throw new RangeError('numbers must be in E.164 form (+46…)');
  const action =
    options.afterDialUrl === undefined ? undefined : withQuery(options.afterDialUrl, 'step', step);
  const attrs = attributes({
    action,
    method: action === undefined ? undefined : 'POST',
    timeout: options.ringTimeoutSeconds,
    callerId: options.callerId,
  });
  return `<Dial${attrs}>${list.map((n) => `<Number>${escapeXml(n)}</Number>`).join('')}</Dial>`;
}

function withQuery(url: string, name: string, value: string): string {
  const parsed = new URL(url);
  parsed.searchParams.set(name, value);
  return parsed.toString();
}

function attributes(values: Record<string, string | number | undefined>): string {
  return Object.entries(values)
    .filter((entry): entry is [string, string | number] => entry[1] !== undefined)
    .map(([name, value]) => ` ${name}="${escapeXml(String(value))}"`)
    .join('');
}
