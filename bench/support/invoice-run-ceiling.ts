// The invoice run's ceiling: what this machine does at the same job without our code around it. A bare
// loop (better-sqlite3 or pg, hand-written SQL, no Kysely, no pricing, no rendering) that reads the same
// closed, uninvoiced incidents and their work entries of the month by customer, and per batch of 50
// customers, in one transaction each (the run's atomicity, ADR 0024), takes the number series' lock and
// writes for each customer a draft invoice row, one line per incident and per work entry, the invoiced
// incidents, the number and the issue. Run as a child process by bench/invoice-run.ts on a copy of the
// generated database:
//   tsx bench/support/invoice-run-ceiling.ts <database-url> <before-instant>
// Prints {"invoices":n,"lines":n} on standard output.
import { randomUUID } from 'node:crypto';
import SQLite from 'better-sqlite3';
import pg from 'pg';

interface Row {
  customer_id: string;
  id: string;
  ref: string;
  reported_at: string;
  start_at: string | null;
  end_at: string | null;
}

interface Engine {
  customerIds(): Promise<string[]>;
  /** The incidents (with their work entries) of the customers with ids in [first, last]. */
  page(first: string, last: string): Promise<Row[]>;
  /** Runs the statements in one transaction. */
  transaction(statements: [string, unknown[]][]): Promise<void>;
  close(): Promise<void>;
}

const PAGE_SQL = (p: (n: number) => string) => `
  select i.customer_id, i.id, i.ref, i.reported_at, w.start_at, w.end_at
  from incidents i left join work_entries w on w.incident_id = i.id
  where i.customer_id >= ${p(1)} and i.customer_id <= ${p(2)}
    and i.state = 'closed' and i.reported_at < ${p(3)}
    and not exists (select 1 from invoiced_incidents ii where ii.incident_id = i.id)
  order by i.customer_id, i.reported_at, i.id, w.start_at`;

function sqliteEngine(file: string, before: string): Engine {
  const db = new SQLite(file);
  db.pragma('journal_mode = WAL');
  db.pragma('foreign_keys = ON');
  db.pragma('synchronous = FULL');
  const page = db.prepare(PAGE_SQL(() => '?'));
  const cache = new Map<string, SQLite.Statement>();
  return {
    customerIds: async () =>
      (db.prepare('select id from customers order by id').all() as { id: string }[]).map((r) => r.id),
    page: async (first, last) => page.all(first, last, before) as Row[],
    transaction: async (statements) => {
      db.transaction(() => {
        for (const [text, params] of statements) {
          let st = cache.get(text);
          if (!st) cache.set(text, (st = db.prepare(text)));
          st.run(...params);
        }
      }).immediate();
    },
    close: async () => void db.close(),
  };
}

async function pgEngine(url: string, before: string): Promise<Engine> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const dollar = (text: string) => {
    let n = 0;
    return text.replace(/\?/g, () => `$${++n}`);
  };
  const pageText = PAGE_SQL((n) => `$${n}`);
  return {
    customerIds: async () =>
      (await client.query<{ id: string }>('select id from customers order by id')).rows.map((r) => r.id),
    page: async (first, last) => (await client.query<Row>(pageText, [first, last, before])).rows,
    transaction: async (statements) => {
      await client.query('begin');
      try {
        for (const [text, params] of statements) await client.query(dollar(text), params);
        await client.query('commit');
      } catch (error) {
        await client.query('rollback');
        throw error;
      }
    },
    close: () => client.end(),
  };
}

const LINE_COLUMNS =
  'id, invoice_id, position, kind, description, incident_id, incident_ref, service_date, quantity_milli, ' +
  'unit, unit_price_ore, base_quantity, factor_percent, amount_ore, vat_percent, account';
const LINE_PARAMS = 16;
/** As the run (ADR 0024): one transaction, and one wait for its commit, per this many customers. */
const CUSTOMERS_PER_TRANSACTION = 50;

async function main(): Promise<void> {
  const [url, before] = process.argv.slice(2) as [string, string];
  const engine = url.startsWith('sqlite:')
    ? sqliteEngine(url.slice('sqlite:'.length), before)
    : await pgEngine(url, before);
  const now = new Date().toISOString();
  let invoices = 0;
  let lines = 0;
  const customerIds = await engine.customerIds();
  for (let c = 0; c < customerIds.length; c += 500) {
    const page = customerIds.slice(c, c + 500);
    const rows = await engine.page(page[0] as string, page.at(-1) as string);
    const byCustomer = new Map<string, Row[]>();
    for (const row of rows) {
      const list = byCustomer.get(row.customer_id);
      if (list) list.push(row);
      else byCustomer.set(row.customer_id, [row]);
    }
    let statements: [string, unknown[]][] = [];
    let inBatch = 0;
    for (const [customerId, list] of byCustomer) {
      const invoiceId = randomUUID();
      if (inBatch === 0) {
        statements.push(['update number_sequences set next_value = next_value where name = ?', ['invoice']]);
      }
      statements.push([
        'insert into invoices (id, number, kind, status, run_id, customer_id, month, net_ore, vat_ore, ' +
          "rounding_ore, total_ore, seller, buyer, created_at) values (?, null, 'invoice', 'draft', null, " +
          "?, 'bench', 0, 0, 0, 0, '{}', '{}', ?)",
        [invoiceId, customerId, now],
      ]);
      const lineValues: unknown[] = [];
      const incidents = new Set<string>();
      for (const row of list) {
        const first = !incidents.has(row.id);
        incidents.add(row.id);
        // A start-fee line per incident and an hours line per work entry: about what the run writes.
        for (const kind of first ? ['start_fee', 'hours'] : ['hours']) {
          lineValues.push(
            randomUUID(),
            invoiceId,
            lineValues.length / LINE_PARAMS + 1,
            kind,
            `${kind} ${row.ref} ${row.start_at ?? row.reported_at}`,
            row.id,
            row.ref,
            row.reported_at.slice(0, 10),
            1000,
            'h',
            100_000,
            1,
            100,
            100_000,
            25,
            '3010',
          );
        }
      }
      for (let i = 0; i < lineValues.length; i += 400 * LINE_PARAMS) {
        const chunk = lineValues.slice(i, i + 400 * LINE_PARAMS);
        const tuples = Array.from(
          { length: chunk.length / LINE_PARAMS },
          () => `(${'?, '.repeat(LINE_PARAMS - 1)}?)`,
        );
        statements.push([`insert into invoice_lines (${LINE_COLUMNS}) values ${tuples.join(', ')}`, chunk]);
      }
      lines += lineValues.length / LINE_PARAMS;
      const ids = [...incidents];
      statements.push([
        `insert into invoiced_incidents (incident_id, invoice_id, created_at) values ${ids.map(() => '(?, ?, ?)').join(', ')}`,
        ids.flatMap((id) => [id, invoiceId, now]),
      ]);
      statements.push([
        'update number_sequences set next_value = next_value + 1 where name = ?',
        ['invoice'],
      ]);
      statements.push([
        "update invoices set status = 'issued', number = ?, issue_date = ?, due_date = ? where id = ?",
        [`C${invoices + 1}`, now.slice(0, 10), now.slice(0, 10), invoiceId],
      ]);
      invoices += 1;
      if (++inBatch === CUSTOMERS_PER_TRANSACTION) {
        await engine.transaction(statements);
        statements = [];
        inBatch = 0;
      }
    }
    if (statements.length > 0) await engine.transaction(statements);
  }
  await engine.close();
  process.stdout.write(`${JSON.stringify({ invoices, lines })}\n`);
}

await main();
