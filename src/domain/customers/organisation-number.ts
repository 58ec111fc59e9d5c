/**
 * Swedish organisation numbers (organisationsnummer, 10 digits NNNNNN-NNNN) and personal identity
 * numbers of sole traders carry a Luhn check digit; checking it catches most typos before they reach
 * an invoice. VAT numbers are `SE` + the 10 digits + `01`.
 */

/** Normalises "556036-0793" or "5560360793" to "556036-0793"; undefined when not 10 digits. */
export function normaliseOrgNumber(text: string): string | undefined {
  const digits = text.replace(/[\s-]/g, '');
  if (!/^\d{10}$/.test(digits)) return undefined;
  return `${digits.slice(0, 6)}-${digits.slice(6)}`;
}

/**
 * True when the 10-digit number passes the Luhn check.
 * @example isValidOrgNumber('556036-0793') // true (a real AB); '556036-0794' // false
 */
export function isValidOrgNumber(text: string): boolean {
  const normalised = normaliseOrgNumber(text);
  if (!normalised) return false;
  const digits = normalised.replace('-', '');
  let sum = 0;
  for (let i = 0; i < 10; i += 1) {
    let d = Number(digits[i]) * (i % 2 === 0 ? 2 : 1);
    if (d > 9) d -= 9;
    sum += d;
  }
  return sum % 10 === 0;
}

/** The Swedish VAT number of an organisation number: SE + 10 digits + 01. */
export function vatNumberFor(orgNumber: string): string | undefined {
  const normalised = normaliseOrgNumber(orgNumber);
  return normalised ? `SE${normalised.replace('-', '')}01` : undefined;
}

/** True for a plausible EU VAT number (two letters + 2–13 characters); Swedish ones checked fully. */
export function isValidVatNumber(text: string): boolean {
  const compact = text.replace(/\s/g, '').toUpperCase();
  if (compact.startsWith('SE')) {
    const m = /^SE(\d{10})01$/.exec(compact);
    return m !== null && isValidOrgNumber(m[1] as string);
  }
  return /^[A-Z]{2}[0-9A-Z+*]{2,13}$/.test(compact);
}
