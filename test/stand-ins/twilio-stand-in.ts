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
  /** The `X-Twilio-Signature` Twilio would send for a POST of `params` to `url` (the algorithm, restated). */
  sign(url: string, params: Record<string, string>): string;
  /** POSTs a signed form to our webhook, as Twilio does. */
  postWebhook(
    url: string,
    params: Record<string, string>,
    options?: { retries?: number; retryDelayMs?: number; signature?: string },
  ): Promise<WebhookDelivery>;
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
    sign,
    postWebhook,
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
