/** Recognises constraint violations of both engines, so a race that slips past a pre-check is a 409, not a 500. */
export function constraintViolation(error: unknown): 'unique' | 'foreign_key' | 'check' | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const code = (error as { code?: unknown }).code;
  switch (code) {
    case '23505':
    case 'SQLITE_CONSTRAINT_UNIQUE':
    case 'SQLITE_CONSTRAINT_PRIMARYKEY':
      return 'unique';
    case '23503':
    case 'SQLITE_CONSTRAINT_FOREIGNKEY':
      return 'foreign_key';
    case '23514':
    case 'SQLITE_CONSTRAINT_CHECK':
      return 'check';
    default:
      return undefined;
  }
}
