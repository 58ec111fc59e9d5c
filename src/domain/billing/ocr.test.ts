import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hasValidLuhn, luhnCheckDigit, ocrReference } from './ocr.js';

describe('OCR references with a Luhn check digit', () => {
  it('computes the Luhn digit of known numbers', () => {
    expect(luhnCheckDigit('7992739871')).toBe(3);
    // A Swedish personnummer's control digit is the same algorithm: 811218-987(6).
    expect(luhnCheckDigit('811218987')).toBe(6);
  });

  it('adds a length digit and a check digit to the invoice number', () => {
    expect(ocrReference('17')).toBe('1743');
    expect(ocrReference('1')).toBe('133');
    expect(ocrReference('123456789')).toMatch(/^1234567891\d$/);
    expect(() => ocrReference('')).toThrow(/digits/);
  });

  it('every reference passes the check and a single changed digit fails it', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 1e12 }),
        fc.nat(),
        fc.integer({ min: 1, max: 9 }),
        (n, pos, delta) => {
          const ocr = ocrReference(String(n));
          expect(hasValidLuhn(ocr)).toBe(true);
          expect(Number(ocr.at(-2))).toBe(ocr.length % 10);
          const i = pos % ocr.length;
          const changed = `${ocr.slice(0, i)}${(Number(ocr[i]) + delta) % 10}${ocr.slice(i + 1)}`;
          expect(hasValidLuhn(changed)).toBe(false);
        },
      ),
    );
  });
});
