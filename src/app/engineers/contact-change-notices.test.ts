import { describe, expect, it } from 'vitest';
import { contactChangeNotices, maskEmail, maskPhone } from './contact-change-notices.js';

const elin = { id: 'e1', name: 'Elin', phone: '+46701110001', email: 'elin@ballou.example' };

describe('contact change notices', () => {
  it('masks a number to its country code and last three digits, an address to its first letter and domain', () => {
    expect(maskPhone('+46701234567')).toBe('+46…567');
    expect(maskPhone('123')).toBe('…');
    expect(maskEmail('elin@ballou.example')).toBe('e…@ballou.example');
    expect(maskEmail('no-at-sign')).toBe('…');
  });

  it('a new phone: the old number (not tied to the engineer), the new one (tied) and the e-mail', () => {
    const notices = contactChangeNotices(elin, { ...elin, phone: '+46702220002' }, 'Maja');
    expect(notices.map((n) => [n.channel, n.to, n.engineerId ?? null])).toEqual([
      ['sms', '+46701110001', null],
      ['sms', '+46702220002', 'e1'],
      ['email', 'elin@ballou.example', 'e1'],
    ]);
    expect(JSON.stringify(notices)).toContain('ändrat av Maja');
  });

  it('a new e-mail address: both addresses; nothing changed: nothing', () => {
    const notices = contactChangeNotices(elin, { ...elin, email: 'elin.ek@ballou.example' }, 'Maja');
    expect(notices.map((n) => n.to)).toEqual(['elin.ek@ballou.example', 'elin@ballou.example']);
    expect(notices[0]?.body).not.toMatch(/\n\n\n/);
    expect(contactChangeNotices(elin, { ...elin, name: 'Elin Ek' }, 'Maja')).toEqual([]);
  });
});
