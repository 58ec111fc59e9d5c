/**
 * Instants are stored as ISO-8601 UTC text with milliseconds on both engines, so text order is time
 * order and comparisons in SQL work the same everywhere.
 */
export function toDbInstant(ms: number): string {
  return new Date(ms).toISOString();
}

export function fromDbInstant(text: string): number {
  return Date.parse(text);
}

export function toDbBool(value: boolean): number {
  return value ? 1 : 0;
}

export function fromDbBool(value: number | boolean): boolean {
  return value === 1 || value === true;
}
