import { DomainError } from '../../domain/shared/domain-error.js';

/** Where a page of the incident list ended: the last row's sort key (reported at, id). */
export interface IncidentCursor {
  reportedAt: string;
  id: string;
}

const ISO_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/** Opaque to clients: base64url of the JSON pair, so the sort key may change without an API change. */
export function encodeIncidentCursor(cursor: IncidentCursor): string {
  return Buffer.from(JSON.stringify([cursor.reportedAt, cursor.id])).toString('base64url');
}

/** Reads a cursor this API returned; anything else is a 400 naming `/cursor`. */
export function decodeIncidentCursor(text: string): IncidentCursor {
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
  } catch {
    value = undefined;
  }
  if (
    Array.isArray(value) &&
    value.length === 2 &&
    typeof value[0] === 'string' &&
    ISO_UTC.test(value[0]) &&
    typeof value[1] === 'string' &&
    value[1].length > 0 &&
    value[1].length <= 100
  ) {
    return { reportedAt: value[0], id: value[1] };
  }
  throw new DomainError('VALIDATION_FAILED', '/cursor: not a cursor this API returned', [
    { path: '/cursor', message: 'is not a cursor this API returned' },
  ]);
}
