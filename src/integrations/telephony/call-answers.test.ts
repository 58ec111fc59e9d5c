import { describe, expect, it } from 'vitest';
import { buildElksConnectAction, buildElksOutgoingCallAction } from './elks-call-actions.js';
import {
  buildTwilioAfterDialTwiml,
  buildTwilioConnectTwiml,
  buildTwilioMessagingTwiml,
  escapeXml,
  type TwilioConnectCallerOptions,
} from './twiml.js';

const XML = '<?xml version="1.0" encoding="UTF-8"?>';

describe('46elks connect action (integrations.md A1 call flow)', () => {
  it('greeting, then connect to the on-call engineer, busy/failed → second number → voicemail', () => {
    const voicemail = {
      record: 'https://desk.example/elks/rec?k=1',
      timelimit: 120,
      next: 'https://desk.example/elks/after-rec?k=1',
    };
    const action = buildElksConnectAction({
      greetingAudioUrl: 'https://desk.example/audio/sv/greeting.mp3',
      primary: '+46701111111',
      secondary: ['+46702222222', '+46703333333'],
      callerId: '+46766860000',
      ringTimeoutSeconds: 25,
      noAnswer: voicemail,
      whenHangupUrl: 'https://desk.example/elks/hangup?k=1',
    });
    const second = {
      connect: '+46702222222,+46703333333',
      callerid: '+46766860000',
      timeout: 25,
      busy: voicemail,
      failed: voicemail,
    };
    expect(action).toEqual({
      play: 'https://desk.example/audio/sv/greeting.mp3',
      skippable: false,
      whenhangup: 'https://desk.example/elks/hangup?k=1',
      next: {
        connect: '+46701111111',
        callerid: '+46766860000',
        timeout: 25,
        busy: second,
        failed: second,
      },
    });
    // What goes on the wire is plain JSON with exactly these keys.
    expect(JSON.parse(JSON.stringify(action))).toEqual(action);
  });

  it('without a greeting recording it connects at once; without a second number the call just ends', () => {
    expect(buildElksConnectAction({ primary: '+46701111111', whenHangupUrl: 'https://h' })).toEqual({
      connect: '+46701111111',
      whenhangup: 'https://h',
    });
  });

  it('refuses numbers that are not E.164', () => {
    expect(() => buildElksConnectAction({ primary: '0701111111' })).toThrow(RangeError);
    expect(() => buildElksConnectAction({ primary: [] })).toThrow(RangeError);
    expect(() => buildElksConnectAction({ primary: '+46701111111', callerId: 'Ballou' })).toThrow(RangeError);
  });

  it('outgoing call: play, or ivr with next = acknowledgeUrl', () => {
    expect(buildElksOutgoingCallAction({ audioUrl: 'https://a/x.mp3' })).toEqual({
      play: 'https://a/x.mp3',
      skippable: false,
    });
    expect(
      buildElksOutgoingCallAction({ audioUrl: 'https://a/x.mp3', acknowledgeUrl: 'https://a/ack' }),
    ).toEqual({ ivr: 'https://a/x.mp3', digits: 1, timeout: 10, repeat: 3, next: 'https://a/ack' });
  });
});

describe('TwiML', () => {
  const plan: TwilioConnectCallerOptions = {
    message: 'Välkommen till Ballous jour. Vi kopplar dig till teknikern.',
    primary: '+46701111111',
    secondary: '+46702222222',
    callerId: '+46101234567',
    ringTimeoutSeconds: 20,
    afterDialUrl: 'https://desk.example/webhooks/twilio/voice/dial?k=a&b=c',
    noAnswerMessage: 'Ingen svarade. Vi ringer upp dig.',
  };

  it('says the Swedish message, then dials the primary with the after-dial callback', () => {
    expect(buildTwilioConnectTwiml(plan)).toBe(
      `${XML}<Response><Say language="sv-SE">Välkommen till Ballous jour. Vi kopplar dig till teknikern.</Say>` +
        '<Dial action="https://desk.example/webhooks/twilio/voice/dial?k=a&amp;b=c&amp;step=primary" method="POST" timeout="20" callerId="+46101234567">' +
        '<Number>+46701111111</Number></Dial></Response>',
    );
  });

  it('after the primary: hang up if answered, else dial the secondary; after that, goodbye', () => {
    expect(buildTwilioAfterDialTwiml(plan, 'primary', 'completed')).toBe(
      `${XML}<Response><Hangup/></Response>`,
    );
    expect(buildTwilioAfterDialTwiml(plan, 'primary', 'no-answer')).toBe(
      `${XML}<Response><Dial action="https://desk.example/webhooks/twilio/voice/dial?k=a&amp;b=c&amp;step=secondary" method="POST" timeout="20" callerId="+46101234567">` +
        '<Number>+46702222222</Number></Dial></Response>',
    );
    expect(buildTwilioAfterDialTwiml(plan, 'secondary', 'busy')).toBe(
      `${XML}<Response><Say language="sv-SE">Ingen svarade. Vi ringer upp dig.</Say><Hangup/></Response>`,
    );
  });

  it('several numbers ring in parallel; a secondary without afterDialUrl is refused', () => {
    const twiml = buildTwilioConnectTwiml({ message: 'Hej', primary: ['+46701111111', '+46702222222'] });
    expect(twiml).toContain('<Dial><Number>+46701111111</Number><Number>+46702222222</Number></Dial>');
    expect(() =>
      buildTwilioConnectTwiml({ message: 'Hej', primary: '+46701111111', secondary: '+46702222222' }),
    ).toThrow(/afterDialUrl/);
  });

  it('escapes text and attributes; drops characters XML cannot carry', () => {
    expect(escapeXml(`<a href="x">R&D's</a>\u0000\u0007ok åäö`)).toBe(
      '&lt;a href=&quot;x&quot;&gt;R&amp;D&apos;s&lt;/a&gt;ok åäö',
    );
    expect(
      buildTwilioConnectTwiml({ message: '</Say><Dial>+1900</Dial>', primary: '+46701111111' }),
    ).toContain('<Say language="sv-SE">&lt;/Say&gt;&lt;Dial&gt;+1900&lt;/Dial&gt;</Say>');
  });

  it('SMS answers: empty, or one reply', () => {
    expect(buildTwilioMessagingTwiml()).toBe(`${XML}<Response/>`);
    expect(buildTwilioMessagingTwiml('Kvitterat: ärende 42 & klart')).toBe(
      `${XML}<Response><Message>Kvitterat: ärende 42 &amp; klart</Message></Response>`,
    );
  });
});
