import { invalidField } from '../shared/domain-error.js';

/**
 * The Luhn (modulus 10) check digit of a digit string, as bankgiro OCR references use it.
 * @example luhnCheckDigit('7992739871') // 3
 */
export function luhnCheckDigit(digits: string): number {
  if (!/^\d+$/.test(digits)) invalidField('/digits', 'must be digits only');
  let sum = 0;
  // From the right, the digit next to the check digit is doubled.
  for (let i = 0; i < digits.length; i++) {
    let d = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 0) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return (10 - (sum % 10)) % 10;
}

/** True when the last digit of `digits` is the Luhn check digit of the rest. */
export function hasValidLuhn(digits: string): boolean {
  return /^\d{2,}$/.test(digits) && luhnCheckDigit(digits.slice(0, -1)) === Number(digits.at(-1));
}

/**
 * The OCR reference of an invoice number for bankgiro payments: the number's digits, a length digit
 * (the whole reference's length mod 10, so a mistyped length is caught: "hård kontroll") and a Luhn
 * check digit over everything before it.
 * @example ocrReference('17') // '1746'
 */
export function ocrReference(invoiceNumber: string): string {
  const digits = invoiceNumber.replace(/\D/g, '');
  if (digits.length === 0 || digits.length > 23)
    invalidField('/number', 'needs 1–23 digits for an OCR reference');
  const withLength = `${digits}${(digits.length + 2) % 10}`;
  return `${withLength}${luhnCheckDigit(withLength)}`;
}
