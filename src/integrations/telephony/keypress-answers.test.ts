import { describe, expect, it } from 'vitest';
import { buildElksKeypressAnswer, buildElksOutgoingCallAction } from './elks-call-actions.js';
import { buildTwilioCallTwiml, buildTwilioKeypressTwiml } from './twiml.js';

const XML = '<?xml version="1.0" encoding="UTF-8"?>';

describe('46elks page call actions', () => {
  it('the page call is an ivr of the recording, one digit, posting to the keypress URL', () => {
    expect(
      buildElksOutgoingCallAction({
        audioUrl: 'https://desk.example/audio/sv/page-0123456789ab.wav',
        acknowledgeUrl: 'https://46elks:s@desk.example/api/v1/webhooks/46elks/page-ack?n=1&t=x',
      }),
    ).toEqual({
      ivr: 'https://desk.example/audio/sv/page-0123456789ab.wav',
      digits: 1,
      timeout: 10,
      repeat: 3,
      next: 'https://46elks:s@desk.example/api/v1/webhooks/46elks/page-ack?n=1&t=x',
    });
  });

  it('answers a keypress: confirmation, one more question, or the end', () => {
    expect(
      buildElksKeypressAnswer({ outcome: 'acknowledged', confirmationAudioUrl: 'https://d/a/ack-1.wav' }),
    ).toEqual({ play: 'https://d/a/ack-1.wav', skippable: false });
    expect(buildElksKeypressAnswer({ outcome: 'acknowledged' })).toEqual({ hangup: 'reject' });
    expect(
      buildElksKeypressAnswer({
        outcome: 'again',
        promptAudioUrl: 'https://d/p.wav',
        acknowledgeUrl: 'https://d/k?again=1',
      }),
    ).toEqual({ ivr: 'https://d/p.wav', digits: 1, timeout: 10, repeat: 1, next: 'https://d/k?again=1' });
    expect(buildElksKeypressAnswer({ outcome: 'end' })).toEqual({ hangup: 'reject' });
  });
});

describe('Twilio page call TwiML', () => {
  it('says the page in Swedish inside a one-digit <Gather>, twice, with the action URL escaped', () => {
    const twiml = buildTwilioCallTwiml({
      message: 'Nytt ärende INC-2026-00001. Tryck 1 för att kvittera.',
      acknowledgeUrl: 'https://desk.example/api/v1/webhooks/twilio/page-ack?n=1&t=x',
    });
    const gather =
      '<Gather input="dtmf" numDigits="1" timeout="10" action="https://desk.example/api/v1/webhooks/twilio/page-ack?n=1&amp;t=x" method="POST">' +
      '<Say language="sv-SE">Nytt ärende INC-2026-00001. Tryck 1 för att kvittera.</Say></Gather>';
    expect(twiml).toBe(`${XML}<Response>${gather}${gather}</Response>`);
  });

  it('answers a keypress: confirmation and hang-up, one more question, or hang-up', () => {
    expect(
      buildTwilioKeypressTwiml({ outcome: 'acknowledged', confirmation: 'Tack, ärendet är kvitterat.' }),
    ).toBe(`${XML}<Response><Say language="sv-SE">Tack, ärendet är kvitterat.</Say><Hangup/></Response>`);
    expect(
      buildTwilioKeypressTwiml({
        outcome: 'again',
        prompt: 'Tryck 1 för att kvittera.',
        acknowledgeUrl: 'https://d/k?n=1&again=1',
        language: 'sv-SE',
      }),
    ).toBe(
      `${XML}<Response><Gather input="dtmf" numDigits="1" timeout="10" action="https://d/k?n=1&amp;again=1" method="POST">` +
        '<Say language="sv-SE">Tryck 1 för att kvittera.</Say></Gather><Hangup/></Response>',
    );
    expect(buildTwilioKeypressTwiml({ outcome: 'end' })).toBe(`${XML}<Response><Hangup/></Response>`);
  });
});
