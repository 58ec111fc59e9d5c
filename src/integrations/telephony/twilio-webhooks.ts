/**
 * What Twilio POSTs to us (form-encoded, signed with `X-Twilio-Signature`; see twilio-signature.ts).
 * Field names as in https://www.twilio.com/docs/usage/webhooks/voice-webhooks and the messaging webhooks.
 */
import { readForm } from './webhook-form.js';

export interface TwilioVoiceWebhook {
  /** `CA…`: with `callStatus`, the idempotency key. */
  callSid: string;
  accountSid: string;
  /** E.164, or e.g. `client:x` / `anonymous`. */
  from: string;
  to: string;
  callStatus: string | undefined;
  direction: string | undefined;
  forwardedFrom: string | undefined;
  callerName: string | undefined;
  parentCallSid: string | undefined;
}

/** An incoming call (or a call status callback): `CallSid`, `AccountSid`, `From`, `To`, `CallStatus`, … */
export function parseTwilioVoiceWebhook(body: unknown): TwilioVoiceWebhook {
  const f = readForm(
    'Twilio voice webhook',
    body,
    ['CallSid', 'AccountSid', 'From', 'To'],
    ['CallStatus', 'Direction', 'ForwardedFrom', 'CallerName', 'ParentCallSid'],
  );
  return {
    callSid: f.CallSid,
    accountSid: f.AccountSid,
    from: f.From,
    to: f.To,
    callStatus: f.CallStatus,
    direction: f.Direction,
    forwardedFrom: f.ForwardedFrom,
    callerName: f.CallerName,
    parentCallSid: f.ParentCallSid,
  };
}

export interface TwilioIncomingSms {
  /** `SM…` (`MessageSid`, or the older `SmsSid`). */
  messageSid: string;
  accountSid: string;
  from: string;
  to: string;
  /** May be empty (e.g. an MMS with only media). */
  body: string;
}

/** An SMS to our number: `MessageSid`, `AccountSid`, `From`, `To`, `Body`. */
export function parseTwilioIncomingSms(body: unknown): TwilioIncomingSms {
  const f = readForm(
    'Twilio incoming SMS',
    body,
    ['MessageSid|SmsSid', 'AccountSid', 'From', 'To'],
    ['Body'],
  );
  return {
    messageSid: f['MessageSid|SmsSid'],
    accountSid: f.AccountSid,
    from: f.From,
    to: f.To,
    body: f.Body ?? '',
  };
}

export interface TwilioMessageStatus {
  messageSid: string;
  /** `queued|sent|delivered|undelivered|failed|…`; dedupe on sid + status. */
  messageStatus: string;
  errorCode: string | undefined;
}

/** A message status callback (`StatusCallback` of an SMS we sent). */
export function parseTwilioMessageStatus(body: unknown): TwilioMessageStatus {
  const f = readForm(
    'Twilio message status',
    body,
    ['MessageSid|SmsSid', 'MessageStatus|SmsStatus'],
    ['ErrorCode'],
  );
  return {
    messageSid: f['MessageSid|SmsSid'],
    messageStatus: f['MessageStatus|SmsStatus'],
    errorCode: f.ErrorCode,
  };
}

export interface TwilioDialResult {
  callSid: string;
  /** `completed|answered|busy|no-answer|failed|canceled`. */
  dialCallStatus: string;
  dialCallSid: string | undefined;
  /** Seconds, when the call was answered. */
  dialCallDuration: number | undefined;
}

/** The `<Dial action>` callback: `CallSid`, `DialCallStatus`, `DialCallSid`, `DialCallDuration`. */
export function parseTwilioDialResult(body: unknown): TwilioDialResult {
  const f = readForm(
    'Twilio dial result',
    body,
    ['CallSid', 'DialCallStatus'],
    ['DialCallSid', 'DialCallDuration'],
  );
  const duration = f.DialCallDuration === undefined ? undefined : Number(f.DialCallDuration);
  return {
    callSid: f.CallSid,
    dialCallStatus: f.DialCallStatus,
    dialCallSid: f.DialCallSid,
    dialCallDuration: duration === undefined || Number.isNaN(duration) ? undefined : duration,
  };
}

export interface TwilioGatherResult {
  callSid: string;
  digits: string;
}

/** The `<Gather action>` callback: `CallSid`, `Digits`. */
export function parseTwilioGatherResult(body: unknown): TwilioGatherResult {
  const f = readForm('Twilio gather result', body, ['CallSid', 'Digits']);
  return { callSid: f.CallSid, digits: f.Digits };
}
