/**
 * A small SIE 4 reader for tests: splits rows into label and fields (quoted strings with escapes,
 * `{}` object lists), collects the header and the vouchers with their transactions, so an export can
 * be read back the way accounting software reads it. Amounts come back as integer öre.
 */
export interface ReadVoucher {
  series: string;
  number: string;
  date: string;
  text: string;
  transactions: { account: string; amountOre: number }[];
}

export interface ReadSie {
  header: Record<string, string[][]>;
  vouchers: ReadVoucher[];
}

export function sieFields(row: string): string[] {
  const fields: string[] = [];
  let i = 0;
  while (i < row.length) {
    const c = row[i] as string;
    if (c === ' ' || c === '\t') {
      i++;
    } else if (c === '"') {
      let value = '';
      i++;
      while (i < row.length && row[i] !== '"') {
        if (row[i] === '\\' && i + 1 < row.length) i++;
        value += row[i];
        i++;
      }
      if (row[i] !== '"') throw new Error(`unterminated string in: ${row}`);
      i++;
      fields.push(value);
    } else if (c === '{') {
      const end = row.indexOf('}', i);
      if (end < 0) throw new Error(`unterminated object list in: ${row}`);
      fields.push(row.slice(i, end + 1));
      i = end + 1;
    } else {
      let value = '';
      while (i < row.length && row[i] !== ' ' && row[i] !== '\t') value += row[i++];
      fields.push(value);
    }
  }
  return fields;
}

function amountToOre(text: string): number {
  const m = /^(-?)(\d+)(?:\.(\d{1,2}))?$/.exec(text);
  if (!m) throw new Error(`not an SIE amount: ${text}`);
  const ore = Number(m[2]) * 100 + Number((m[3] ?? '0').padEnd(2, '0'));
  return m[1] === '-' ? -ore : ore;
}

export function readSie(text: string): ReadSie {
  const header: Record<string, string[][]> = {};
  const vouchers: ReadVoucher[] = [];
  let open: ReadVoucher | null = null;
  let inBlock = false;
  for (const raw of text.split(/\r?\n/)) {
    const row = raw.trim();
    if (row === '') continue;
    if (row === '{') {
      if (!open) throw new Error('{ without #VER');
      inBlock = true;
      continue;
    }
    if (row === '}') {
      if (!inBlock || !open) throw new Error('} without {');
      vouchers.push(open);
      open = null;
      inBlock = false;
      continue;
    }
    if (!row.startsWith('#')) throw new Error(`not a SIE row: ${row}`);
    const [label, ...fields] = sieFields(row) as [string, ...string[]];
    if (inBlock) {
      if (label !== '#TRANS') throw new Error(`unexpected ${label} inside a voucher`);
      const [account, objects, amount] = fields as [string, string, string];
      if (!/^\{.*\}$/.test(objects)) throw new Error(`#TRANS without object list: ${row}`);
      open?.transactions.push({ account, amountOre: amountToOre(amount) });
    } else if (label === '#VER') {
      const [series, number, date, vtext] = fields as [string, string, string, string];
      open = { series, number, date, text: vtext ?? '', transactions: [] };
    } else {
      (header[label] ??= []).push(fields);
    }
  }
  if (open || inBlock) throw new Error('file ends inside a voucher');
  return { header, vouchers };
}
