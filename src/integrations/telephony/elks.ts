/**
 * 46elks adapter (https://46elks.se/docs/send-sms, /docs/make-call): form-encoded POSTs with HTTP Basic
 * auth, JSON answers. 46elks has no idempotency key, so a retry after a timeout may send twice — the
 * caller decides (prefer a duplicate page over a missed one).
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
import { buildElksOutgoingCallAction } from './elks-call-actions.js';
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

export type ElksConfig = Pick<Config['elks'], 'apiUrl' | 'username' | 'password' | 'fromNumber'>;

export type ElksTelephony = SmsSender & VoiceCaller;

const PROVIDER = '46elks';

/**
 * Sends SMS (`POST {apiUrl}/sms`) and places calls (`POST {apiUrl}/calls`).
 * `fromNumber` is the SMS sender (an E.164 number, or up to 11 letters/digits) and the calling number
 * (must be one of our 46elks voice numbers).
 */
export function createElksTelephony(config: ElksConfig, options: ProviderHttpOptions = {}): ElksTelephony {
  const baseUrl = providerBaseUrl(PROVIDER, config.apiUrl);
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const fetchImpl = options.fetch ?? keepAliveFetch;
  const post = (path: string, form: Record<string, string | undefined>) =>
    postForm({
      provider: PROVIDER,
      url: `${baseUrl}${path}`,
      username: config.username,
      password: config.password,
      form,
      timeoutMs,
      fetch: fetchImpl,
    });

  return {
    async send(request: SmsRequest): Promise<SmsReceipt> {
      requireE164(PROVIDER, request.to);
      requireText(PROVIDER, 'the message', request.message);
      const answer = await post('/sms', {
        from: config.fromNumber,
        to: request.to,
        message: request.message,
        whendelivered: callbackUrlFor(request.statusCallbackUrl, PROVIDER),
      });
      return { provider: PROVIDER, providerMessageId: requireId(answer, 'SMS') };
    },

    async call(request: VoiceCallRequest): Promise<VoiceCallReceipt> {
      requireE164(PROVIDER, request.to);
      if (request.audioUrl === undefined)
        throw new DeliveryError(
          '46elks cannot speak Swedish text (its text-to-speech is English only): audioUrl is required',
          { provider: PROVIDER, code: 'UNSUPPORTED', retryable: false },
        );
      const acknowledgeUrl = callbackUrlFor(request.acknowledgeUrl, PROVIDER);
      const voiceStart = buildElksOutgoingCallAction({
        audioUrl: request.audioUrl,
        ...(acknowledgeUrl === undefined ? {} : { acknowledgeUrl }),
      });
      const answer = await post('/calls', {
        from: config.fromNumber,
        to: request.to,
        voice_start: JSON.stringify(voiceStart),
        whenhangup: callbackUrlFor(request.statusCallbackUrl, PROVIDER),
        timeout: request.ringTimeoutSeconds === undefined ? undefined : String(request.ringTimeoutSeconds),
      });
      return { provider: PROVIDER, providerCallId: requireId(answer, 'call') };
    },
  };
}

function requireId(answer: unknown, what: string): string {
  const id = stringField(answer, 'id');
  if (id === undefined)
    throw new DeliveryError(`46elks accepted the ${what} but its answer has no id`, {
      provider: PROVIDER,
      code: 'BAD_RESPONSE',
      retryable: false,
    });
  return id;
}
