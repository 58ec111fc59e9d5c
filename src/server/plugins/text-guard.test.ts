import { describe, expect, it } from 'vitest';
import { findNul } from './text-guard.js';

describe('findNul', () => {
  it('finds no NUL in ordinary bodies, nor in text that only spells one out', () => {
    expect(findNul({ a: 'x', b: [1, 'y', { c: null }], d: true }, '')).toBeUndefined();
    expect(findNul({ escaped: '\\u0000', percent: '%00' }, '')).toBeUndefined();
    expect(findNul(new URLSearchParams('from=%2B4670&text=%2500'), '')).toBeUndefined();
    expect(findNul(undefined, '/params')).toBeUndefined();
  });

  it('names the first field that holds a NUL: values, keys, array items, form fields', () => {
    expect(findNul({ a: { 'b/c': 'x\u0000' } }, '')).toBe('/a/b~1c');
    expect(findNul({ alerts: [{ labels: { ok: 'y' } }, { labels: { 'k\u0000': 'v' } }] }, '')).toBe(
      '/alerts/1/labels/k\u0000',
    );
    expect(findNul(['a', 'b\u0000'], '')).toBe('/1');
    expect(findNul('\u0000', '')).toBe('/');
    expect(findNul(new URLSearchParams('callid=1&from=%00'), '/querystring')).toBe('/querystring/from');
  });

  it('walks a deeply nested body without overflowing the stack', () => {
    let deep: unknown = 'end\u0000';
    for (let i = 0; i < 100_000; i++) deep = [deep];
    expect(findNul(deep, '')).toBe('/0'.repeat(100_000));
  });
});
