import { describe, expect, it } from 'vitest';
import { safeAddress, safeHeaderText } from './header-safety.js';

describe('safeHeaderText', () => {
  it('collapses CR, LF, tabs, NUL, C1 controls and Unicode line separators to single spaces', () => {
    expect(safeHeaderText('a\r\nBcc: x@y.se')).toBe('a Bcc: x@y.se');
    expect(safeHeaderText('a\rb\nc\td\u0000e\u0085f\u2028g\u2029h')).toBe('a b c d e f g h');
    expect(safeHeaderText('  \r\n  trimmed  \n')).toBe('trimmed');
  });

  it('keeps Swedish and other printable text', () => {
    expect(safeHeaderText('Larm: ÅÄÖ åäö – “citat” €')).toBe('Larm: ÅÄÖ åäö – “citat” €');
  });

  it('cuts long text with an ellipsis, never splitting a character', () => {
    const cut = safeHeaderText('å'.repeat(300), 10);
    expect(cut).toBe(`${'å'.repeat(9)}…`);
    expect(safeHeaderText('😀'.repeat(20), 5)).toBe(`${'😀'.repeat(4)}…`);
  });
});

describe('safeAddress', () => {
  it('accepts plain addresses, refuses anything that could add headers or recipients', () => {
    expect(safeAddress(' jour@kund.se ')).toBe('jour@kund.se');
    expect(safeAddress('åsa@exempel.se')).toBe('åsa@exempel.se');
    for (const bad of [
      'a@b.se\r\nBcc: c@d.se',
      'a@b.se,c@d.se',
      'a@b.se;c@d.se',
      'A <a@b.se>',
      'a b@c.se',
      'nope',
      'a@b',
    ])
      expect(safeAddress(bad)).toBeUndefined();
  });
});
