/**
 * Just enough of RFC 5322/2045/2047 to read what nodemailer writes: unfolded headers, encoded words in
 * headers, quoted-printable/base64 bodies, nested multiparts. (mailparser is not a dependency.)
 */

export interface ParsedPart {
  /** Lower-case names; repeated headers keep every value, in order. Values are unfolded, not decoded. */
  headers: Map<string, string[]>;
  contentType: string;
  /** The decoded text of a text/* part; '' for multiparts. */
  text: string;
  parts: ParsedPart[];
}

export function parseMime(raw: string): ParsedPart {
  const normalised = raw.replace(/\r\n/g, '\n');
  const split = normalised.indexOf('\n\n');
  const head = split < 0 ? normalised : normalised.slice(0, split);
  const body = split < 0 ? '' : normalised.slice(split + 2);
  const headers = new Map<string, string[]>();
  for (const line of head.replace(/\n[ \t]+/g, ' ').split('\n')) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const name = line.slice(0, colon).trim().toLowerCase();
    headers.set(name, [...(headers.get(name) ?? []), line.slice(colon + 1).trim()]);
  }
  const contentTypeHeader = headers.get('content-type')?.[0] ?? 'text/plain';
  const contentType = (contentTypeHeader.split(';')[0] ?? '').trim().toLowerCase();
  const boundary = /boundary="?([^";]+)"?/i.exec(contentTypeHeader)?.[1];
  if (contentType.startsWith('multipart/') && boundary !== undefined) {
    const sections = body.split(`--${boundary}`);
    const parts = sections
      .slice(1)
      .filter((s) => !s.startsWith('--'))
      .map((s) => parseMime(s.replace(/^\n/, '').replace(/\n$/, '')));
    return { headers, contentType, text: '', parts };
  }
  const charset = /charset="?([^";]+)"?/i.exec(contentTypeHeader)?.[1] ?? 'utf-8';
  const encoding = (headers.get('content-transfer-encoding')?.[0] ?? '7bit').toLowerCase();
  return { headers, contentType, text: decodeBody(body, encoding, charset), parts: [] };
}

function decodeBody(body: string, encoding: string, charset: string): string {
  let bytes: Buffer;
  if (encoding === 'base64') bytes = Buffer.from(body.replace(/\s+/g, ''), 'base64');
  else if (encoding === 'quoted-printable') bytes = decodeQuotedPrintable(body);
  else bytes = Buffer.from(body, 'utf8');
  return new TextDecoder(charset).decode(bytes);
}

function decodeQuotedPrintable(text: string): Buffer {
  const unwrapped = text.replace(/=\n/g, '');
  const bytes: number[] = [];
  for (let i = 0; i < unwrapped.length; i++) {
    const ch = unwrapped[i] ?? '';
    const hex = unwrapped.slice(i + 1, i + 3);
    if (ch === '=' && /^[0-9A-Fa-f]{2}$/.test(hex)) {
      bytes.push(parseInt(hex, 16));
      i += 2;
    } else bytes.push(...Buffer.from(ch, 'utf8'));
  }
  return Buffer.from(bytes);
}

/** Decodes RFC 2047 encoded words (`=?UTF-8?Q?…?=`, `=?UTF-8?B?…?=`) in a header value. */
export function decodeHeader(value: string): string {
  return value
    .replace(/(=\?[^?]+\?[QqBb]\?[^?]*\?=)\s+(?==\?)/g, '$1')
    .replace(/=\?([^?]+)\?([QqBb])\?([^?]*)\?=/g, (_all, charset: string, kind: string, data: string) => {
      const bytes =
        kind.toUpperCase() === 'B'
          ? Buffer.from(data, 'base64')
          : decodeQuotedPrintable(data.replace(/_/g, ' '));
      return new TextDecoder(charset).decode(bytes);
    });
}

/** The first text part of the given type, depth first. */
export function findPart(part: ParsedPart, contentType: string): ParsedPart | undefined {
  if (part.contentType === contentType && part.parts.length === 0) return part;
  for (const child of part.parts) {
    const found = findPart(child, contentType);
    if (found) return found;
  }
  return undefined;
}
