import { describe, expect, it } from 'vitest';
import { openSecret, sealSecret } from './secret-box.js';

const KEY = '0f'.repeat(32);
const SECRET = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';

describe('sealed TOTP secrets', () => {
  it('round-trips under the key and never shows the secret in the stored text', () => {
    const sealed = sealSecret(KEY, SECRET);
    expect(sealed).toMatch(/^gcm1:/);
    expect(sealed).not.toContain(SECRET);
    expect(sealSecret(KEY, SECRET)).not.toBe(sealed); // a fresh IV each time
    expect(openSecret(KEY, sealed)).toBe(SECRET);
  });

  it('accepts the key as base64 as well as hex', () => {
    const base64 = Buffer.from(KEY, 'hex').toString('base64');
    expect(openSecret(base64, sealSecret(KEY, SECRET))).toBe(SECRET);
  });

  it('refuses a wrong key, a tampered value and a missing key', () => {
    const sealed = sealSecret(KEY, SECRET);
    expect(() => openSecret('1e'.repeat(32), sealed)).toThrow();
    const [prefix, rest] = [sealed.slice(0, 5), sealed.slice(5)];
    const parts = rest.split('.');
    parts[2] = Buffer.from('x'.repeat(32)).toString('base64url');
    expect(() => openSecret(KEY, `${prefix}${parts.join('.')}`)).toThrow();
    expect(() => openSecret('', sealed)).toThrow(/BALLOU_TOTP_KEY/);
  });

  it('stores unsealed, and says so, when no key is configured', () => {
    expect(sealSecret('', SECRET)).toBe(`plain:${SECRET}`);
    expect(openSecret(KEY, `plain:${SECRET}`)).toBe(SECRET);
  });
});
