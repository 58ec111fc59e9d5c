import { describe, expect, it } from 'vitest';
import {
  isValidOrgNumber,
  isValidVatNumber,
  normaliseOrgNumber,
  vatNumberFor,
} from './organisation-number.js';

describe('organisation numbers', () => {
  it('accepts real numbers with or without the hyphen and refuses typos', () => {
    expect(isValidOrgNumber('556036-0793')).toBe(true);
    expect(isValidOrgNumber('5560360793')).toBe(true);
    expect(isValidOrgNumber('556036-0794')).toBe(false);
    expect(isValidOrgNumber('55603-0793')).toBe(false);
    expect(normaliseOrgNumber('556036 0793')).toBe('556036-0793');
  });
  it('derives and checks Swedish VAT numbers', () => {
    expect(vatNumberFor('556036-0793')).toBe('SE556036079301');
    expect(isValidVatNumber('SE556036079301')).toBe(true);
    expect(isValidVatNumber('SE556036079401')).toBe(false);
    expect(isValidVatNumber('DK12345678')).toBe(true);
    expect(isValidVatNumber('12345')).toBe(false);
  });
});
