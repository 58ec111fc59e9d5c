import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * Compares two secrets in constant time (ASVS 6.2.8). Both sides are hashed first so that
 * `crypto.timingSafeEqual` always sees equal lengths and the length of the secret does not leak.
 */
export function constantTimeEqual(a: string, b: string): boolean {
  const digestA = createHash('sha256').update(a, 'utf8').digest();
  const digestB = createHash('sha256').update(b, 'utf8').digest();
  return timingSafeEqual(digestA, digestB);
}
