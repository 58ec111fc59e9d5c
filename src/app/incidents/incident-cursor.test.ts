import { describe, expect, it } from 'vitest';
import { decodeIncidentCursor, encodeIncidentCursor } from './incident-cursor.js';

describe('incident list cursor', () => {
  it('reads back what it wrote, opaque to the client', () => {
    const cursor = { reportedAt: '2026-11-28T19:38:00.000Z', id: '019ac9a1-7c00-7abc-8def-0123456789ab' };
    const text = encodeIncidentCursor(cursor);
    expect(text).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeIncidentCursor(text)).toEqual(cursor);
  });

  it.each([
    ['not base64 JSON', 'x!'],
    ['a string', Buffer.from('"abc"').toString('base64url')],
    ['numbers', Buffer.from('[1,2]').toString('base64url')],
    ['a local time', Buffer.from('["2026-11-28 19:38","a"]').toString('base64url')],
    ['an empty id', Buffer.from('["2026-11-28T19:38:00.000Z",""]').toString('base64url')],
    ['three parts', Buffer.from('["2026-11-28T19:38:00.000Z","a","b"]').toString('base64url')],
  ])('refuses %s with a 400 naming /cursor', (_, text) => {
    expect(() => decodeIncidentCursor(text)).toThrow(
      expect.objectContaining({
        code: 'VALIDATION_FAILED',
        errors: [expect.objectContaining({ path: '/cursor' })],
      }),
    );
  });
});
