/**
 * The one error type the domain and the use cases throw. `code` is from a closed set so every
 * edge (HTTP, CLI) can map it without parsing messages; `message` is safe to show to the user.
 */
export const ERROR_CODES = [
  'VALIDATION_FAILED',
  'NOT_FOUND',
  'CUSTOMER_NOT_FOUND',
  'SERVER_NOT_FOUND',
  'ENGINEER_NOT_FOUND',
  'CONTACT_NOT_FOUND',
  'TOKEN_NOT_FOUND',
  'USER_NOT_FOUND',
  'CONFLICT',
  'DUPLICATE',
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'CSRF_FAILED',
  'INVALID_TIME',
  'AMBIGUOUS_LOCAL_TIME',
  'NONEXISTENT_LOCAL_TIME',
  'TRANSITION_NOT_ALLOWED',
  'INTERNAL',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

export interface FieldError {
  /** JSON pointer-ish path of the offending field, e.g. `/work/0/end`. */
  path: string;
  message: string;
}

export class DomainError extends Error {
  readonly code: ErrorCode;
  readonly errors: FieldError[];

  constructor(code: ErrorCode, message: string, errors: FieldError[] = []) {
    super(message);
    this.name = 'DomainError';
    this.code = code;
    this.errors = errors;
  }
}

/** Throws a VALIDATION_FAILED DomainError naming one field. */
export function invalidField(path: string, message: string): never {
  throw new DomainError('VALIDATION_FAILED', `${path}: ${message}`, [{ path, message }]);
}
