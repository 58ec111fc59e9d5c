/**
 * Ports for everything that leaves the building as a message: SMS, phone calls, e-mail and web push.
 * Use cases depend on these interfaces only; the adapters in telephony/, email/ and push/ speak the
 * providers' protocols.
 */

/** The telephony providers we have adapters for. */
export type TelephonyProvider = '46elks' | 'twilio';

/**
 * A webhook URL for the provider to call back, or one per provider: each provider authenticates its
 * webhooks its own way (46elks Basic credentials in the URL, Twilio a signature), and with a fallback
 * provider the same request may go to either.
 */
export type CallbackUrl = string | Partial<Record<TelephonyProvider, string>>;

/** The URL a provider should call back, or undefined when there is none for it. */
export function callbackUrlFor(
  url: CallbackUrl | undefined,
  provider: TelephonyProvider,
): string | undefined {
  return typeof url === 'string' ? url : url?.[provider];
}

export interface SmsRequest {
  /** E.164, e.g. `+46701234567`. */
  to: string;
  /** UTF-8 text; the provider splits it into parts. */
  message: string;
  /** Delivery reports are POSTed here (46elks `whendelivered`, Twilio `StatusCallback`). */
  statusCallbackUrl?: CallbackUrl;
}

export interface SmsReceipt {
  provider: TelephonyProvider;
  /** 46elks `id` (`s…`), Twilio `sid` (`SM…`). */
  providerMessageId: string;
}

export interface SmsSender {
  send(request: SmsRequest): Promise<SmsReceipt>;
}

export interface VoiceCallRequest {
  /** E.164, e.g. `+46701234567`. */
  to: string;
  /**
   * The Swedish text the callee hears. Twilio speaks it (`<Say language="sv-SE">`); 46elks has no Swedish
   * text-to-speech (its TTS beta is English only), so the 46elks adapter needs `audioUrl` as well.
   */
  message: string;
  /** A recording of `message` (MP3, WAV or OGG). 46elks fetches and caches it: make the URL unique. */
  audioUrl?: string;
  /**
   * When set, the callee is asked for one digit (46elks `ivr`, Twilio `<Gather>`) and the result is POSTed
   * here (46elks `result`, Twilio `Digits`).
   */
  acknowledgeUrl?: CallbackUrl;
  /** Called when the call ends (46elks `whenhangup`, Twilio `StatusCallback`). */
  statusCallbackUrl?: CallbackUrl;
  /** Seconds to let the phone ring before giving up (46elks `timeout`, Twilio `Timeout`). */
  ringTimeoutSeconds?: number;
}

export interface VoiceCallReceipt {
  provider: TelephonyProvider;
  /** 46elks call `id` (`c…`), Twilio `sid` (`CA…`). */
  providerCallId: string;
}

export interface VoiceCaller {
  call(request: VoiceCallRequest): Promise<VoiceCallReceipt>;
}

export interface EmailRequest {
  to: string | string[];
  /** Alert-derived text is fine: CR/LF and other control characters are replaced before sending. */
  subject: string;
  text: string;
  html?: string;
}

export interface EmailReceipt {
  /** The Message-ID header value of the sent message. */
  providerMessageId: string;
}

export interface EmailSender {
  send(request: EmailRequest): Promise<EmailReceipt>;
  /** Releases connections; sending afterwards is an error. */
  close?(): Promise<void>;
}

/** A browser's push subscription (the `PushSubscription.toJSON()` a browser hands out). */
export interface PushSubscriptionTarget {
  /** The push service's URL for this browser (https). */
  endpoint: string;
  keys: {
    /** The browser's P-256 public key, base64url (65 bytes uncompressed). */
    p256dh: string;
    /** The browser's 16-byte auth secret, base64url. */
    auth: string;
  };
}

export type PushUrgency = 'very-low' | 'low' | 'normal' | 'high';

export interface PushRequest {
  subscription: PushSubscriptionTarget;
  /** The text the service worker receives (we send JSON); encrypted aes128gcm for the browser only. */
  payload: string;
  /** How long the push service keeps the message for a device that is offline. */
  ttlSeconds: number;
  urgency: PushUrgency;
  /** A newer message with the same topic replaces an undelivered older one (≤ 32 URL-safe characters). */
  topic?: string;
}

export interface PushReceipt {
  provider: 'web-push';
  /** The push service's `Location` for the message, or '' when it sent none. */
  providerMessageId: string;
}

export interface PushSender {
  /** The VAPID public key (base64url) browsers must subscribe with (`applicationServerKey`). */
  readonly vapidPublicKey: string;
  send(request: PushRequest): Promise<PushReceipt>;
}

/**
 * Why a delivery failed: `NETWORK` (no answer, connection refused), `TIMEOUT`, `HTTP` (the provider
 * answered with an error status; see `status`), `SMTP` (the mail server refused; see `status`),
 * `BAD_RESPONSE` (a success status with an answer we cannot read — the message may have gone out),
 * `INVALID_INPUT` (refused before contacting the provider), `UNSUPPORTED` (this provider cannot do what
 * was asked), `NOT_CONFIGURED`, `SUBSCRIPTION_GONE` (a push service answered 404/410: the browser's
 * subscription has expired or been withdrawn and must be forgotten).
 */
export type DeliveryErrorCode =
  | 'NETWORK'
  | 'TIMEOUT'
  | 'HTTP'
  | 'SMTP'
  | 'BAD_RESPONSE'
  | 'INVALID_INPUT'
  | 'UNSUPPORTED'
  | 'NOT_CONFIGURED'
  | 'SUBSCRIPTION_GONE';

export interface DeliveryErrorOptions {
  provider: string;
  code: DeliveryErrorCode;
  retryable: boolean;
  /** HTTP status or SMTP reply code, when the provider answered. */
  status?: number;
  /** From a `Retry-After` header, when the provider sent one. */
  retryAfterSeconds?: number;
  /** Earlier failures, e.g. of the primary provider when a fallback failed too. */
  causes?: DeliveryError[];
}

/**
 * A message could not be handed to a provider. `retryable` says whether the same request may succeed
 * later (network errors, timeouts, 5xx, 429, SMTP 4xx) or never will (bad number, bad credentials).
 * The message is safe to log: it never contains credentials.
 */
export class DeliveryError extends Error {
  readonly provider: string;
  readonly code: DeliveryErrorCode;
  readonly retryable: boolean;
  readonly status: number | undefined;
  readonly retryAfterSeconds: number | undefined;
  readonly causes: DeliveryError[];

  constructor(message: string, options: DeliveryErrorOptions) {
    super(message);
    this.name = 'DeliveryError';
    this.provider = options.provider;
    this.code = options.code;
    this.retryable = options.retryable;
    this.status = options.status;
    this.retryAfterSeconds = options.retryAfterSeconds;
    this.causes = options.causes ?? [];
  }
}

export function isDeliveryError(error: unknown): error is DeliveryError {
  return error instanceof DeliveryError;
}
