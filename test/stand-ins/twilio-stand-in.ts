/**
 * A local Twilio REST API: `POST /2010-04-01/Accounts/{AccountSid}/Messages.json` and `…/Calls.json`
 * behind Basic auth `AccountSid:AuthToken`, form-encoded requests, 201 JSON answers with `sid`, errors as
 * Twilio's `{code, message, more_info, status}`. It also plays Twilio towards our webhooks, signing each
 * POST with `X-Twilio-Signature` over the exact URL it posts to.
 */
import { createHmac } from 'node:crypto';
import {
  postWebhookForm,
  randomHex,
  startHttpStandIn,
  type HttpStandIn,
  type RecordedRequest,
  type StandInReply,
  type WebhookDelivery,
} from './http-stand-in.js';

export interface TwilioStandInOptions {
  /** Default `AC` + 32 hex digits. */
  accountSid?: string;
  /** Default 32 hex digits. */
  authToken?: string;
}

export interface TwilioMessage {
  sid: string;
  to: string;
  from: string;
  body: string;
  status: 'queued';
  statusCallback: string | undefined;
  dateCreated: string;
}

export interface TwilioCall {
  sid: string;
  to: string;
  from: string;
  status: 'queued';
  twiml: string | undefined;
  url: string | undefined;
  statusCallback: string | undefined;
  timeout: string | undefined;
  dateCreated: string;
}

export interface TwilioStandIn {
  /** The value for `Config.twilio.apiUrl`: `http://127.0.0.1:<port>`. */
  url: string;
  accountSid: string;
  authToken: string;
  requests: RecordedRequest[];
  messages: TwilioMessage[];
  calls: TwilioCall[];
  failNext(n: number, status: number): void;
  delayNext(n: number, ms: number): void;
  /** See HttpStandIn: the next `n` requests get no answer; an outage of some or all requests. */
  hangNext(n: number, ms: number): void;
  outage: HttpStandIn['outage'];
  /** The `X-Twilio-Signature` Twilio would send for a POST of `params` to `url` (the algorithm, restated). */
  sign(url: string, params: Record<string, string>): string;
  /** POSTs a signed form to our webhook, as Twilio does. */
  postWebhook(
    url: string,
    params: Record<string, string>,
    options?: { retries?: number; retryDelayMs?: number; signature?: string },
  ): Promise<WebhookDelivery>;
  /**
   * POSTs the status callback of a sent SMS (`MessageSid`, `MessageStatus`, `ErrorCode` for failures),
   * signed, retrying non-2xx on a compressed schedule (default 3 retries).
   */
  sendMessageStatus(
    messageSid: string,
    status: 'sent' | 'delivered' | 'undelivered' | 'failed',
    options?: { retries?: number; retryDelayMs?: number },
  ): Promise<WebhookDelivery>;
  /**
   * Plays the callee of an outgoing call: not answering (`busy`, `no-answer`, `failed`: only the status
   * callback), or answering and running the call's TwiML: `<Say>` and `<Play>` are recorded, a `<Gather>`
   * takes the next of `digits` (and POSTs `Digits` to its action, whose TwiML replaces the document) or,
   * with none left, times out to the next verb; `<Hangup/>` ends. Then the `completed` status callback.
   */
  answerCall(callSid: string, callee?: TwilioCallee): Promise<TwilioCallTranscript>;
  /** An incoming call to our number: CallSid, AccountSid, From, To, CallStatus=ringing, Direction=inbound. */
  simulateIncomingCall(
    url: string,
    call: { from: string; to: string; callSid?: string },
  ): Promise<WebhookDelivery & { callSid: string }>;
  /** An incoming SMS: MessageSid, AccountSid, From, To, Body. */
  simulateIncomingSms(
    url: string,
    sms: { from: string; to: string; body: string; messageSid?: string },
  ): Promise<WebhookDelivery & { messageSid: string }>;
  close(): Promise<void>;
}

export interface TwilioCallee {
  /** Default `completed` (answered). */
  outcome?: 'completed' | 'busy' | 'no-answer' | 'failed';
  /** One entry per `<Gather>` reached, e.g. `['1']`. */
  digits?: string[];
}

export interface TwilioCallTranscript {
  /** Text of every `<Say>` heard, in order, with its language. */
  said: { text: string; language: string | undefined }[];
  /** The POSTs to `<Gather action>` URLs and what came back. */
  gathers: { url: string; digits: string; delivery: WebhookDelivery }[];
  status: WebhookDelivery | undefined;
}

const E164 = /^\+[1-9]\d{6,14}$/;

function twilioError(status: number, code: number, message: string): StandInReply {
  return {
    status,
    body: { code, message, more_info: `https://www.twilio.com/docs/errors/${code}`, status },
  };
}

export async function startTwilioStandIn(options: TwilioStandInOptions = {}): Promise<TwilioStandIn> {
  const accountSid = options.accountSid ?? `AC${randomHex(32)}`;
  const authToken = options.authToken ?? randomHex(32);
  const messages: TwilioMessage[] = [];
  const calls: TwilioCall[] = [];
  const base = `/2010-04-01/Accounts/${accountSid}`;

  const handle = (req: RecordedRequest): StandInReply => {
    const path = req.path.split('?')[0] ?? '';
    const f = req.form;
    if (req.method === 'POST' && path === `${base}/Messages.json`) {
      if (!f.To) return twilioError(400, 21604, "A 'To' phone number is required.");
      if (!E164.test(f.To))
        return twilioError(400, 21211, `The 'To' number ${f.To} is not a valid phone number.`);
      if (!f.From && !f.MessagingServiceSid)
        return twilioError(400, 21603, "A 'From' phone number is required.");
      if (!f.Body && !f.MediaUrl) return twilioError(400, 21602, 'Message body is required.');
      const message: TwilioMessage = {
        sid: `SM${randomHex(32)}`,
        to: f.To,
        from: f.From ?? '',
        body: f.Body ?? '',
        status: 'queued',
        statusCallback: f.StatusCallback,
        dateCreated: new Date().toUTCString(),
      };
      messages.push(message);
      return {
        status: 201,
        body: {
          sid: message.sid,
          account_sid: accountSid,
          api_version: '2010-04-01',
          to: message.to,
          from: message.from,
          body: message.body,
          status: message.status,
          direction: 'outbound-api',
          num_segments: '1',
          date_created: message.dateCreated,
          error_code: null,
          error_message: null,
          uri: `${base}/Messages/${message.sid}.json`,
        },
      };
    }
    if (req.method === 'POST' && path === `${base}/Calls.json`) {
      if (!f.To) return twilioError(400, 21201, "No 'To' number is specified");
      if (!E164.test(f.To)) return twilioError(400, 21211, `Invalid 'To' Phone Number: ${f.To}`);
      if (!f.From) return twilioError(400, 21213, "No 'From' number is specified");
      if (!f.Url && !f.Twiml && !f.ApplicationSid)
        return twilioError(400, 21205, 'Url parameter is required.');
      const call: TwilioCall = {
        sid: `CA${randomHex(32)}`,
        to: f.To,
        from: f.From,
        status: 'queued',
        twiml: f.Twiml,
        url: f.Url,
        statusCallback: f.StatusCallback,
        timeout: f.Timeout,
        dateCreated: new Date().toUTCString(),
      };
      calls.push(call);
      return {
        status: 201,
        body: {
          sid: call.sid,
          account_sid: accountSid,
          api_version: '2010-04-01',
          to: call.to,
          from: call.from,
          status: call.status,
          direction: 'outbound-api',
          date_created: call.dateCreated,
          uri: `${base}/Calls/${call.sid}.json`,
        },
      };
    }
    return twilioError(404, 20404, 'The requested resource was not found');
  };

  const http = await startHttpStandIn({
    username: accountSid,
    password: authToken,
    unauthorized: () => twilioError(401, 20003, 'Authenticate'),
    failure: (status) =>
      status === 429
        ? twilioError(429, 20429, 'Too Many Requests')
        : status >= 500
          ? twilioError(status, 20500, 'Internal Server Error')
          : twilioError(status, 21211, "The 'To' number is not a valid phone number."),
    handle,
  });

  // Restated here on purpose instead of importing src/: the stand-in checks our code, not itself.
  const sign = (url: string, params: Record<string, string>): string => {
    const data = Object.keys(params)
      .sort()
      .reduce((acc, key) => acc + key + params[key], url);
    return createHmac('sha1', authToken).update(Buffer.from(data, 'utf8')).digest('base64');
  };

  const postWebhook: TwilioStandIn['postWebhook'] = (url, params, opts = {}) =>
    postWebhookForm(url, params, {
      ...(opts.retries === undefined ? {} : { retries: opts.retries }),
      ...(opts.retryDelayMs === undefined ? {} : { retryDelayMs: opts.retryDelayMs }),
      headers: { 'x-twilio-signature': opts.signature ?? sign(url, params) },
    });

  return {
    url: http.origin,
    accountSid,
    authToken,
    requests: http.requests,
    messages,
    calls,
    failNext: http.failNext,
    delayNext: http.delayNext,
    hangNext: http.hangNext,
    outage: http.outage,
    sign,
    postWebhook,
    async sendMessageStatus(messageSid, status, opts = {}) {
      const message = messages.find((m) => m.sid === messageSid);
      if (!message) throw new Error(`Twilio stand-in: no message ${messageSid}`);
      if (!message.statusCallback)
        throw new Error(`Twilio stand-in: message ${messageSid} has no StatusCallback`);
      const params: Record<string, string> = {
        MessageSid: messageSid,
        SmsSid: messageSid,
        AccountSid: accountSid,
        From: message.from,
        To: message.to,
        MessageStatus: status,
        SmsStatus: status,
        ApiVersion: '2010-04-01',
      };
      if (status === 'undelivered' || status === 'failed') params.ErrorCode = '30003';
      return postWebhook(message.statusCallback, params, {
        retries: opts.retries ?? 3,
        retryDelayMs: opts.retryDelayMs ?? 20,
      });
    },
    async answerCall(callSid, callee = {}) {
      const call = calls.find((c) => c.sid === callSid);
      if (!call) throw new Error(`Twilio stand-in: no call ${callSid}`);
      const transcript: TwilioCallTranscript = { said: [], gathers: [], status: undefined };
      const outcome = callee.outcome ?? 'completed';
      const common = {
        CallSid: call.sid,
        AccountSid: accountSid,
        From: call.from,
        To: call.to,
        Direction: 'outbound-api',
        ApiVersion: '2010-04-01',
      };
      if (outcome === 'completed') {
        if (call.twiml === undefined)
          throw new Error('Twilio stand-in: only calls with inline Twiml are played');
        const digits = [...(callee.digits ?? [])];
        let verbs = twimlVerbs(call.twiml);
        // Bounded: a page call is a handful of verbs; a loop here is a bug in our answers.
        for (let step = 0; step < 20 && verbs.length > 0; step++) {
          const verb = verbs.shift() as TwimlVerb;
          if (verb.name === 'Say') transcript.said.push({ text: verb.text, language: verb.attrs.language });
          else if (verb.name === 'Hangup' || verb.name === 'Reject') break;
          else if (verb.name === 'Gather') {
            for (const inner of twimlVerbs(`<Response>${verb.inner}</Response>`))
              if (inner.name === 'Say')
                transcript.said.push({ text: inner.text, language: inner.attrs.language });
            const pressed = digits.shift();
            if (pressed === undefined) continue; // timeout: on to the next verb
            const action = verb.attrs.action;
            if (!action) break;
            const delivery = await postWebhook(action, {
              ...common,
              CallStatus: 'in-progress',
              Digits: pressed,
            });
            transcript.gathers.push({ url: action, digits: pressed, delivery });
            verbs = delivery.status === 200 ? twimlVerbs(delivery.body) : [];
          }
        }
      }
      if (call.statusCallback)
        transcript.status = await postWebhook(
          call.statusCallback,
          { ...common, CallStatus: outcome, CallDuration: outcome === 'completed' ? '21' : '0' },
          { retries: 3, retryDelayMs: 20 },
        );
      return transcript;
    },
    async simulateIncomingCall(url, call) {
      const callSid = call.callSid ?? `CA${randomHex(32)}`;
      const params = {
        CallSid: callSid,
        AccountSid: accountSid,
        From: call.from,
        To: call.to,
        CallStatus: 'ringing',
        ApiVersion: '2010-04-01',
        Direction: 'inbound',
      };
      return { ...(await postWebhook(url, params)), callSid };
    },
    async simulateIncomingSms(url, sms) {
      const messageSid = sms.messageSid ?? `SM${randomHex(32)}`;
      const params = {
        MessageSid: messageSid,
        SmsSid: messageSid,
        AccountSid: accountSid,
        From: sms.from,
        To: sms.to,
        Body: sms.body,
        NumMedia: '0',
        ApiVersion: '2010-04-01',
      };
      return { ...(await postWebhook(url, params)), messageSid };
    },
    close: http.close,
  };
}

interface TwimlVerb {
  name: string;
  attrs: Record<string, string>;
  /** Text content, unescaped (Say, Play). */
  text: string;
  /** Raw inner XML (Gather). */
  inner: string;
}

/** The top-level verbs of a TwiML `<Response>` (the subset our call answers use; no nested Gathers). */
function twimlVerbs(xml: string): TwimlVerb[] {
  const body = /<Response>([\s\S]*)<\/Response>/.exec(xml)?.[1] ?? '';
  const verbs: TwimlVerb[] = [];
  const pattern = /<(\w+)((?:\s+\w+="[^"]*")*)\s*(?:\/>|>([\s\S]*?)<\/\1>)/g;
  for (const match of body.matchAll(pattern)) {
    const attrs: Record<string, string> = {};
    for (const a of (match[2] ?? '').matchAll(/(\w+)="([^"]*)"/g))
      attrs[a[1] ?? ''] = unescapeXml(a[2] ?? '');
    const inner = match[3] ?? '';
    verbs.push({ name: match[1] ?? '', attrs, text: unescapeXml(inner), inner });
  }
  return verbs;
}

function unescapeXml(text: string): string {
  return text
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&amp;/g, '&');
}
