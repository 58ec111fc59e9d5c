/**
 * Twilio adapter (https://www.twilio.com/docs/messaging/api/message-resource,
 * https://www.twilio.com/docs/voice/api/call-resource): form-encoded POSTs to
 * `{apiUrl}/2010-04-01/Accounts/{AccountSid}/Messages.json` and `…/Calls.json`, Basic auth
 * `AccountSid:AuthToken`, JSON answers with `sid`.
 */
import type { Config } from '../../config/config.js';
import {
  callbackUrlFor,
  DeliveryError,
  type SmsReceipt,
  type SmsRequest,
  type SmsSender,
  type VoiceCallReceipt,
  type VoiceCallRequest,
  type VoiceCaller,
} from '../messaging.js';
import {
  DEFAULT_TIMEOUT_MS,
  postForm,
  providerBaseUrl,
  requireE164,
  requireText,
  stringField,
  type ProviderHttpOptions,
} from './provider-http.js';
import { keepAliveFetch } from './keep-alive-fetch.js';
import { buildTwilioCallTwiml, type TwilioSpeechOptions } from './twiml.js';

export type TwilioConfig = Pick<Config['twilio'], 'apiUrl' | 'accountSid' | 'authToken' | 'fromNumber'>;

export type TwilioTelephony = SmsSender & VoiceCaller;

export interface TwilioOptions extends ProviderHttpOptions {
  /** How outgoing calls speak; default `sv-SE` with Twilio's default voice. */
  speech?: TwilioSpeechOptions;
}

const PROVIDER = 'twilio';

export function createTwilioTelephony(config: TwilioConfig, options: TwilioOptions = {}): TwilioTelephony {
  const baseUrl = providerBaseUrl(PROVIDER, config.apiUrl);
  // The SID goes into the path: refuse anything that could change it.
  if (!/^[A-Za-z0-9]+$/.test(config.accountSid))
    throw new Error('twilio account SID is missing or malformed');
  const accountUrl = `${baseUrl}/2010-04-01/Accounts/${config.accountSid}`;
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const fetchImpl = options.fetch ?? keepAliveFetch;
  const post = (resource: string, form: Record<string, string | undefined>) =>
    postForm({
      provider: PROVIDER,
      url: `${accountUrl}/${resource}`,
      username: config.accountSid,
      password: config.authToken,
      form,
      timeoutMs,
      fetch: fetchImpl,
    });

  return {
    async send(request: SmsRequest): Promise<SmsReceipt> {
      requireE164(PROVIDER, request.to);
      requireText(PROVIDER, 'the message', request.message);
      const answer = await post('Messages.json', {
        To: request.to,
        From: config.fromNumber,
        Body: request.message,
        StatusCallback: callbackUrlFor(request.statusCallbackUrl, PROVIDER),
      });
      return { provider: PROVIDER, providerMessageId: requireSid(answer, 'message') };
    },

    async call(request: VoiceCallRequest): Promise<VoiceCallReceipt> {
      requireE164(PROVIDER, request.to);
      requireText(PROVIDER, 'the message', request.message);
      const acknowledgeUrl = callbackUrlFor(request.acknowledgeUrl, PROVIDER);
      const twiml = buildTwilioCallTwiml({
        message: request.message,
        ...(acknowledgeUrl === undefined ? {} : { acknowledgeUrl }),
        ...options.speech,
      });
      const answer = await post('Calls.json', {
        To: request.to,
        From: config.fromNumber,
        Twiml: twiml,
        StatusCallback: callbackUrlFor(request.statusCallbackUrl, PROVIDER),
        Timeout: request.ringTimeoutSeconds === undefined ? undefined : String(request.ringTimeoutSeconds),
      });
      return { provider: PROVIDER, providerCallId: requireSid(answer, 'call') };
    },
  };
}

function requireSid(answer: unknown, what: string): string {
  const sid = stringField(answer, 'sid');
  if (sid === undefined)
    throw new DeliveryError(`twilio accepted the ${what} but its answer has no sid`, {
      provider: PROVIDER,
      code: 'BAD_RESPONSE',
      retryable: false,
    });
  return sid;
}
