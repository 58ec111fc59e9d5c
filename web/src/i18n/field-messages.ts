import { translateByTable, type MessageRules } from './message-table';
import { rosterRole, tier } from './api-codes';

/**
 * Swedish for the messages the API puts next to a field (problem+json `errors[].message`): the server
 * speaks English, the desk reads Swedish. Exact messages first, then rules for the ones with a value in
 * them (Ajv's, and ours with a number or a date). Anything unknown is shown as the server sent it.
 * `field-messages.test.ts` keeps this complete: every literal field message in src/app, src/server and
 * src/domain must have its Swedish here.
 */
const EXACT: Record<string, string> = {
  'Event object is invalid': 'händelsen är ogiltig',
  'a JSON body is required': 'en JSON-kropp krävs',
  'a phone number or an e-mail address is needed to hand over':
    'ett telefonnummer eller en e-postadress behövs för överlämningen',
  'already identifies another contact': 'hör redan till en annan kontakt',
  'does not match': 'stämmer inte',
  'does not match (a current 6-digit code is needed)': 'stämmer inte (en aktuell sexsiffrig kod behövs)',
  'folder does not exist': 'mappen finns inte',
  'say which engineer': 'ange vilken tekniker',
  'say yes or no': 'svara ja eller nej',
  'a phone number or an e-mail address is needed': 'ett telefonnummer eller en e-postadress behövs',
  'must be an OpenSSH public key line': 'måste vara en rad med en publik nyckel i OpenSSH-format',
  'not a cursor this API returned': 'inte en sidmarkör som API:t har lämnat',
  'has no SSH access registered': 'har ingen SSH-åtkomst registrerad',
  'if the address belongs to an account, a link has been sent to it; it works for 30 minutes':
    'om adressen hör till ett konto har en länk skickats dit; den fungerar i 30 minuter',
  'is already authorized on this server': 'är redan förhandsgodkänd på den här servern',
  'is already registered': 'är redan registrerad',
  'is named twice': 'anges två gånger',
  'is not a cursor this API returned': 'är inte en sidmarkör som API:t har lämnat',
  'is not a known field': 'är inget känt fält',
  'is not a line of this invoice': 'är ingen rad på den här fakturan',
  'is not in the action catalogue (GET /actions)': 'finns inte i åtgärdskatalogen',
  'is not your current password': 'är inte ditt nuvarande lösenord',
  'is only allowed for role customer': 'är bara tillåtet för rollen kund',
  'is required': 'måste anges',
  'is required for role customer': 'måste anges för rollen kund',
  'is required for, and only for, role customer': 'måste anges för rollen kund, och bara för den',
  'is required when a manager acts for an engineer':
    'måste anges när en jourplanerare gör det åt en tekniker',
  'is the current tier': 'är redan kundens servicenivå',
  'is unavailable during this shift': 'är inte tillgänglig under passet',
  'lies in the future': 'ligger i framtiden',
  'must be a 16-byte secret, base64url': 'måste vara en hemlighet på 16 byte, base64url',
  'must be a Swedish organisation number NNNNNN-NNNN with a valid check digit':
    'måste vara ett svenskt organisationsnummer NNNNNN-NNNN med rätt kontrollsiffra',
  'must be a VAT number such as SE556036079301': 'måste vara ett momsregistreringsnummer som SE556036079301',
  'must be a date YYYY-MM-DD': 'måste vara ett datum ÅÅÅÅ-MM-DD',
  'must be a date as YYYY-MM-DD': 'måste vara ett datum ÅÅÅÅ-MM-DD',
  'must be a title of 1 to 200 characters': 'måste vara en rubrik på 1 till 200 tecken',
  'must be a whole number of öre > 0': 'måste vara ett helt antal öre, större än 0',
  'must be after from': 'måste vara efter från-datumet',
  'must be after start': 'måste vara efter starten',
  'must be after validFrom': 'måste vara efter giltig från',
  'must be an OpenSSH public host key such as "ssh-ed25519 AAAA…"':
    'måste vara en publik värdnyckel i OpenSSH-format, t.ex. "ssh-ed25519 AAAA…"',
  'must be an array of actions': 'måste vara en lista med åtgärder',
  'must be an https URL without credentials': 'måste vara en https-adress utan inloggningsuppgifter',
  'must be an integer from 1 to 10 000 000': 'måste vara ett heltal från 1 till 10 000 000',
  'must be an invoice number': 'måste vara ett fakturanummer',
  'must be an object': 'måste vara ett objekt',
  'must be an uncompressed P-256 public key, base64url (65 bytes)':
    'måste vara en okomprimerad publik P-256-nyckel, base64url (65 byte)',
  'must be lower-case letters, digits and dashes': 'får bara innehålla gemener, siffror och bindestreck',
  'must be milliseconds since 1970 or null': 'måste vara millisekunder sedan 1970, eller null',
  'must be one of admin, manager, engineer, billing, customer':
    'måste vara en av admin, manager, engineer, billing, customer',
  'must be one printable line of at most 1000 characters': 'måste vara en enda rad på högst 1000 tecken',
  'must be someone else than the engineer offering the shift':
    'måste vara någon annan än den som erbjuder passet',
  'must be the 6-digit code from the authenticator app':
    'måste vara den sexsiffriga koden från autentiseringsappen',
  'must differ from the current password': 'måste skilja sig från det nuvarande lösenordet',
  'must name at least one line': 'måste ange minst en rad',
  'must not be before agreementStart': 'får inte vara före avtalsstarten',
  'must say why': 'måste ange varför',
  'no such customer': 'kunden finns inte',
  'no such engineer': 'teknikern finns inte',
  'no such file': 'filen finns inte',
  'not a Ballou backup': 'inte en säkerhetskopia från Ballou',
  'nothing remains to credit on this line': 'inget återstår att kreditera på raden',
  'only customers of tier hog may authorize automatic actions':
    'bara kunder med hög servicenivå kan förhandsgodkänna automatiska åtgärder',
  'the offered shift is no longer held by the engineer offering it':
    'passet hålls inte längre av den som erbjuder det',
  'the offered time must be yours in the roster': 'den erbjudna tiden måste vara din i jourschemat',
  'the period may be at most 400 days': 'perioden får vara högst 400 dagar',
  'the run would issue no invoice to this customer for the month':
    'körningen skulle inte ge kunden någon faktura för månaden',
  // The password rule's (users.ts checkPassword: a message in a variable, so the test cannot find it).
  'must not contain the e-mail name': 'får inte innehålla namnet i e-postadressen',
  'is too easy to guess: a common password, a keyboard row, a repetition or a sequence':
    'är för lätt att gissa: ett vanligt lösenord, en tangentrad, en upprepning eller en följd',
  // Ajv's, named by the server's validator (error-handler.ts) and by Ajv itself.
  'must be string': 'måste vara text',
  'must be integer': 'måste vara ett heltal',
  'must be number': 'måste vara ett tal',
  'must be boolean': 'måste vara sant eller falskt',
  'must be array': 'måste vara en lista',
  'must be object': 'måste vara ett objekt',
  'must be null': 'måste vara tomt',
  'must match format "email"': 'måste vara en e-postadress',
  'must match format "date"': 'måste vara ett datum ÅÅÅÅ-MM-DD',
  'must match format "date-time"': 'måste vara en tidpunkt med tidszon',
  'must match format "uuid"': 'måste vara ett id (UUID)',
  'must match format "uri"': 'måste vara en adress (URL)',
  'is invalid': 'är ogiltigt',
};

const RULES: MessageRules = [
  [
    /^must NOT have fewer than (\d+) characters?$/,
    (m) => (m[1] === '1' ? 'får inte vara tomt' : `måste ha minst ${m[1]} tecken`),
  ],
  [/^must NOT have more than (\d+) characters?$/, (m) => `får ha högst ${m[1]} tecken`],
  [/^must NOT have fewer than (\d+) items?$/, (m) => `måste ha minst ${m[1]}`],
  [/^must NOT have more than (\d+) items?$/, (m) => `får ha högst ${m[1]}`],
  [/^must NOT have fewer than (\d+) properties$/, (m) => `måste ha minst ${m[1]} fält`],
  [/^must be >= (.+)$/, (m) => `måste vara minst ${m[1]}`],
  [/^must be <= (.+)$/, (m) => `får vara högst ${m[1]}`],
  [/^must be > (.+)$/, (m) => `måste vara större än ${m[1]}`],
  [/^must be < (.+)$/, (m) => `måste vara mindre än ${m[1]}`],
  [/^must be one of (.+)$/, (m) => `måste vara en av ${m[1]}`],
  // The phone schema's pattern (E.164) is the one people meet; any other pattern is "the wrong form".
  [
    /^must match pattern "\^\\\+\[1-9\]/,
    () => 'måste vara ett telefonnummer med landsnummer, t.ex. +46701234567',
  ],
  [/^must match pattern /, () => 'har fel form'],
  [
    /^(\d+) öre is more than the (\d+) öre that remain on this line$/,
    (m) => `${m[1]} öre är mer än de ${m[2]} öre som återstår på raden`,
  ],
  [/^a (.+) backup$/, (m) => `en säkerhetskopia av ${m[1]}`],
  [
    /^automatic actions are only for customers of tier hog \(this incident is tier (.+)\)$/,
    (m) => `automatiska åtgärder gäller bara kunder med hög servicenivå (ärendet har ${tier(m[1])})`,
  ],
  [/^is already (.+) during this shift$/, (m) => `är redan ${rosterRole(m[1])} under passet`],
  [
    /^must be a whole number of seconds from 1 to (\d+)$/,
    (m) => `måste vara ett helt antal sekunder från 1 till ${m[1]}`,
  ],
  [/^must be a whole number ≥ (\d+)$/, (m) => `måste vara ett heltal, minst ${m[1]}`],
  [/^must be after (.+)$/, (m) => `måste vara efter ${m[1]}`],
  [/^must be at least (\d+) characters$/, (m) => `måste ha minst ${m[1]} tecken`],
  [/^must be at most (\d+) characters$/, (m) => `får ha högst ${m[1]} tecken`],
  [/^must be before (.+), when the tier changes$/, (m) => `måste vara före ${m[1]}, då servicenivån ändras`],
  [/^must be on or before (.+)$/, (m) => `måste vara senast ${m[1]}`],
  [/^no engineer with id (.+)$/, (m) => `ingen tekniker med id ${m[1]}`],
  [/^no engineer (.+)$/, (m) => `ingen tekniker med id ${m[1]}`],
  [/^overlaps tariff version (.+)$/, (m) => `överlappar taxeversion ${m[1]}`],
  [/^repeats the key (.+)$/, (m) => `upprepar nyckeln ${m[1]}`],
  [
    /^the customer allows at most (\d+) run\(s\) of this action in 24 hours, and that many have run$/,
    (m) => `kunden tillåter högst ${m[1]} körningar av åtgärden per dygn, och så många har gjorts`,
  ],
];

/** The message in `lang` (sv: translated when known; any other language: as the server sent it). */
export function fieldMessageIn(lang: string, message: string): string {
  return translateByTable(EXACT, RULES, lang, message);
}

/** Each field's message in `lang`. */
export function fieldErrorsIn(lang: string, errors: Record<string, string>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(errors).map(([field, message]) => [field, fieldMessageIn(lang, message)]),
  );
}
