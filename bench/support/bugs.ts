/**
 * Correctness bugs a bench run found (results that differ between two ways of computing them, requests
 * the server refused). A figure below its target is not one of them: only these make `npm run bench`
 * exit non-zero.
 */
const found: string[] = [];

export function reportBug(message: string): void {
  found.push(message);
  console.log(`BUG: ${message}`);
  process.exitCode = 1;
}

export function bugs(): readonly string[] {
  return found;
}
