import type { Config } from '../../config/config.js';
import { DeliveryError, type SmsSender, type TelephonyProvider, type VoiceCaller } from '../messaging.js';
import { createElksTelephony } from './elks.js';
import { withFallback, type FallbackOptions } from './fallback.js';
import type { ProviderHttpOptions } from './provider-http.js';
import { createTwilioTelephony, type TwilioOptions } from './twilio.js';

export type Telephony = SmsSender & VoiceCaller & { readonly providers: readonly TelephonyProvider[] };

export function isElksConfigured(elks: Config['elks']): boolean {
  return elks.username !== '' && elks.password !== '' && elks.fromNumber !== '';
}

export function isTwilioConfigured(twilio: Config['twilio']): boolean {
  return twilio.accountSid !== '' && twilio.authToken !== '' && twilio.fromNumber !== '';
}

/**
 * The composition root's telephony: 46elks first, Twilio as fallback, each only when configured.
 * With neither, every send fails with a non-retryable NOT_CONFIGURED DeliveryError.
 */
export function createTelephony(
  config: Pick<Config, 'elks' | 'twilio'>,
  options: ProviderHttpOptions & FallbackOptions & Pick<TwilioOptions, 'speech'> = {},
): Telephony {
  const adapters: { provider: TelephonyProvider; adapter: SmsSender & VoiceCaller }[] = [];
  if (isElksConfigured(config.elks))
    adapters.push({ provider: '46elks', adapter: createElksTelephony(config.elks, options) });
  if (isTwilioConfigured(config.twilio))
    adapters.push({ provider: 'twilio', adapter: createTwilioTelephony(config.twilio, options) });
  const providers = adapters.map((a) => a.provider);
  const [first, second] = adapters;
  if (first === undefined) {
    const fail = (): never => {
      throw new DeliveryError('no telephony provider is configured (46elks or Twilio)', {
        provider: 'none',
        code: 'NOT_CONFIGURED',
        retryable: false,
      });
    };
    return { providers, send: async () => fail(), call: async () => fail() };
  }
  const combined =
    second === undefined
      ? first.adapter
      : withFallback(first.adapter, second.adapter, { ...options, primaryName: first.provider });
  return { providers, send: (r) => combined.send(r), call: (r) => combined.call(r) };
}
