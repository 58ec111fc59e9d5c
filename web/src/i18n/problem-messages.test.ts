import { describe, expect, it } from 'vitest';
import { problemMessageIn } from './problem-messages';
import { serverMessageLiterals } from '../../../test/support/server-message-literals';

/** Every `new DomainError('CODE', '…'` literal message. */
const domainErrorMessages = () => serverMessageLiterals(/DomainError\(\s*'[A-Z_]+',\s*'((?:[^'\\]|\\.)+)'/g);

/**
 * Every `new DomainError('CODE', `…`` template message the web app can be shown, its `${…}` parts
 * filled with sample values: a path where the expression names one, a role or a status where it names one, a number
 * where it counts, else a word. Left out: INTERNAL errors (the API answers a generic 500), the CLI's
 * messages (they name its options: `--out: …`), and templates that pass on messages made elsewhere
 * (`${path}: ${message}`, a joined list of them), whose words the literal tests cover.
 */
function templateMessages(): string[] {
  const sample = (expression: string) =>
    /path/i.test(expression)
      ? '/p'
      : /role/i.test(expression)
        ? 'primary'
        : /status/i.test(expression)
          ? 'taken'
          : /length|count|Ms$|^i$/.test(expression)
            ? '2'
            : 'v1';
  return serverMessageLiterals(/DomainError\(\s*'((?!INTERNAL')[A-Z_]+)',\s*`((?:[^`\\]|\\.)+)`/g, 2)
    .filter(
      (template) =>
        !/(^|\s)--\w/.test(template) && // the CLI's
        !/(^|: )\$\{[^}]+\}$/.test(template) && // passes on a message made elsewhere
        !/\$\{[^}]*$/.test(template), // a template inside the template: messages made elsewhere, joined
    )
    .map((template) => template.replace(/\$\{([^}]+)\}/g, (_, expression: string) => sample(expression)));
}

describe('problem messages in Swedish', () => {
  it('has Swedish for every literal message a DomainError can carry', () => {
    const messages = domainErrorMessages();
    expect(messages.length).toBeGreaterThan(60);
    expect(messages.filter((m) => problemMessageIn('sv', m) === m)).toEqual([]);
  });

  it('has Swedish for every message a DomainError builds from a template, with sample values', () => {
    const built = templateMessages();
    expect(built.length).toBeGreaterThan(25);
    expect(built.filter((m) => problemMessageIn('sv', m) === m)).toEqual([]);
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
      'inga servicenivåvillkor för nivån ”Utan avtal” gäller 0001-01-01',
    );
  });

  it('names roles and tiers as the UI does, not by their API codes', () => {
    expect(problemMessageIn('sv', 'this needs one of the roles admin, manager')).toBe(
      'det kräver någon av rollerna administratör, jourplanerare',
    );
    expect(problemMessageIn('sv', 'Sara Berg is secondary during the shift and cannot hold both roles')).toBe(
      'Sara Berg är sekundärjour under passet och kan inte ha båda rollerna',
    );
    expect(problemMessageIn('sv', 'you do not hold the primary role for all of that time')).toBe(
      'du är inte primärjour under hela den tiden',
    );
    expect(problemMessageIn('sv', 'the customer already has tier hog from 2026-01-01')).toBe(
      'kunden har redan servicenivån ”Hög servicenivå” från 2026-01-01',
    );
    expect(
      problemMessageIn(
        'sv',
        "/automatic: only customers of tier hog may authorize automatic actions (this customer's tier is none today)",
      ),
    ).toBe(
      'bara kunder med hög servicenivå kan förhandsgodkänna automatiska åtgärder (kundens nivå: ingen i dag)',
    );
  });

  it('leaves English, and what it does not know, as the server sent it', () => {
    expect(problemMessageIn('en', 'incident not found')).toBe('incident not found');
    expect(problemMessageIn('sv', 'Something entirely new.')).toBe('Something entirely new.');
  });
});
