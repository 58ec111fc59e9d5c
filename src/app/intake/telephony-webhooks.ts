import {
  buildElksConnectAction,
  buildElksKeypressAnswer,
} from '../../integrations/telephony/elks-call-actions.js';
import {
  checkElksWebhookAuth,
  parseElksActionResult,
  parseElksDeliveryReport,
  parseElksHangup,
  parseElksIncomingCall,
  parseElksIncomingSms,
} from '../../integrations/telephony/elks-webhooks.js';
import {
  buildTwilioAfterDialTwiml,
  buildTwilioConnectTwiml,
  buildTwilioKeypressTwiml,
  buildTwilioMessagingTwiml,
  twimlResponse,
  twimlSay,
  TWIML_CONTENT_TYPE,
  type TwilioConnectCallerOptions,
} from '../../integrations/telephony/twiml.js';
import {
  TWILIO_SIGNATURE_HEADER,
  validateTwilioSignature,
} from '../../integrations/telephony/twilio-signature.js';
import {
  parseTwilioDialResult,
  parseTwilioIncomingSms,
  parseTwilioVoiceWebhook,
} from '../../integrations/telephony/twilio-webhooks.js';
import {
  formParams,
  formValue,
  readForm,
  WebhookPayloadError,
} from '../../integrations/telephony/webhook-form.js';
import type { AppContext } from '../app-context.js';
import { recordDeliveryReport, type DeliveryReport } from '../messaging/delivery-receipts.js';
import { pressKeyOnPageCall, type KeypressOutcome } from '../messaging/page-call-ack.js';
import {
  ACKNOWLEDGED_TEXT,
  elksAcknowledgedAudioUrl,
  elksGreetingUrl,
  elksPageAudioUrl,
  pageAckUrl,
  PRESS_ONE_PROMPT,
} from '../messaging/telephony-callbacks.js';
import { callRouting, receiveCall, receiveSms, type CallRouting } from './phone-intake.js';

/** What a provider webhook is answered with; the route writes it out as is. */
export type WebhookAnswer =
  | { kind: 'ok'; status: 200 | 204; contentType: string; body: string | null }
  | { kind: 'refused'; status: 400 | 401 | 403 | 415; code: string; detail: string };

export interface WebhookRequest {
  headers: Record<string, string | string[] | undefined>;
  /** The parsed form (URLSearchParams) or anything else a client sent. */
  body: unknown;
  /** Path and query as received, e.g. `/api/v1/webhooks/twilio/voice`. */
  url: string;
}

/** The Swedish words a caller hears before being put through, and when nobody can be reached. */
const GREETING = 'Välkommen till Ballou. Vi kopplar dig till jourhavande tekniker.';
const NOBODY = 'Välkommen till Ballou. Ditt ärende är registrerat och jourhavande ringer upp dig inom kort.';

const refused = (status: 400 | 401 | 403 | 415, code: string, detail: string): WebhookAnswer => ({
  kind: 'refused',
  status,
  code,
  detail,
});

function form(request: WebhookRequest): URLSearchParams | WebhookAnswer {
  return request.body instanceof URLSearchParams
    ? request.body
    : refused(415, 'UNSUPPORTED_MEDIA_TYPE', 'send application/x-www-form-urlencoded, as the provider does');
}

/** Parses with a provider parser; a missing field is a 400 that names it. */
function parse<T>(parser: () => T): T | WebhookAnswer {
  try {
    return parser();
  } catch (error) {
    if (error instanceof WebhookPayloadError) return refused(400, 'VALIDATION_FAILED', error.message);
    throw error;
  }
}

const isAnswer = (v: unknown): v is WebhookAnswer =>
  typeof v === 'object' &&
  v !== null &&
  'kind' in v &&
  ((v as WebhookAnswer).kind === 'refused' || (v as WebhookAnswer).kind === 'ok');

function elksAuthorized(ctx: AppContext, request: WebhookRequest): boolean {
  const auth = request.headers.authorization;
  return (
    ctx.config.elks.webhookSecret !== '' &&
    checkElksWebhookAuth(typeof auth === 'string' ? auth : undefined, ctx.config.elks.webhookSecret)
  );
}

function twilioAuthorized(ctx: AppContext, request: WebhookRequest, params: URLSearchParams): boolean {
  const signature = request.headers[TWILIO_SIGNATURE_HEADER];
  return (
    ctx.config.twilio.authToken !== '' &&
    typeof signature === 'string' &&
    validateTwilioSignature({
      authToken: ctx.config.twilio.authToken,
      signature,
      // Signed over the public URL Twilio called, not whatever a proxy made of it.
      url: new URL(request.url, ctx.config.publicUrl).toString(),
      params: formParams(params),
    })
  );
}

/** A 46elks webhook's form, once its basic-auth secret is right (checked before the body is looked at). */
function elksForm(ctx: AppContext, request: WebhookRequest): URLSearchParams | WebhookAnswer {
  if (!elksAuthorized(ctx, request))
    return refused(401, 'UNAUTHENTICATED', '46elks webhook credentials missing or wrong');
  return form(request);
}

/** A Twilio webhook's form, once its signature over the public URL and the form is right. */
function twilioForm(ctx: AppContext, request: WebhookRequest): URLSearchParams | WebhookAnswer {
  const params = form(request);
  if (isAnswer(params)) return params;
  return twilioAuthorized(ctx, request, params)
    ? params
    : refused(403, 'FORBIDDEN', 'X-Twilio-Signature missing or wrong');
}

/** 46elks incoming call: answered with a call action that puts the caller through to the on-call engineers. */
export async function answerElksCall(ctx: AppContext, request: WebhookRequest): Promise<WebhookAnswer> {
  const params = elksForm(ctx, request);
  if (isAnswer(params)) return params;
  const call = parse(() => parseElksIncomingCall(params));
  if (isAnswer(call)) return call;
  const routing = await receiveCall(ctx, {
    provider: '46elks',
    callId: call.callId,
    from: call.from,
    to: call.to,
  });
  return {
    kind: 'ok',
    status: 200,
    contentType: 'application/json',
    body: JSON.stringify(elksAction(ctx, routing)),
  };
}

/** 46elks incoming SMS: a text body in our answer goes back to the sender as an SMS. */
export async function answerElksSms(ctx: AppContext, request: WebhookRequest): Promise<WebhookAnswer> {
  const params = elksForm(ctx, request);
  if (isAnswer(params)) return params;
  const sms = parse(() => parseElksIncomingSms(params));
  if (isAnswer(sms)) return sms;
  const reply = await receiveSms(ctx, {
    provider: '46elks',
    messageId: sms.id,
    from: sms.from,
    to: sms.to,
    text: sms.message,
  });
  return reply
    ? { kind: 'ok', status: 200, contentType: 'text/plain; charset=utf-8', body: reply }
    : { kind: 'ok', status: 204, contentType: 'text/plain', body: null };
}

/** Twilio incoming call: TwiML that says the greeting and dials the primary (the secondary after no answer). */
export async function answerTwilioCall(ctx: AppContext, request: WebhookRequest): Promise<WebhookAnswer> {
  const params = twilioForm(ctx, request);
  if (isAnswer(params)) return params;
  const call = parse(() => parseTwilioVoiceWebhook(params));
  if (isAnswer(call)) return call;
  const routing = await receiveCall(ctx, {
    provider: 'twilio',
    callId: call.callSid,
    from: call.from,
    to: call.to,
  });
  const plan = twilioPlan(ctx, routing);
  return twiml(plan ? buildTwilioConnectTwiml(plan) : twimlResponse(twimlSay(NOBODY, { language: 'sv-SE' })));
}

/** Twilio's report of the dial to the primary: unanswered, the secondary is rung. */
export async function answerTwilioAfterDial(
  ctx: AppContext,
  request: WebhookRequest,
  step: 'primary' | 'secondary',
): Promise<WebhookAnswer> {
  const params = twilioForm(ctx, request);
  if (isAnswer(params)) return params;
  const result = parse(() => parseTwilioDialResult(params));
  if (isAnswer(result)) return result;
  const routing = await callRouting(ctx, 'twilio', result.callSid);
  const plan = routing ? twilioPlan(ctx, routing) : null;
  return twiml(
    plan ? buildTwilioAfterDialTwiml(plan, step, result.dialCallStatus) : twimlResponse('<Hangup/>'),
  );
}

/** Twilio incoming SMS, answered with messaging TwiML carrying the reply. */
export async function answerTwilioSms(ctx: AppContext, request: WebhookRequest): Promise<WebhookAnswer> {
  const params = twilioForm(ctx, request);
  if (isAnswer(params)) return params;
  const sms = parse(() => parseTwilioIncomingSms(params));
  if (isAnswer(sms)) return sms;
  const reply = await receiveSms(ctx, {
    provider: 'twilio',
    messageId: sms.messageSid,
    from: sms.from,
    to: sms.to,
    text: sms.body,
  });
  return twiml(buildTwilioMessagingTwiml(reply ?? undefined));
}

const twiml = (body: string): WebhookAnswer => ({
  kind: 'ok',
  status: 200,
  contentType: TWIML_CONTENT_TYPE,
  body,
});

function twilioPlan(ctx: AppContext, routing: CallRouting): TwilioConnectCallerOptions | null {
  const primary = routing.primary ?? routing.secondary;
  if (!primary) return null;
  return {
    message: GREETING,
    primary,
    ...(routing.secondary && routing.primary ? { secondary: routing.secondary } : {}),
    afterDialUrl: new URL('/api/v1/webhooks/twilio/voice/after-dial', ctx.config.publicUrl).toString(),
    noAnswerMessage: NOBODY,
    language: 'sv-SE',
  };
}

/** The 46elks call action: the primary, then the secondary; with nobody on call the line is not left dead. */
function elksAction(ctx: AppContext, routing: CallRouting): unknown {
  const primary = routing.primary ?? routing.secondary;
  if (!primary) return { hangup: 'busy' };
  // BALLOU_46ELKS_GREETING_URL, else the bundled recording (needs BALLOU_PUBLIC_URL).
  const greetingAudioUrl = elksGreetingUrl(ctx.config);
  return buildElksConnectAction({
    primary,
    ...(routing.secondary && routing.primary ? { secondary: routing.secondary } : {}),
    ...(greetingAudioUrl === undefined ? {} : { greetingAudioUrl }),
  });
}

const NO_CONTENT: WebhookAnswer = { kind: 'ok', status: 204, contentType: 'text/plain', body: null };

/** The query of the URL the provider called (our notification id and token travel there). */
function query(request: WebhookRequest): URLSearchParams {
  return new URL(request.url, 'http://webhook.invalid').searchParams;
}

const notificationIdOf = (request: WebhookRequest): string | undefined =>
  query(request).get('n') ?? undefined;

/**
 * Records a provider's report. Always 2xx once authenticated and readable, also for ids we do not
 * know: the providers retry anything else for hours.
 */
async function recordReport(ctx: AppContext, report: DeliveryReport): Promise<WebhookAnswer> {
  await recordDeliveryReport(ctx, report);
  return NO_CONTENT;
}

/** 46elks delivery report (`whendelivered` of an SMS we sent): `id`, `status`, `delivered`. */
export async function answerElksDeliveryReport(
  ctx: AppContext,
  request: WebhookRequest,
): Promise<WebhookAnswer> {
  const params = elksForm(ctx, request);
  if (isAnswer(params)) return params;
  const dlr = parse(() => parseElksDeliveryReport(params));
  if (isAnswer(dlr)) return dlr;
  return recordReport(ctx, {
    provider: '46elks',
    channel: 'sms',
    providerMessageId: dlr.id,
    notificationId: notificationIdOf(request),
    providerStatus: dlr.status,
    providerAtMs: dlr.deliveredMs,
  });
}

/** 46elks `whenhangup` of a call we placed: the call record, `state` = success / busy / failed. */
export async function answerElksHangup(ctx: AppContext, request: WebhookRequest): Promise<WebhookAnswer> {
  const params = elksForm(ctx, request);
  if (isAnswer(params)) return params;
  const hangup = parse(() => parseElksHangup(params));
  if (isAnswer(hangup)) return hangup;
  if (hangup.state === undefined) return NO_CONTENT;
  return recordReport(ctx, {
    provider: '46elks',
    channel: 'voice',
    providerMessageId: hangup.callId,
    notificationId: notificationIdOf(request),
    providerStatus: hangup.state,
  });
}

/** Twilio status callback of an SMS (`MessageSid`, `MessageStatus`) or a call (`CallSid`, `CallStatus`). */
export async function answerTwilioStatus(ctx: AppContext, request: WebhookRequest): Promise<WebhookAnswer> {
  const params = twilioForm(ctx, request);
  if (isAnswer(params)) return params;
  const isMessage =
    formValue(params, 'MessageSid') !== undefined || formValue(params, 'SmsSid') !== undefined;
  const status = parse(() =>
    isMessage
      ? readForm(
          'Twilio message status',
          params,
          ['MessageSid|SmsSid', 'MessageStatus|SmsStatus'],
          ['ErrorCode'],
        )
      : readForm('Twilio call status', params, ['CallSid', 'CallStatus'], ['ErrorCode']),
  );
  if (isAnswer(status)) return status;
  const fields = status as Record<string, string | undefined>;
  return recordReport(ctx, {
    provider: 'twilio',
    channel: isMessage ? 'sms' : 'voice',
    providerMessageId: (isMessage ? fields['MessageSid|SmsSid'] : fields.CallSid) ?? '',
    notificationId: notificationIdOf(request),
    providerStatus: (isMessage ? fields['MessageStatus|SmsStatus'] : fields.CallStatus) ?? '',
    errorCode: fields.ErrorCode,
  });
}

function keypressFrom(
  request: WebhookRequest,
): { notificationId: string; token: string; again: boolean } | WebhookAnswer {
  const q = query(request);
  const notificationId = q.get('n');
  const token = q.get('t');
  if (!notificationId || !token) return refused(403, 'FORBIDDEN', 'this keypress URL is not one we made');
  return { notificationId, token, again: q.get('again') === '1' };
}

const wrongToken = (): WebhookAnswer => refused(403, 'FORBIDDEN', 'this keypress URL is not one we made');

/** The `next` of a 46elks page call's `ivr`: `callid`, `result` (the digit). Answers the next call action. */
export async function answerElksPageKeypress(
  ctx: AppContext,
  request: WebhookRequest,
): Promise<WebhookAnswer> {
  const params = elksForm(ctx, request);
  if (isAnswer(params)) return params;
  const result = parse(() => parseElksActionResult(params));
  if (isAnswer(result)) return result;
  const target = keypressFrom(request);
  if (isAnswer(target)) return target;
  const outcome = await pressKeyOnPageCall(ctx, {
    provider: '46elks',
    callId: result.callId,
    digits: result.result,
    ...target,
  });
  if (outcome === null) return wrongToken();
  const prompt = elksPageAudioUrl(ctx.config);
  const confirmationAudioUrl = elksAcknowledgedAudioUrl(ctx.config);
  const action =
    outcome === 'acknowledged'
      ? buildElksKeypressAnswer({ outcome, confirmationAudioUrl })
      : outcome === 'again' && prompt !== undefined
        ? buildElksKeypressAnswer({
            outcome,
            promptAudioUrl: prompt,
            acknowledgeUrl: pageAckUrl(ctx.config, '46elks', target.notificationId, true),
          })
        : buildElksKeypressAnswer({ outcome: 'end' });
  return { kind: 'ok', status: 200, contentType: 'application/json', body: JSON.stringify(action) };
}

/** The `<Gather action>` of a Twilio page call: `CallSid`, `Digits`. Answers TwiML. */
export async function answerTwilioPageKeypress(
  ctx: AppContext,
  request: WebhookRequest,
): Promise<WebhookAnswer> {
  const params = twilioForm(ctx, request);
  if (isAnswer(params)) return params;
  const call = parse(() => readForm('Twilio gather result', params, ['CallSid'], ['Digits']));
  if (isAnswer(call)) return call;
  const target = keypressFrom(request);
  if (isAnswer(target)) return target;
  const outcome: KeypressOutcome | null = await pressKeyOnPageCall(ctx, {
    provider: 'twilio',
    callId: call.CallSid,
    digits: call.Digits ?? '',
    ...target,
  });
  if (outcome === null) return wrongToken();
  const speech = { language: 'sv-SE' };
  return twiml(
    outcome === 'acknowledged'
      ? buildTwilioKeypressTwiml({ outcome, confirmation: ACKNOWLEDGED_TEXT, ...speech })
      : outcome === 'again'
        ? buildTwilioKeypressTwiml({
            outcome,
            prompt: PRESS_ONE_PROMPT,
            acknowledgeUrl: pageAckUrl(ctx.config, 'twilio', target.notificationId, true),
            ...speech,
          })
        : buildTwilioKeypressTwiml({ outcome: 'end' }),
  );
}
