import { describe, expect, it } from 'vitest';
import { problemMessageIn } from './problem-messages';
import { serverMessageLiterals } from '../../../test/support/server-message-literals';

/** Every `new DomainError('CODE', '…'` literal message. */
const domainErrorMessages = () => serverMessageLiterals(/DomainError\(\s*'[A-Z_]+',\s*'((?:[^'\\]|\\.)+)'/g);

describe('problem messages in Swedish', () => {
  it('has Swedish for every literal message a DomainError can carry', () => {
    const messages = domainErrorMessages();
    expect(messages.length).toBeGreaterThan(60);
    expect(messages.filter((m) => problemMessageIn('sv', m) === m)).toEqual([]);
  });

  it('translates messages with values, and a "path: message" as a field message', () => {
    expect(problemMessageIn('sv', 'an engineer with e-mail a@b.se already exists')).toBe(
      'en tekniker med e-postadressen a@b.se finns redan',
    );
    expect(problemMessageIn('sv', '/reportedAt: lies in the future')).toBe('/reportedAt: ligger i framtiden');
    expect(problemMessageIn('sv', 'password must be at least 12 characters')).toBe(
      'lösenordet måste ha minst 12 tecken',
    );
    expect(problemMessageIn('sv', 'no service-level terms for tier none cover 0001-01-01')).toBe(
      'inga servicenivåvillkor för nivån none gäller 0001-01-01',
    );
  });

  it('leaves English, and what it does not know, as the server sent it', () => {
    expect(problemMessageIn('en', 'incident not found')).toBe('incident not found');
    expect(problemMessageIn('sv', 'Something entirely new.')).toBe('Something entirely new.');
  });
});
