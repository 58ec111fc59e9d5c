import { describe, expect, it } from 'vitest';
import { ApiError } from './client';

describe('ApiError from application/problem+json', () => {
  it('puts each field error under the field it names, the first message of a field winning', () => {
    const error = new ApiError({
      status: 400,
      code: 'VALIDATION_FAILED',
      detail: 'body/phone must match pattern',
      errors: [
        { path: '/phone', message: 'must be E.164, e.g. +46701234567' },
        { path: '/address/city', message: 'is too long' },
        { path: '/phone', message: 'a second message' },
        { path: '', message: 'about the whole body' },
      ],
    });
    expect(error.fieldErrors).toEqual({ phone: 'must be E.164, e.g. +46701234567', city: 'is too long' });
    expect(error.message).toBe('body/phone must match pattern');
    expect(error.code).toBe('VALIDATION_FAILED');
  });

  it('falls back to the title, then the status, for its message', () => {
    expect(new ApiError({ status: 404, title: 'Not Found' }).message).toBe('Not Found');
    expect(new ApiError({ status: 502 }).message).toBe('HTTP 502');
  });
});
