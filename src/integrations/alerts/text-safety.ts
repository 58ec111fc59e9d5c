/**
 * Alert text is untrusted (ASVS 5.2.3 / 5.3.x, reliability-security.md B10): it ends up in SMS, e-mail
 * subjects, call scripts, logs and the web UI. Everything a sender wrote passes through here before it
 * leaves the parsers. None of these functions throw, whatever the Unicode.
 */

/** Longest summary we keep (PagerDuty's own limit for `payload.summary`). */
export const MAX_SUMMARY_LENGTH = 1024;
/** Longest alert name, server/customer hint or label name. */
export const MAX_NAME_LENGTH = 200;
/** Longest label value. */
export const MAX_LABEL_VALUE_LENGTH = 1024;
/** Longest description (multi-line text, e.g. an annotation `description`). */
export const MAX_DESCRIPTION_LENGTH = 4000;
/** At most this many labels are kept per alert. */
export const MAX_LABELS = 100;
/** At most this many links are kept per alert. */
export const MAX_LINKS = 10;
/** Longest link kept. */
export const MAX_LINK_LENGTH = 2048;

// C0 and C1 controls, DEL, and the Unicode line and paragraph separators: all can end a header or an SMS
// line, so they become a space.
// eslint-disable-next-line no-control-regex
const LINE_BREAKING = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u0085]+/g;
// The same without LF (for multi-line text, where LF is kept and CR/CRLF become LF first).
// eslint-disable-next-line no-control-regex
const CONTROL_EXCEPT_LF = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u2028\u2029]+/g;
// Bidirectional overrides and isolates ("Trojan Source"): they can make an SMS read differently from
// what it says. Dropped outright.
const BIDI_CONTROLS = /[\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]/g;
// A UTF-16 surrogate without its partner (possible in JSON via \ud800 escapes): not text; U+FFFD instead.
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;
const HAS_LONE_SURROGATE = new RegExp(LONE_SURROGATE.source);

/**
 * One line of display text: lone surrogates become U+FFFD, bidi controls are dropped, every control
 * character and line break becomes a single space, runs of spaces collapse, the ends are trimmed, and the
 * result is cut to `maxLength` code points (ending with an ellipsis when cut).
 * @example safeText('Disk full\r\nBcc: x@example.com') // 'Disk full Bcc: x@example.com'
 * @example safeText('a'.repeat(10), 5) // 'aaaa…'
 */
export function safeText(text: string, maxLength: number = MAX_SUMMARY_LENGTH): string {
  const line = text
    .replace(LONE_SURROGATE, '\ufffd')
    .replace(BIDI_CONTROLS, '')
    .replace(LINE_BREAKING, ' ')
    .replace(/ {2,}/g, ' ')
    .trim();
  return cut(line, maxLength);
}

/**
 * Multi-line display text (descriptions): like {@link safeText} but line feeds are kept (CR and CRLF
 * become LF, at most two line feeds in a row), each line is trimmed at its end.
 * @example safeMultilineText('a\r\nb\u0007c\n\n\n\nd') // 'a\nb c\n\nd'
 */
export function safeMultilineText(text: string, maxLength: number = MAX_DESCRIPTION_LENGTH): string {
  const body = text
    .replace(LONE_SURROGATE, '\ufffd')
    .replace(BIDI_CONTROLS, '')
    .replace(/\r\n?/g, '\n')
    .replace(CONTROL_EXCEPT_LF, ' ')
    .replace(/ {2,}/g, ' ')
    .replace(/ +\n/g, '\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
  return cut(body, maxLength);
}

function cut(text: string, maxLength: number): string {
  const limit = Math.max(1, Math.floor(maxLength));
  // Fast path: code units never undercount code points.
  if (text.length <= limit) return text;
  const points = Array.from(text);
  if (points.length <= limit) return text;
  return `${points
    .slice(0, limit - 1)
    .join('')
    .trimEnd()}…`;
}

/**
 * A link safe to render and to put in a message: an absolute `http:` or `https:` URL (never
 * `javascript:`, `data:` …) without control characters or credentials, at most {@link MAX_LINK_LENGTH}
 * characters; otherwise null.
 * @example safeLink('https://grafana.example/d/abc?x=1') // 'https://grafana.example/d/abc?x=1'
 * @example safeLink('javascript:alert(1)') // null
 */
export function safeLink(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  const trimmed = value.trim();
  if (trimmed === '' || trimmed.length > MAX_LINK_LENGTH) return null;
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u0020\u007f-\u009f\u2028\u2029]/.test(trimmed) || HAS_LONE_SURROGATE.test(trimmed))
    return null;
  let url: URL;
  try {
    url = new URL(trimmed);
  } catch {
    return null;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
  if (url.username !== '' || url.password !== '') return null;
  const text = url.toString();
  return text.length <= MAX_LINK_LENGTH ? text : null;
}

/**
 * The distinct safe links among `values`, in order, at most {@link MAX_LINKS}.
 * @example safeLinks(['https://a.example/', 'ftp://x', 'https://a.example/']) // ['https://a.example/']
 */
export function safeLinks(values: readonly unknown[]): string[] {
  const links: string[] = [];
  for (const value of values) {
    const link = safeLink(value);
    if (link !== null && !links.includes(link)) links.push(link);
    if (links.length >= MAX_LINKS) break;
  }
  return links;
}

/**
 * Labels made safe for display: names and values through {@link safeText}, empty names dropped, at most
 * {@link MAX_LABELS} (the first ones). Built with Object.fromEntries, so a `__proto__` label stays an
 * ordinary own property.
 */
export function safeLabels(labels: Readonly<Record<string, string>>): Record<string, string> {
  const entries: [string, string][] = [];
  for (const [name, value] of Object.entries(labels)) {
    const safeName = safeText(name, MAX_NAME_LENGTH);
    if (safeName === '') continue;
    entries.push([safeName, safeText(value, MAX_LABEL_VALUE_LENGTH)]);
    if (entries.length >= MAX_LABELS) break;
  }
  return Object.fromEntries(entries);
}

/**
 * A one-line text, or null when nothing is left after {@link safeText}.
 * @example optionalText('  \n ') // null
 */
export function optionalText(value: unknown, maxLength: number = MAX_NAME_LENGTH): string | null {
  if (typeof value !== 'string') return null;
  const text = safeText(value, maxLength);
  return text === '' ? null : text;
}
