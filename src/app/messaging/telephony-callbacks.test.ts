import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../config/config.js';
import {
  checkPageAckToken,
  pageAckToken,
  smsCallbacks,
  telephonyStartupNotes,
  voiceCallRequest,
} from './telephony-callbacks.js';

const providers = {
  BALLOU_46ELKS_USERNAME: 'u',
  BALLOU_46ELKS_PASSWORD: 'p',
  BALLOU_46ELKS_FROM: '+46766860000',
  BALLOU_46ELKS_WEBHOOK_SECRET: 'hemligt',
  BALLOU_TWILIO_ACCOUNT_SID: 'AC123',
  BALLOU_TWILIO_AUTH_TOKEN: 'token',
  BALLOU_TWILIO_FROM: '+46766860001',
};
const page = {
  id: 'n-1',
  recipient: '+46709000001',
  body: 'Ballou jour. Nytt ärende INC-2026-00001.',
  incident_id: 'i-1',
  engineer_id: 'e-1',
};

describe('callback URLs of outgoing SMS and page calls', () => {
  it('gives each provider its own URL: 46elks with Basic credentials, Twilio under the public URL', () => {
    const config = loadConfig({ ...providers, BALLOU_PUBLIC_URL: 'https://desk.example' });
    expect(smsCallbacks({ config }, { id: 'n-1' })).toEqual({
      statusCallbackUrl: {
        '46elks': 'https://46elks:hemligt@desk.example/api/v1/webhooks/46elks/dlr?n=n-1',
        twilio: 'https://desk.example/api/v1/webhooks/twilio/status?n=n-1',
      },
    });
    const call = voiceCallRequest({ config }, page);
    expect(call.message).toBe('Ballou jour. Nytt ärende INC-2026-00001. Tryck 1 för att kvittera.');
    expect(call.audioUrl).toMatch(/^https:\/\/desk\.example\/audio\/sv\/page-[0-9a-f]{12}\.wav$/);
    expect(call.statusCallbackUrl).toEqual({
      '46elks': 'https://46elks:hemligt@desk.example/api/v1/webhooks/46elks/hangup?n=n-1',
      twilio: 'https://desk.example/api/v1/webhooks/twilio/status?n=n-1',
    });
    const ack = call.acknowledgeUrl as Record<string, string>;
    expect(new URL(ack['46elks']!).searchParams.get('t')).toBe(pageAckToken('hemligt', 'n-1'));
    expect(new URL(ack.twilio!).searchParams.get('t')).toBe(pageAckToken('token', 'n-1'));
  });

  it('asks for nothing without BALLOU_PUBLIC_URL, and 46elks then has no recording (pages by SMS)', () => {
    const config = loadConfig(providers);
    expect(smsCallbacks({ config }, { id: 'n-1' })).toEqual({});
    expect(voiceCallRequest({ config }, page)).toEqual({ to: page.recipient, message: page.body });
    expect(telephonyStartupNotes(config).join()).toContain('46elks pages by SMS only');
  });

  it('a customer recording replaces the bundled one', () => {
    const config = loadConfig({
      ...providers,
      BALLOU_PUBLIC_URL: 'https://desk.example',
      BALLOU_46ELKS_PAGE_AUDIO_URL: 'https://cdn.example/larm-v2.mp3',
    });
    expect(voiceCallRequest({ config }, page).audioUrl).toBe('https://cdn.example/larm-v2.mp3');
  });

  it('the keypress token is bound to the notification and the secret', () => {
    const token = pageAckToken('hemligt', 'n-1');
    expect(checkPageAckToken('hemligt', 'n-1', token)).toBe(true);
    expect(checkPageAckToken('hemligt', 'n-2', token)).toBe(false);
    expect(checkPageAckToken('annat', 'n-1', token)).toBe(false);
    expect(checkPageAckToken('', 'n-1', pageAckToken('', 'n-1'))).toBe(false);
  });
});
