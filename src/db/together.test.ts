import { describe, expect, it } from 'vitest';
import { together } from './together.js';

const later = <T>(ms: number, value: T, log: string[], fail = false) =>
  new Promise<T>((resolve, reject) =>
    setTimeout(() => {
      log.push(String(value));
      if (fail) reject(new Error(`failed ${String(value)}`));
      else resolve(value);
    }, ms),
  );

describe('together', () => {
  it('gives every result in the order the work was given', async () => {
    const log: string[] = [];
    await expect(together(later(20, 'a', log), later(1, 2, log))).resolves.toEqual(['a', 2]);
  });

  it('fails with the first error only after every statement has settled', async () => {
    const log: string[] = [];
    await expect(together(later(1, 'x', log, true), later(30, 'slow', log))).rejects.toThrow('failed x');
    // Promise.all would have failed at 1 ms, with the slow one still running.
    expect(log).toEqual(['x', 'slow']);
  });
});
