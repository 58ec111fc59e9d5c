import { createHmac } from 'node:crypto';
import type { Config } from '../../config/config.js';
import type { NotificationRow } from '../../db/repositories/notification.repository.js';
import type { SmsRequest, TelephonyProvider, VoiceCallRequest } from '../../integrations/messaging.js';
import { constantTimeEqual } from '../../integrations/telephony/constant-time.js';
import { isElksConfigured, isTwilioConfigured } from '../../integrations/telephony/create-telephony.js';
import { elksWebhookUrl } from '../../integrations/telephony/elks-webhooks.js';
import { bundledPromptUrl } from '../audio/prompts.js';

/**
 * The webhook URLs an outgoing SMS or page call carries, one per configured provider: delivery reports
 * (46elks `whendelivered`/`whenhangup`, Twilio `StatusCallback`) and the keypress that acknowledges a
 * page. They need BALLOU_PUBLIC_URL (the address the providers reach us at); 46elks URLs also need the
 * webhook secret, which they carry as Basic credentials. Each URL names our notification (`n`), so a
 * report that comes before we stored the provider's id still finds its message.
 */

export const WEBHOOK_PATHS = {
  elksDeliveryReport: '/api/v1/webhooks/46elks/dlr',
  elksHangup: '/api/v1/webhooks/46elks/hangup',
  elksPageAck: '/api/v1/webhooks/46elks/page-ack',
  twilioStatus: '/api/v1/webhooks/twilio/status',
  twilioPageAck: '/api/v1/webhooks/twilio/page-ack',
} as const;

/** What the Twilio callee hears after the page text when a keypress acknowledges. */
export const PRESS_ONE_PROMPT = 'Tryck 1 för att kvittera.';
export const ACKNOWLEDGED_TEXT = 'Tack, ärendet är kvitterat.';

type Ctx = { config: Config };

function elksReady(config: Config): boolean {
  return config.publicUrlConfigured && isElksConfigured(config.elks) && config.elks.webhookSecret !== '';
}

function twilioReady(config: Config): boolean {
  return config.publicUrlConfigured && isTwilioConfigured(config.twilio);
}

function withQuery(url: string, query: Record<string, string>): string {
  const parsed = new URL(url);
  for (const [name, value] of Object.entries(query)) parsed.searchParams.set(name, value);
  return parsed.toString();
}

function elksUrl(config: Config, path: string, query: Record<string, string>): string {
  return withQuery(elksWebhookUrl(config.publicUrl, path, config.elks.webhookSecret), query);
}

function twilioUrl(config: Config, path: string, query: Record<string, string>): string {
  return withQuery(new URL(path, config.publicUrl).toString(), query);
}

/**
 * The token in a page call's keypress URL: an HMAC of the notification id under the provider's webhook
 * secret, so the URL cannot be guessed or reused for another page, and needs no row of its own.
 */
export function pageAckToken(secret: string, notificationId: string): string {
  return createHmac('sha256', secret).update(`ballou page-ack v1:${notificationId}`).digest('base64url');
}

export function checkPageAckToken(secret: string, notificationId: string, token: string): boolean {
  return secret !== '' && constantTimeEqual(token, pageAckToken(secret, notificationId));
}

export function providerSecret(config: Config, provider: TelephonyProvider): string {
  return provider === '46elks' ? config.elks.webhookSecret : config.twilio.authToken;
}

/** `statusCallbackUrl` for an outgoing SMS: delivery reports come back to us. */
export function smsCallbacks(
  ctx: Ctx,
  n: Pick<NotificationRow, 'id'>,
): Pick<SmsRequest, 'statusCallbackUrl'> {
  const urls: Partial<Record<TelephonyProvider, string>> = {};
  if (elksReady(ctx.config))
    urls['46elks'] = elksUrl(ctx.config, WEBHOOK_PATHS.elksDeliveryReport, { n: n.id });
  if (twilioReady(ctx.config)) urls.twilio = twilioUrl(ctx.config, WEBHOOK_PATHS.twilioStatus, { n: n.id });
  return Object.keys(urls).length === 0 ? {} : { statusCallbackUrl: urls };
}

/** The 46elks page recording: the customer's own, else the bundled prompt served by us. */
export function elksPageAudioUrl(config: Config): string | undefined {
  if (config.elks.pageAudioUrl !== '') return config.elks.pageAudioUrl;
  return config.publicUrlConfigured ? bundledPromptUrl(config.publicUrl, 'page') : undefined;
}

/** The 46elks greeting for callers: BALLOU_46ELKS_GREETING_URL, else the bundled prompt served by us. */
export function elksGreetingUrl(config: Config): string | undefined {
  if (config.elks.greetingAudioUrl !== '') return config.elks.greetingAudioUrl;
  return config.publicUrlConfigured ? bundledPromptUrl(config.publicUrl, 'greeting') : undefined;
}

/** "Tack, ärendet är kvitterat." for 46elks. */
export function elksAcknowledgedAudioUrl(config: Config): string | undefined {
  return config.publicUrlConfigured ? bundledPromptUrl(config.publicUrl, 'acknowledged') : undefined;
}

/** The keypress URL of a page call for one provider (`again=1` on the second and last try). */
export function pageAckUrl(
  config: Config,
  provider: TelephonyProvider,
  notificationId: string,
  again = false,
): string {
  const query: Record<string, string> = {
    n: notificationId,
    t: pageAckToken(providerSecret(config, provider), notificationId),
    ...(again ? { again: '1' } : {}),
  };
  return provider === '46elks'
    ? elksUrl(config, WEBHOOK_PATHS.elksPageAck, query)
    : twilioUrl(config, WEBHOOK_PATHS.twilioPageAck, query);
}

/**
 * The request of a call: the text (Twilio says it; with a keypress URL it asks for 1), the recording
 * (46elks), the hang-up report and, for a page to an engineer about an incident, the keypress URL.
 */
export function voiceCallRequest(
  ctx: Ctx,
  n: Pick<NotificationRow, 'id' | 'recipient' | 'body' | 'incident_id' | 'engineer_id'>,
): VoiceCallRequest {
  const { config } = ctx;
  const isPage = n.incident_id !== null && n.engineer_id !== null;
  const status: Partial<Record<TelephonyProvider, string>> = {};
  const ack: Partial<Record<TelephonyProvider, string>> = {};
  if (elksReady(config)) {
    status['46elks'] = elksUrl(config, WEBHOOK_PATHS.elksHangup, { n: n.id });
    if (isPage) ack['46elks'] = pageAckUrl(config, '46elks', n.id);
  }
  if (twilioReady(config)) {
    status.twilio = twilioUrl(config, WEBHOOK_PATHS.twilioStatus, { n: n.id });
    if (isPage) ack.twilio = pageAckUrl(config, 'twilio', n.id);
  }
  const audioUrl = isPage ? elksPageAudioUrl(config) : undefined;
  return {
    to: n.recipient,
    message: ack.twilio === undefined ? n.body : `${n.body} ${PRESS_ONE_PROMPT}`,
    ...(audioUrl === undefined ? {} : { audioUrl }),
    ...(Object.keys(status).length === 0 ? {} : { statusCallbackUrl: status }),
    ...(Object.keys(ack).length === 0 ? {} : { acknowledgeUrl: ack }),
  };
}

/** What the operators should know at start about receipts and voice pages (logged as warnings). */
export function telephonyStartupNotes(config: Config): string[] {
  const notes: string[] = [];
  const elks = isElksConfigured(config.elks);
  const twilio = isTwilioConfigured(config.twilio);
  if (!elks && !twilio) return notes;
  if (!config.publicUrlConfigured) {
    notes.push(
      'BALLOU_PUBLIC_URL is not set: no delivery receipts or keypress acknowledgement are requested' +
        (elks && config.elks.pageAudioUrl === ''
          ? ', and 46elks cannot fetch the page recording, so 46elks pages by SMS only'
          : ''),
    );
  } else if (elks && config.elks.webhookSecret === '') {
    notes.push(
      'BALLOU_46ELKS_WEBHOOK_SECRET is not set: 46elks sends no delivery receipts and page calls cannot be acknowledged by keypress',
    );
  }
  return notes;
}
