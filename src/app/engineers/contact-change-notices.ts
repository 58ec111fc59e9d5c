import type { OutgoingMessage } from '../messaging/enqueue-message.js';

interface EngineerContact {
  id: string;
  name: string;
  phone: string;
  email: string;
}

/** A number as a notice shows it: enough to recognise, not enough to hand a stranger someone's number. */
export function maskPhone(phone: string): string {
  return phone.length > 6 ? `${phone.slice(0, 3)}…${phone.slice(-3)}` : '…';
}

/** An address as a notice shows it: the first letter and the domain. */
export function maskEmail(email: string): string {
  const at = email.indexOf('@');
  return at > 0 ? `${email[0]}…${email.slice(at)}` : '…';
}

/**
 * The notices a change of an engineer's phone number or e-mail address sends (ASVS 2.2.3: a new number
 * redirects every page, so whoever held the old one must hear of it at once):
 * - a new phone: an SMS to the old number (not tied to the engineer, so a dead old number cannot mark
 *   the new one as failing), an SMS to the new one (tied to the engineer: a mistyped number shows up as
 *   a roster gap now, not at the first page) and an e-mail;
 * - a new e-mail address: an e-mail to the old address as well as to the new one.
 * Pure: the caller queues them in the change's transaction.
 */
export function contactChangeNotices(
  before: EngineerContact,
  after: EngineerContact,
  changedBy: string,
): OutgoingMessage[] {
  const phoneChanged = before.phone !== after.phone;
  const emailChanged = before.email !== after.email;
  if (!phoneChanged && !emailChanged) return [];
  const notices: OutgoingMessage[] = [];
  if (phoneChanged) {
    notices.push(
      {
        channel: 'sms',
        to: before.phone,
        body: `Ballou: jourlarm för ${after.name} går nu till ett annat nummer (${maskPhone(after.phone)}), ändrat av ${changedBy}. Var det oväntat? Kontakta jourledningen genast.`,
      },
      {
        channel: 'sms',
        to: after.phone,
        engineerId: after.id,
        body: `Ballou: jourlarm för ${after.name} kommer från och med nu till det här numret (ändrat av ${changedBy}).`,
      },
    );
  }
  const changes = {
    sv: [
      ...(phoneChanged ? [`Jourtelefon: ${maskPhone(before.phone)} → ${maskPhone(after.phone)}`] : []),
      ...(emailChanged ? [`E-post: ${maskEmail(before.email)} → ${maskEmail(after.email)}`] : []),
    ],
    en: [
      ...(phoneChanged ? [`On-call phone: ${maskPhone(before.phone)} → ${maskPhone(after.phone)}`] : []),
      ...(emailChanged ? [`E-mail: ${maskEmail(before.email)} → ${maskEmail(after.email)}`] : []),
    ],
  };
  const mail = {
    subject: 'Dina kontaktuppgifter för jouren är ändrade / Your on-call contact details were changed',
    body: [
      `Hej ${after.name}, ${changedBy} har ändrat dina kontaktuppgifter hos Ballou:`,
      ...changes.sv,
      ...(phoneChanged ? ['Jourlarm går till det nya numret från och med nu.'] : []),
      'Var det oväntat? Kontakta jourledningen genast.',
      '',
      `Hello ${after.name}, ${changedBy} changed your contact details at Ballou:`,
      ...changes.en,
      ...(phoneChanged ? ['Pages go to the new number from now on.'] : []),
      'If this was unexpected, contact the on-call management at once.',
    ].join('\n'),
  };
  notices.push({ channel: 'email', to: after.email, engineerId: after.id, ...mail });
  if (emailChanged) notices.push({ channel: 'email', to: before.email, ...mail });
  return notices;
}
