import {
  isValidOrgNumber,
  isValidVatNumber,
  normaliseOrgNumber,
} from '../../domain/customers/organisation-number.js';
import { DomainError, type FieldError } from '../../domain/shared/domain-error.js';
import { tryParseLocalDate } from '../../domain/calendar/local-date.js';

/**
 * Checks that go beyond the JSON schema (which already guarantees types and required fields): real
 * dates, a Luhn-valid organisation number, a well-formed VAT number. Collects every problem at once.
 */
export function checkCustomerFields(input: {
  orgNumber?: string;
  vatNumber?: string | null;
  agreementStart?: string;
  agreementEnd?: string | null;
}): { orgNumber?: string } {
  const errors: FieldError[] = [];
  let orgNumber: string | undefined;
  if (input.orgNumber !== undefined) {
    orgNumber = normaliseOrgNumber(input.orgNumber);
    if (!orgNumber || !isValidOrgNumber(orgNumber)) {
      errors.push({
        path: '/orgNumber',
        message: 'must be a Swedish organisation number NNNNNN-NNNN with a valid check digit',
      });
    }
  }
  if (input.vatNumber && !isValidVatNumber(input.vatNumber)) {
    errors.push({ path: '/vatNumber', message: 'must be a VAT number such as SE556036079301' });
  }
  if (input.agreementStart !== undefined && tryParseLocalDate(input.agreementStart) === null) {
    errors.push({ path: '/agreementStart', message: 'must be a date YYYY-MM-DD' });
  }
  if (input.agreementEnd) {
    if (tryParseLocalDate(input.agreementEnd) === null)
      errors.push({ path: '/agreementEnd', message: 'must be a date YYYY-MM-DD' });
    else if (input.agreementStart && input.agreementEnd < input.agreementStart) {
      errors.push({ path: '/agreementEnd', message: 'must not be before agreementStart' });
    }
  }
  if (errors.length > 0) {
    throw new DomainError(
      'VALIDATION_FAILED',
      errors.map((e) => `${e.path}: ${e.message}`).join('; '),
      errors,
    );
  }
  return orgNumber === undefined ? {} : { orgNumber };
}

export interface AddressInput {
  street?: string;
  postalCode?: string;
  city?: string;
  country?: string;
}

/** The address columns of a customer row (all null when the address is removed). */
export function addressColumns(address: AddressInput | null | undefined): {
  address_street: string | null;
  address_postal_code: string | null;
  address_city: string | null;
  address_country: string | null;
} {
  return {
    address_street: address?.street ?? null,
    address_postal_code: address?.postalCode ?? null,
    address_city: address?.city ?? null,
    address_country: address?.country ?? null,
  };
}

/** A VAT number as stored: no spaces, upper case; null when empty. */
export function normaliseVatNumber(vat: string | null | undefined): string | null {
  return vat?.replace(/\s/g, '').toUpperCase() || null;
}
