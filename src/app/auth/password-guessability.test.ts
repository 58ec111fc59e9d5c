import { describe, expect, it } from 'vitest';
import { isEasilyGuessed } from './password-guessability.js';

describe('isEasilyGuessed: common passwords and patterns of 12+ characters', () => {
  it('refuses known passwords, keyboard rows, repetitions and sequences', () => {
    for (const password of [
      'password1234',
      '123456789012',
      'qwertyuiopasdf',
      '1q2w3e4r5t6y',
      'aaaaaaaaaaaa',
      'trustno1trustno1',
      'iloveyou1234',
      'Password1234!',
    ])
      expect(isEasilyGuessed(password), password).toBe(true);
  });

  it('accepts long passphrases, in Swedish too', () => {
    for (const password of [
      'korrekt häst batteri häftklammer',
      'en helt annan lång fras 42',
      'whatever-password-1',
      'Sju sjösjuka sjömän 1972',
    ])
      expect(isEasilyGuessed(password), password).toBe(false);
  });

  it("counts the account's and the service's own words as guessable", () => {
    expect(isEasilyGuessed('ballou123456')).toBe(false);
    expect(isEasilyGuessed('ballou123456', ['ballou', 'jour'])).toBe(true);
  });
});
