/** RFC 5545 text helpers: escaping, UTC date-times and line folding. */

const MAX_LINE_OCTETS = 75;
const encoder = new TextEncoder();

/**
 * Escapes a TEXT value (RFC 5545 §3.3.11): backslash, semicolon, comma and line breaks; other control
 * characters, which TEXT may not contain, are dropped.
 * @example escapeText('Jour; natt, 1\\2\nslut') // 'Jour\\; natt\\, 1\\\\2\\nslut'
 */
export function escapeText(value: string): string {
  return value
    .replace(/\\/g, '\\\\')
    .replace(/;/g, '\\;')
    .replace(/,/g, '\\,')
    .replace(/\r\n|\r|\n/g, '\\n')
    .split('')
    .filter((char) => !isControl(char.charCodeAt(0)))
    .join('');
}

function isControl(code: number): boolean {
  return (code < 0x20 && code !== 0x09) || code === 0x7f;
}

/**
 * An instant as a UTC DATE-TIME (`YYYYMMDDTHHMMSSZ`); milliseconds are cut (iCalendar has whole seconds).
 * @example formatUtcDateTime(Date.UTC(2026, 11, 24, 9, 0)) // '20261224T090000Z'
 */
export function formatUtcDateTime(ms: number): string {
  const iso = new Date(ms - (((ms % 1000) + 1000) % 1000)).toISOString();
  return `${iso.slice(0, 4)}${iso.slice(5, 7)}${iso.slice(8, 13)}${iso.slice(14, 16)}${iso.slice(17, 19)}Z`;
}

/**
 * Folds a content line at 75 octets (RFC 5545 §3.1): continuation lines start with one space, which
 * counts towards their 75; a UTF-8 character is never split. Lines are joined with CRLF.
 * @example foldLine('SUMMARY:' + 'å'.repeat(40)).split('\r\n ') // ['SUMMARY:' + 'å'.repeat(33), 'å'.repeat(7)]
 */
export function foldLine(line: string): string {
  if (encoder.encode(line).length <= MAX_LINE_OCTETS) return line;
  const lines: string[] = [];
  let current = '';
  let octets = 0;
  let limit = MAX_LINE_OCTETS;
  for (const char of line) {
    const size = utf8Length(char);
    if (octets + size > limit) {
      lines.push(current);
      current = '';
      octets = 0;
      limit = MAX_LINE_OCTETS - 1;
    }
    current += char;
    octets += size;
  }
  lines.push(current);
  return lines.join('\r\n ');
}

function utf8Length(char: string): number {
  const code = char.codePointAt(0) as number;
  return code < 0x80 ? 1 : code < 0x800 ? 2 : code < 0x10000 ? 3 : 4;
}
