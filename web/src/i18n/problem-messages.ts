import { fieldMessageIn } from './field-messages';
import { translateByTable, type MessageRules } from './message-table';
import { rosterRole, tier, userRoles } from './api-codes';

/**
 * Swedish for the API's whole-form messages (problem+json `detail`), as field-messages.ts is for the
 * messages next to a field. Exact messages first, then rules for the ones with a value in them; a
 * "path: message" detail gets its message translated as a field message. Anything unknown is shown as the
 * server sent it. `problem-messages.test.ts` keeps it complete for every literal DomainError message in
 * src/app, src/server and src/domain.
 */
const EXACT: Record<string, string> = {
  'a credit note cannot itself be credited': 'en kreditfaktura kan inte själv krediteras',
  'a current 6-digit code from the app is needed': 'en aktuell sexsiffrig kod från appen behövs',
  'a customer token needs the customer it belongs to': 'en kundnyckel behöver kunden den hör till',
  'a manual run collided with another trigger': 'en manuell körning krockade med en annan utlösare',
  'a password is changed by its signed-in user, not with an API token':
    'ett lösenord byts av den inloggade användaren, inte med en API-nyckel',
  'a value is outside what is allowed': 'ett värde ligger utanför det tillåtna',
  'action run not found': 'körningen finns inte',
  'an engineer acts only for themself': 'en tekniker gör bara saker åt sig själv',
  'an engineer can only make a calendar link for their own shifts':
    'en tekniker kan bara göra en kalenderlänk för sina egna pass',
  'an engineer can only record their own unavailability': 'en tekniker kan bara registrera sin egen frånvaro',
  'an engineer cannot take their own shift': 'en tekniker kan inte ta sitt eget pass',
  'authorization not found': 'förhandsgodkännandet finns inte',
  'calendar link not found': 'kalenderlänken finns inte',
  'contact not found': 'kontakten finns inte',
  'credit note vanished': 'kreditfakturan försvann',
  'customer not found': 'kunden finns inte',
  'customerId is required for, and only for, role customer':
    'kund måste anges för rollen kund, och bara för den',
  'decideWork needs the calendar or `billable`': 'ett internt fel: arbetet kunde inte bedömas',
  'engineer not found': 'teknikern finns inte',
  'incident not found': 'ärendet finns inte',
  'incident without a tier': 'ärendet saknar servicenivå',
  'integration not found or already revoked': 'integrationen finns inte eller är redan återkallad',
  'invoice not found': 'fakturan finns inte',
  'log in, or use a calendar link with its token': 'logga in, eller använd en kalenderlänk med sin nyckel',
  'missing or wrong X-CSRF-Token header':
    'sidans säkerhetstoken saknas eller är fel; ladda om sidan och försök igen',
  'nothing remains to credit on this invoice': 'inget återstår att kreditera på fakturan',
  'nothing to invoice for this customer and month': 'inget att fakturera för kunden och månaden',
  'only an engineer signed in to their own account has on-call details':
    'bara en tekniker som är inloggad på sitt eget konto har jouruppgifter',
  'only customer tokens are bound to a customer': 'bara kundnycklar hör till en kund',
  'only the engineer who offered it can withdraw it':
    'bara teknikern som erbjöd passet kan ta tillbaka erbjudandet',
  'operations task not found': 'driftuppgiften finns inte',
  'override not found': 'ändringen i schemat finns inte',
  'push subscription not found': 'push-prenumerationen finns inte',
  'push subscriptions belong to a login; use a browser session':
    'push-prenumerationer hör till en inloggning; använd webbläsaren',
  'role must be one of admin, manager, engineer, billing, customer':
    'rollen måste vara en av admin, manager, engineer, billing, customer',
  'rotation not found': 'rotationen finns inte',
  'server not found': 'servern finns inte',
  'shift swap not found': 'passbytet finns inte',
  'someone else took this shift a moment ago': 'någon annan tog passet alldeles nyss',
  'start enrolment first (POST /api/v1/auth/totp/enrol)': 'börja med att slå på tvåstegsinloggning',
  'the action catalogue must be a JSON array': 'åtgärdskatalogen måste vara en JSON-lista',
  'the code does not match': 'koden stämmer inte',
  'the code does not match; check the clock of the device':
    'koden stämmer inte; kontrollera klockan i telefonen',
  'the current password is wrong': 'det nuvarande lösenordet är fel',
  'the new password is the current one': 'det nya lösenordet är detsamma som det nuvarande',
  'this already exists (it was created at the same moment by another request)':
    'det finns redan (det skapades i samma ögonblick av en annan begäran)',
  'this authorization is revoked; create a new one': 'förhandsgodkännandet är återkallat; gör ett nytt',
  'this calendar link is unknown or revoked': 'kalenderlänken är okänd eller återkallad',
  'this incident needs no consent (tier hog)': 'ärendet behöver inget medgivande (hög servicenivå)',
  'this link has been used already': 'länken är redan använd',
  'this link has expired': 'länken har gått ut',
  'this link is unknown': 'länken är okänd',
  'this login is not linked to an engineer': 'inloggningen hör inte till någon tekniker',
  'this refers to something that does not exist or is still in use':
    'det hänvisar till något som inte finns eller fortfarande används',
  'token not found': 'nyckeln finns inte',
  'two-factor login is already on': 'tvåstegsinloggning är redan på',
  'two-factor login is already on; turn it off first to change it':
    'tvåstegsinloggning är redan på; stäng av den först för att ändra den',
  'two-factor login is not on for this user': 'tvåstegsinloggning är inte på för användaren',
  'two-factor login is not on': 'tvåstegsinloggning är inte på',
  'two-factor settings belong to a logged-in user, not a token':
    'inställningar för tvåstegsinloggning hör till en inloggad användare, inte en nyckel',
  'unavailability not found': 'frånvaron finns inte',
  'user not found': 'användaren finns inte',
  'wrong password or code': 'fel lösenord eller kod',
};

const RULES: MessageRules = [
  [
    /^(.+) does not hold the (.+) role for the whole offered shift$/,
    (m) => `${m[1]} är inte ${rosterRole(m[2])} under hela det erbjudna passet`,
  ],
  [
    /^(.+) has no SSH access registered \(host, user, host key\)$/,
    (m) => `${m[1]} har ingen SSH-åtkomst registrerad (värd, användare, värdnyckel)`,
  ],
  [
    /^(.+) is (primary|secondary) during the shift and cannot hold both roles$/,
    (m) => `${m[1]} är ${rosterRole(m[2])} under passet och kan inte ha båda rollerna`,
  ],
  [/^(.+) is unavailable during the shift$/, (m) => `${m[1]} är inte tillgänglig under passet`],
  [/^(\d+) tariff versions are valid on (.+)$/, (m) => `${m[1]} taxeversioner gäller ${m[2]}`],
  [
    /^\/automatic: only customers of tier hog may authorize automatic actions \(this customer's tier is (.+)\)$/,
    (m) =>
      `bara kunder med hög servicenivå kan förhandsgodkänna automatiska åtgärder (kundens nivå: ${m[1] === 'none today' ? 'ingen i dag' : tier(m[1])})`,
  ],
  [
    /^a tier change must start after (.+), when the current tier period began$/,
    (m) => `en ändring av servicenivå måste börja efter ${m[1]}, då den nuvarande perioden började`,
  ],
  [
    /^the agreement cannot start on (.+): the first tier period ends (.+)$/,
    (m) => `avtalet kan inte börja ${m[1]}: den första perioden slutar ${m[2]}`,
  ],
  [
    /^the customer already has tier (.+) from (.+)$/,
    (m) => `kunden har redan servicenivån ${tier(m[1])} från ${m[2]}`,
  ],
  [
    /^the tier history ended (.+); the change would leave a gap$/,
    (m) => `servicenivåerna slutade ${m[1]}; ändringen skulle lämna ett glapp`,
  ],
  [/^this shift swap is already taken$/, () => 'passet är redan övertaget'],
  [/^this shift swap is already cancelled$/, () => 'passbytet är redan återkallat'],
  [
    /^you do not hold the (.+) role for all of that time$/,
    (m) => `du är inte ${rosterRole(m[1])} under hela den tiden`,
  ],
  [/^customer (.+) not found$/, (m) => `kunden ${m[1]} finns inte`],
  [
    /^\/action: (.+) is already authorized on this server; change that authorization instead$/,
    (m) => `${m[1]} är redan förhandsgodkänd på servern; ändra det godkännandet i stället`,
  ],
  [
    /^a customer with organisation number (.+) already exists$/,
    (m) => `en kund med organisationsnummer ${m[1]} finns redan`,
  ],
  [/^a server named (.+) is already registered$/, (m) => `en server med namnet ${m[1]} är redan registrerad`],
  [/^a user with e-mail (.+) already exists$/, (m) => `en användare med e-postadressen ${m[1]} finns redan`],
  [
    /^an engineer with e-mail (.+) already exists$/,
    (m) => `en tekniker med e-postadressen ${m[1]} finns redan`,
  ],
  [
    /^the phone number (.+) already belongs to a contact$/,
    (m) => `telefonnumret ${m[1]} hör redan till en kontakt`,
  ],
  [
    /^(.+) is made by the signed-in user, not with an API token$/,
    () => 'det görs av den inloggade användaren, inte med en API-nyckel',
  ],
  [/^this needs one of the roles (.+)$/, (m) => `det kräver någon av rollerna ${userRoles(m[1])}`],
  [
    /^two-factor login is for the roles (.+)$/,
    (m) => `tvåstegsinloggning gäller rollerna ${userRoles(m[1])}`,
  ],
  [
    /^no service-level terms for tier (.+) cover (.+)$/,
    (m) => `inga servicenivåvillkor för nivån ${tier(m[1])} gäller ${m[2]}`,
  ],
  [
    /^no service-level targets for tier (.+) on (.+)$/,
    (m) => `inga servicenivåvillkor för nivån ${tier(m[1])} gäller ${m[2]}`,
  ],
  [
    /^no service-level (?:targets|terms) for tier (.+)$/,
    (m) => `inga servicenivåvillkor för nivån ${tier(m[1])}`,
  ],
  [
    /^interval ends \((.+)\) before it starts \((.+)\)$/,
    (m) => `intervallet slutar (${m[1]}) innan det börjar (${m[2]})`,
  ],
  [
    /^period ends \((.+)\) before it starts \((.+)\)$/,
    (m) => `perioden slutar (${m[1]}) innan den börjar (${m[2]})`,
  ],
  [
    /^not a period of epoch-millisecond instants: (.+)$/,
    (m) => `inte en period av tidpunkter i millisekunder sedan 1970: ${m[1]}`,
  ],
  [/^Cannot run the action: (.+)\.$/, (m) => `Åtgärden kan inte köras: ${m[1]}.`],
  [/^\/action: (.+) is not in the action catalogue$/, (m) => `${m[1]} finns inte i åtgärdskatalogen`],
  [/^password (.+)$/, (m, lang) => `lösenordet ${fieldMessageIn(lang, m[1] as string)}`],
  // "path: message" (a validation failure named by where it is): the message as a field message.
  [/^(\/[\w/-]*|[\w-]+): (.+)$/, (m, lang) => `${m[1]}: ${fieldMessageIn(lang, m[2] as string)}`],
];

/** The problem's message in `lang` (sv: translated when known; any other language: as sent). */
export function problemMessageIn(lang: string, message: string): string {
  return translateByTable(EXACT, RULES, lang, message);
}
