import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { escapeText, foldLine, formatUtcDateTime } from './ical-text.js';

const octets = (text: string) => Buffer.byteLength(text, 'utf8');

describe('escapeText', () => {
  it('escapes backslash, semicolon, comma and line breaks, and drops other control characters', () => {
    expect(escapeText('a\\b;c,d\ne\r\nf\rg')).toBe('a\\\\b\\;c\\,d\\ne\\nf\\ng');
    expect(escapeText('tab\tok\u0000\u0007\u007f')).toBe('tab\tok');
    expect(escapeText('Åsa Öberg: jour')).toBe('Åsa Öberg: jour');
  });
});

describe('formatUtcDateTime', () => {
  it('writes UTC with Z and whole seconds', () => {
    expect(formatUtcDateTime(Date.UTC(2026, 11, 24, 9, 0))).toBe('20261224T090000Z');
    expect(formatUtcDateTime(Date.UTC(2026, 2, 29, 1, 2, 3) + 999)).toBe('20260329T010203Z');
    expect(formatUtcDateTime(Date.UTC(1969, 11, 31, 23, 59, 59) + 500)).toBe('19691231T235959Z');
  });
});

describe('foldLine', () => {
  it('leaves a line of 75 octets alone and folds a longer one', () => {
    const line = `SUMMARY:${'x'.repeat(67)}`;
    expect(foldLine(line)).toBe(line);
    expect(foldLine(`${line}y`)).toBe(`${line}\r\n y`);
  });

  it('never splits a multi-byte character: å at the boundary moves to the next line', () => {
    const folded = foldLine(`SUMMARY:${'å'.repeat(40)}`).split('\r\n ');
    expect(folded).toEqual([`SUMMARY:${'å'.repeat(33)}`, 'å'.repeat(7)]);
    expect(octets(folded[0] as string)).toBe(74);
  });

  it('(property) folded lines are at most 75 octets with the leading space, and unfold to the original', () => {
    const arbText = fc.string({
      unit: fc.oneof(
        fc.constantFrom('å', 'ä', 'ö', 'Å', 'Ä', 'Ö', '€', '😀', '𝄞', 'a', ' ', ';'),
        fc.string({ unit: 'grapheme', maxLength: 1 }),
      ),
      maxLength: 300,
    });
    fc.assert(
      fc.property(arbText, (text) => {
        const folded = foldLine(`SUMMARY:${text}`);
        const lines = folded.split('\r\n');
        lines.forEach((line, i) => {
          expect(octets(line)).toBeLessThanOrEqual(75);
          if (i > 0) expect(line.startsWith(' ')).toBe(true);
          // Each physical line is valid UTF-8 by itself: no character cut in two.
          expect(Buffer.from(line, 'utf8').toString('utf8')).toBe(line);
          expect(line).not.toMatch(/[\ud800-\udbff]$/);
        });
        expect(folded.replace(/\r\n /g, '')).toBe(`SUMMARY:${text}`);
      }),
      { numRuns: 500 },
    );
  });
});
