import { DeliveryError, type SmsSender, type VoiceCaller } from '../messaging.js';
import { HangBreaker, type BreakerDecision, type HangBreakerOptions } from './hang-breaker.js';

export interface FallbackOptions {
  /** Told about the primary's failure before the secondary is tried (for logging). */
  onFailover?: (error: DeliveryError) => void;
  /** The primary's name in errors and logs. */
  primaryName?: string;
  /**
   * Skip a primary that keeps timing out and go straight to the secondary for a while (hang-breaker.ts),
   * SMS and calls each on their own. Off when absent.
   */
  hangBreaker?: Omit<HangBreakerOptions, 'onChange'> & {
    onChange?: (
      operation: 'sms' | 'call',
      change: { open: boolean; retryAtMs?: number; timeouts: number },
    ) => void;
  };
}

/**
 * Tries `primary`; on any DeliveryError tries `secondary`. The receipt names the provider that took the
 * message. Other errors (bugs) are not swallowed. When both fail, the error is the secondary's, with the
 * primary's in `causes`; it is retryable if either failure was.
 *
 * With `hangBreaker`, a primary that timed out on its last requests is skipped for a while (the error,
 * should the secondary fail too, says so), so a hanging provider does not cost every page the timeout.
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
  const primaryName = options.primaryName ?? 'primary';
  const breakerFor = (operation: 'sms' | 'call'): HangBreaker | undefined => {
    const settings = options.hangBreaker;
    if (!settings) return undefined;
    const { onChange, ...rest } = settings;
    return new HangBreaker({
      ...rest,
      ...(onChange ? { onChange: (change) => onChange(operation, change) } : {}),
    });
  };
  const attempt = async <T>(
    breaker: HangBreaker | undefined,
    first: () => Promise<T>,
    second: () => Promise<T>,
  ): Promise<T> => {
    const decision: BreakerDecision = breaker?.decide() ?? { attempt: true, probe: false };
    let primaryError: DeliveryError;
    if (decision.attempt) {
      try {
        const result = await first();
        breaker?.record('answered', decision);
        return result;
      } catch (error) {
        breaker?.record(
          error instanceof DeliveryError && error.code === 'TIMEOUT' ? 'timeout' : 'answered',
          decision,
        );
        if (!(error instanceof DeliveryError)) throw error;
        primaryError = error;
      }
      options.onFailover?.(primaryError);
    } else {
      const retryAt = new Date(decision.retryAtMs ?? 0).toISOString();
      primaryError = new DeliveryError(
        `${primaryName} skipped: it did not answer its last requests (tried again from ${retryAt})`,
        { provider: primaryName, code: 'TIMEOUT', retryable: true },
      );
    }
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
  if (send1 !== undefined && send2 !== undefined) {
    const breaker = breakerFor('sms');
    composite.send = (request) =>
      attempt(
        breaker,
        () => send1.call(primary, request),
        () => send2.call(secondary, request),
      );
  }
  if (call1 !== undefined && call2 !== undefined) {
    const breaker = breakerFor('call');
    composite.call = (request) =>
      attempt(
        breaker,
        () => call1.call(primary, request),
        () => call2.call(secondary, request),
      );
  }
  if (composite.send === undefined && composite.call === undefined)
    throw new TypeError('withFallback needs two SMS senders or two voice callers');
  return composite;
}
