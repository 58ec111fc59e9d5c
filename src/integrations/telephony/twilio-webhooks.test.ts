import { describe, expect, it } from 'vitest';
import {
  parseTwilioDialResult,
  parseTwilioGatherResult,
  parseTwilioIncomingSms,
  parseTwilioMessageStatus,
  parseTwilioVoiceWebhook,
} from './twilio-webhooks.js';
import { WebhookPayloadError } from './webhook-form.js';

describe('parsing Twilio webhooks', () => {
  it('voice: CallSid, AccountSid, From, To and the optional fields', () => {
    expect(
      parseTwilioVoiceWebhook({
        CallSid: 'CA1',
        AccountSid: 'AC1',
        From: '+46701234567',
        To: '+46101234567',
        CallStatus: 'ringing',
        Direction: 'inbound',
        ApiVersion: '2010-04-01',
        FromCity: 'STOCKHOLM',
      }),
    ).toEqual({
      callSid: 'CA1',
      accountSid: 'AC1',
      from: '+46701234567',
      to: '+46101234567',
      callStatus: 'ringing',
      direction: 'inbound',
      forwardedFrom: undefined,
      callerName: undefined,
      parentCallSid: undefined,
    });
  });

  it('names the missing fields', () => {
    expect(() => parseTwilioVoiceWebhook({ CallSid: 'CA1', From: '+4670' })).toThrow(
      new WebhookPayloadError('Twilio voice webhook', ['AccountSid', 'To']),
    );
    expect(() => parseTwilioVoiceWebhook('CallSid=CA1')).toThrow('the body is not a form');
  });

  it('SMS: Swedish body intact, empty body allowed, SmsSid accepted', () => {
    const form = new URLSearchParams(
      'SmsSid=SM1&AccountSid=AC1&From=%2B46701234567&To=%2B46101234567&Body=OK+%C3%A5%C3%A4%C3%B6',
    );
    expect(parseTwilioIncomingSms(form)).toEqual({
      messageSid: 'SM1',
      accountSid: 'AC1',
      from: '+46701234567',
      to: '+46101234567',
      body: 'OK åäö',
    });
    expect(parseTwilioIncomingSms({ MessageSid: 'SM2', AccountSid: 'AC1', From: 'a', To: 'b' }).body).toBe(
      '',
    );
  });

  it('message status, dial result, gather result', () => {
    expect(
      parseTwilioMessageStatus({ MessageSid: 'SM1', MessageStatus: 'undelivered', ErrorCode: '30003' }),
    ).toEqual({
      messageSid: 'SM1',
      messageStatus: 'undelivered',
      errorCode: '30003',
    });
    expect(
      parseTwilioDialResult({ CallSid: 'CA1', DialCallStatus: 'completed', DialCallDuration: '42' }),
    ).toEqual({
      callSid: 'CA1',
      dialCallStatus: 'completed',
      dialCallSid: undefined,
      dialCallDuration: 42,
    });
    expect(parseTwilioGatherResult({ CallSid: 'CA1', Digits: ['1', '2'] })).toEqual({
      callSid: 'CA1',
      digits: '1',
    });
    expect(() => parseTwilioGatherResult({ CallSid: 'CA1' })).toThrow('missing field Digits');
  });
});
