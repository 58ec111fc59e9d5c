import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { problemMessageIn } from './problem-messages';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

/** Every `new DomainError('CODE', '…'` literal message in the server's sources (not their tests). */
function domainErrorMessages(): string[] {
  const found = new Set<string>();
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts'))
        for (const m of fs
          .readFileSync(full, 'utf8')
          .matchAll(/DomainError\(\s*'[A-Z_]+',\s*'((?:[^'\\]|\\.)+)'/g))
          found.add((m[1] as string).replace(/\\'/g, "'"));
    }
  };
  for (const dir of ['src/app', 'src/server', 'src/domain']) walk(path.join(ROOT, dir));
  return [...found].sort();
}

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
