/**
 * Codes the API puts in its messages (roles, tiers), said in Swedish as the rest of the UI says them:
 * the problem and field messages translate the words around them, these the codes.
 */
import sv from './sv.json';

/** A value the API names by its code, said as the UI says it (a code it does not know stays as sent). */
function named(table: Readonly<Record<string, string>>, code: string | undefined): string {
  return (code !== undefined && table[code]) || (code ?? '');
}

/** Roster roles as the duty board names them, written mid-sentence ("primärjour"). */
export const rosterRole = (code: string | undefined) => named(sv.oncall, code).toLowerCase();
/** A comma-separated list of user roles ("admin, manager" → "administratör, jourplanerare"). */
export const userRoles = (codes: string | undefined) =>
  (codes ?? '')
    .split(', ')
    .map((code) => named(sv.role, code))
    .join(', ');
/** A service tier by its name, quoted ("hog" → "”Hög servicenivå”"). */
export const tier = (code: string | undefined) => `”${named(sv.tier, code)}”`;
