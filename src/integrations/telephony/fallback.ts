import { DeliveryError, type SmsSender, type VoiceCaller } from '../messaging.js';

export interface FallbackOptions {
  /** Told about the primary's failure before the secondary is tried (for logging). */
  onFailover?: (error: DeliveryError) => void;
}

/**
 * Tries `primary`; on any DeliveryError tries `secondary`. The receipt names the provider that took the
 * message. Other errors (bugs) are not swallowed. When both fail, the error is the secondary's, with the
 * primary's in `causes`; it is retryable if either failure was.
 *
 * Note: a primary that timed out may still have sent the message, so a failover can page twice — on
 * purpose: a duplicate page is better than a missed one.
 */
export function withFallback(
  primary: SmsSender & VoiceCaller,
  secondary: SmsSender & VoiceCaller,
  options?: FallbackOptions,
): SmsSender & VoiceCaller;
export function withFallback(primary: SmsSender, secondary: SmsSender, options?: FallbackOptions): SmsSender;
export function withFallback(
  primary: VoiceCaller,
  secondary: VoiceCaller,
  options?: FallbackOptions,
): VoiceCaller;
export function withFallback(
  primary: Partial<SmsSender & VoiceCaller>,
  secondary: Partial<SmsSender & VoiceCaller>,
  options: FallbackOptions = {},
): Partial<SmsSender & VoiceCaller> {
  const attempt = async <T>(first: () => Promise<T>, second: () => Promise<T>): Promise<T> => {
    let primaryError: DeliveryError;
    try {
      return await first();
    } catch (error) {
      if (!(error instanceof DeliveryError)) throw error;
      primaryError = error;
    }
    options.onFailover?.(primaryError);
    try {
      return await second();
    } catch (error) {
      if (!(error instanceof DeliveryError)) throw error;
      throw new DeliveryError(`${primaryError.message}; fallback: ${error.message}`, {
        provider: error.provider,
        code: error.code,
        retryable: error.retryable || primaryError.retryable,
        ...(error.status === undefined ? {} : { status: error.status }),
        ...(error.retryAfterSeconds === undefined ? {} : { retryAfterSeconds: error.retryAfterSeconds }),
        causes: [primaryError, ...error.causes],
      });
    }
  };

  const composite: Partial<SmsSender & VoiceCaller> = {};
  const { send: send1, call: call1 } = primary;
  const { send: send2, call: call2 } = secondary;
  if (send1 !== undefined && send2 !== undefined)
    composite.send = (request) =>
      attempt(
        () => send1.call(primary, request),
        () => send2.call(secondary, request),
      );
  if (call1 !== undefined && call2 !== undefined)
    composite.call = (request) =>
      attempt(
        () => call1.call(primary, request),
        () => call2.call(secondary, request),
      );
  if (composite.send === undefined && composite.call === undefined)
    throw new TypeError('withFallback needs two SMS senders or two voice callers');
  return composite;
}
