import { describe, expect, it } from 'vitest';
import { maskUrl } from './logger.js';

describe('maskUrl', () => {
  it('hides tokens carried in URLs', () => {
    expect(maskUrl('/api/v1/oncall/calendar.ics?engineerId=e1&token=cal_secret')).toBe(
      '/api/v1/oncall/calendar.ics?engineerId=e1&token=[redacted]',
    );
    expect(maskUrl('/l/abcdefghijklmnopqrstuvwxyz')).toBe('/l/[redacted]');
    expect(maskUrl('/api/v1/links/abcdefghijklmnop')).toBe('/api/v1/links/[redacted]');
    expect(maskUrl('/api/v1/customers?limit=5')).toBe('/api/v1/customers?limit=5');
  });
});
