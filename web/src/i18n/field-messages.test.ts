import { describe, expect, it } from 'vitest';
import { fieldErrorsIn, fieldMessageIn } from './field-messages';
import { serverMessageLiterals } from '../../../test/support/server-message-literals';

/** Every `message: '…'` literal the server can put next to a field. */
const serverFieldMessages = () => serverMessageLiterals(/message: '((?:[^'\\]|\\.)+)'/g);

describe('field messages in Swedish', () => {
  it('has Swedish for every field message the server can send', () => {
    const messages = serverFieldMessages();
    expect(messages.length).toBeGreaterThan(50);
    const untranslated = messages.filter((m) => fieldMessageIn('sv', m) === m);
    expect(untranslated).toEqual([]);
  });

  it("translates Ajv's messages with their values, and the phone pattern in words", () => {
    expect(fieldMessageIn('sv', 'must NOT have fewer than 1 characters')).toBe('får inte vara tomt');
    expect(fieldMessageIn('sv', 'must NOT have more than 200 characters')).toBe('får ha högst 200 tecken');
    expect(fieldMessageIn('sv', 'must match pattern "^\\+[1-9][0-9]{6,14}$"')).toBe(
      'måste vara ett telefonnummer med landsnummer, t.ex. +46701234567',
    );
    expect(fieldMessageIn('sv', 'must match pattern "^[a-z]+$"')).toBe('har fel form');
    expect(fieldMessageIn('sv', 'must be one of "sms", "email"')).toBe('måste vara en av "sms", "email"');
    expect(fieldMessageIn('sv', 'overlaps tariff version 2')).toBe('överlappar taxeversion 2');
    expect(fieldMessageIn('sv', 'must be at least 12 characters')).toBe('måste ha minst 12 tecken');
    expect(fieldMessageIn('sv', 'is already primary during this shift')).toBe(
      'är redan primärjour under passet',
    );
    expect(
      fieldMessageIn(
        'sv',
        'automatic actions are only for customers of tier hog (this incident is tier none)',
      ),
    ).toBe('automatiska åtgärder gäller bara kunder med hög servicenivå (ärendet har ”Utan avtal”)');
  });

  it('leaves English, and messages it does not know, as the server sent them', () => {
    expect(fieldMessageIn('en', 'is not your current password')).toBe('is not your current password');
    expect(fieldMessageIn('sv', 'something new from the server')).toBe('something new from the server');
    expect(fieldErrorsIn('sv', { currentPassword: 'is not your current password', x: 'new' })).toEqual({
      currentPassword: 'är inte ditt nuvarande lösenord',
      x: 'new',
    });
  });
});
