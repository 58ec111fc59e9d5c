import { describe, expect, it } from 'vitest';
import { deliveryAdvances, deliveryFailed, deliveryStateOf, DELIVERY_STATES } from './delivery.js';

describe('delivery states from provider reports', () => {
  it('reads 46elks and Twilio SMS statuses', () => {
    expect(deliveryStateOf('sms', 'sent')).toBe('sent');
    expect(deliveryStateOf('sms', 'delivered')).toBe('delivered');
    expect(deliveryStateOf('sms', 'failed')).toBe('failed');
    expect(deliveryStateOf('sms', 'undelivered')).toBe('failed');
    expect(deliveryStateOf('sms', 'queued')).toBeNull();
    expect(deliveryStateOf('sms', 'Delivered ')).toBe('delivered');
  });

  it('reads 46elks call states and Twilio CallStatus', () => {
    expect(deliveryStateOf('voice', 'success')).toBe('answered');
    expect(deliveryStateOf('voice', 'completed')).toBe('answered');
    expect(deliveryStateOf('voice', 'busy')).toBe('busy');
    expect(deliveryStateOf('voice', 'no-answer')).toBe('no-answer');
    expect(deliveryStateOf('voice', 'canceled')).toBe('no-answer');
    expect(deliveryStateOf('voice', 'failed')).toBe('failed');
    expect(deliveryStateOf('voice', 'ringing')).toBeNull();
    expect(deliveryStateOf('voice', 'in-progress')).toBeNull();
  });

  it('only moves forward: sent never replaces delivered or failed, a failure never replaces delivered', () => {
    expect(deliveryAdvances(null, 'sent')).toBe(true);
    expect(deliveryAdvances('sent', 'delivered')).toBe(true);
    expect(deliveryAdvances('delivered', 'sent')).toBe(false);
    expect(deliveryAdvances('failed', 'sent')).toBe(false);
    expect(deliveryAdvances('delivered', 'failed')).toBe(false);
    expect(deliveryAdvances('failed', 'delivered')).toBe(true);
    expect(deliveryAdvances('answered', 'no-answer')).toBe(false);
    for (const state of DELIVERY_STATES) expect(deliveryAdvances(state, state)).toBe(false);
  });

  it('failures are what trigger a fallback', () => {
    expect(DELIVERY_STATES.filter(deliveryFailed)).toEqual(['failed', 'no-answer', 'busy']);
  });
});
