import { constraintViolation } from '../db/errors.js';
import { DomainError } from '../domain/shared/domain-error.js';

/** Turns errors from below the use cases into DomainErrors where they mean something to the user. */
export function toDomainError(error: unknown): DomainError | undefined {
  if (error instanceof DomainError) return error;
  switch (constraintViolation(error)) {
    case 'unique':
      return new DomainError(
        'DUPLICATE',
        'this already exists (it was created at the same moment by another request)',
      );
    case 'foreign_key':
      return new DomainError('CONFLICT', 'this refers to something that does not exist or is still in use');
    case 'check':
      return new DomainError('VALIDATION_FAILED', 'a value is outside what is allowed');
    default:
      return undefined;
  }
}
