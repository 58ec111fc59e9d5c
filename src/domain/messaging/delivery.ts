/**
 * What a provider's delivery report or call status says about a message we sent, in our own words, and
 * whether a new report may replace the one we have. Reports arrive late, twice or out of order (46elks
 * and Twilio retry, and send each status separately), so a state only ever moves forward.
 */

/** SMS: `sent` (handed to the network), `delivered`, `failed`. Calls: `answered`, `no-answer`, `busy`, `failed`. */
export const DELIVERY_STATES = ['sent', 'delivered', 'failed', 'answered', 'no-answer', 'busy'] as const;
export type DeliveryState = (typeof DELIVERY_STATES)[number];

export type ReportedChannel = 'sms' | 'voice';

/**
 * Our state for a provider's status word, or null for one that says nothing final or useful
 * (`queued`, `ringing`, `in-progress`, …).
 * @example deliveryStateOf('sms', 'undelivered') // 'failed' (Twilio)
 * @example deliveryStateOf('voice', 'success') // 'answered' (46elks)
 */
export function deliveryStateOf(channel: ReportedChannel, providerStatus: string): DeliveryState | null {
  const status = providerStatus.trim().toLowerCase();
  if (channel === 'sms') {
    if (status === 'sent') return 'sent';
    if (status === 'delivered' || status === 'read') return 'delivered';
    if (status === 'failed' || status === 'undelivered') return 'failed';
    return null;
  }
  // 46elks call states: success, busy, failed; Twilio CallStatus: completed, busy, no-answer, failed, canceled.
  if (status === 'success' || status === 'completed') return 'answered';
  if (status === 'no-answer' || status === 'canceled') return 'no-answer';
  if (status === 'busy') return 'busy';
  if (status === 'failed') return 'failed';
  return null;
}

const RANK: Record<DeliveryState, number> = {
  sent: 1,
  failed: 2,
  'no-answer': 2,
  busy: 2,
  delivered: 3,
  answered: 3,
};

/**
 * True when `next` may replace `current`: it says more. `sent` never replaces `delivered` or `failed`;
 * a failure does not replace `delivered`; a late `delivered` does replace a `failed` (the handset got it
 * after all). The same state again changes nothing.
 */
export function deliveryAdvances(current: DeliveryState | null, next: DeliveryState): boolean {
  return current === null || RANK[next] > RANK[current];
}

/** A state that means the person did not get the message: the fallback (e-mail, …) goes out. */
export function deliveryFailed(state: DeliveryState): boolean {
  return state === 'failed' || state === 'no-answer' || state === 'busy';
}

/** A state worth a line on the incident's timeline (not the intermediate `sent`). */
export function deliveryIsFinal(state: DeliveryState): boolean {
  return state !== 'sent';
}

export function isDeliveryState(value: unknown): value is DeliveryState {
  return typeof value === 'string' && (DELIVERY_STATES as readonly string[]).includes(value);
}
