/**
 * Header values built from alert text must not smuggle extra headers (ASVS 5.2.3, SMTP injection): CR,
 * LF, the Unicode line/paragraph separators and every other control character become one space.
 */
export const MAX_SUBJECT_LENGTH = 200;

/**
 * One line of text, safe as a header value: control characters and line breaks collapsed to single
 * spaces, trimmed, cut to `maxLength` characters (with an ellipsis).
 * @example safeHeaderText('Disk full\r\nBcc: victim@example.com') // 'Disk full Bcc: victim@example.com'
 */
export function safeHeaderText(text: string, maxLength = MAX_SUBJECT_LENGTH): string {
  const line = text
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g, ' ')
    .replace(/ {2,}/g, ' ')
    .trim();
  if (line.length <= maxLength) return line;
  const cut = Array.from(line)
    .slice(0, maxLength - 1)
    .join('');
  return `${cut.trimEnd()}…`;
}

/**
 * A bare address for the envelope and the To header: one `local@domain`, nothing that could end a header
 * line or add recipients. Returns undefined when the text is not such an address.
 */
export function safeAddress(address: string): string | undefined {
  const trimmed = address.trim();
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f\u2028\u2029,;<>"()\s]/.test(trimmed)) return undefined;
  return /^[^@]+@[^@]+\.[^@]+$/.test(trimmed) ? trimmed : undefined;
}
