import iconv from 'iconv-lite';

/**
 * SIE 4 files are CP437 ("#FORMAT PC8"): the text encoded so Swedish accounting software reads åäö.
 * Characters CP437 lacks become '?'; sieString already replaced the dashes people type.
 */
export function encodeSie(text: string): Buffer {
  return iconv.encode(text, 'cp437');
}

export function decodeSie(bytes: Buffer): string {
  return iconv.decode(bytes, 'cp437');
}
