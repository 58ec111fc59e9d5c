/**
 * The intake ceiling, run as its own process like the real server: a bare Fastify app with the two
 * webhook routes, each checking the same credentials, parsing the same body (form or JSON) and writing one
 * row to the same kind of database, SQLite with the app's file settings (WAL, foreign keys, synchronous
 * FULL) or a PostgreSQL pool of the same size. Nothing else: no lookups, no incident, no jobs, no audit.
 * Settings as JSON in BENCH_BARE; prints `listening <port>` when ready.
 */
import { randomUUID, timingSafeEqual } from 'node:crypto';
import SQLite from 'better-sqlite3';
import Fastify from 'fastify';
import pg from 'pg';

export interface BareSettings {
  /** `sqlite:<file>` or a PostgreSQL URL. */
  databaseUrl: string;
  elksAuthorization: string;
  bearer: string;
}

const settings = JSON.parse(process.env.BENCH_BARE ?? '{}') as BareSettings;

const same = (a: string | undefined, b: string) =>
  a !== undefined && a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));

type Insert = (source: string, key: string, data: string) => Promise<void>;
let insert: Insert;
if (settings.databaseUrl.startsWith('sqlite:')) {
  const db = new SQLite(settings.databaseUrl.slice('sqlite:'.length));
  db.pragma('journal_mode = WAL');
  db.pragma('foreign_keys = ON');
  db.pragma('synchronous = FULL');
  db.pragma('busy_timeout = 5000');
  db.exec(
    'create table if not exists intake (id text primary key, source text not null, key text not null unique, data text not null, created_at text not null)',
  );
  const statement = db.prepare('insert into intake values (?, ?, ?, ?, ?)');
  insert = async (source, key, data) => {
    statement.run(randomUUID(), source, key, data, new Date().toISOString());
  };
} else {
  const pool = new pg.Pool({ connectionString: settings.databaseUrl, max: 10 });
  await pool.query(
    'create table if not exists intake (id text primary key, source text not null, key text not null unique, data text not null, created_at text not null)',
  );
  insert = async (source, key, data) => {
    await pool.query('insert into intake values ($1, $2, $3, $4, $5)', [
      randomUUID(),
      source,
      key,
      data,
      new Date().toISOString(),
    ]);
  };
}

const app = Fastify({ logger: false });
app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_req, text, done) =>
  done(null, new URLSearchParams(text as string)),
);
app.post('/api/v1/webhooks/46elks/voice', async (req, reply) => {
  if (!same(req.headers.authorization, settings.elksAuthorization)) return reply.code(401).send();
  const form = req.body as URLSearchParams;
  const callId = form.get('callid');
  if (!callId || !form.get('from')) return reply.code(400).send();
  await insert('46elks', callId, JSON.stringify(Object.fromEntries(form)));
  return { connect: '+46709100001' };
});
app.post('/api/v1/webhooks/alertmanager', async (req, reply) => {
  if (!same(req.headers.authorization, `Bearer ${settings.bearer}`)) return reply.code(401).send();
  const body = req.body as { groupKey?: string; alerts?: unknown[] };
  if (typeof body.groupKey !== 'string' || !Array.isArray(body.alerts)) return reply.code(400).send();
  await insert('alertmanager', body.groupKey, JSON.stringify(body.alerts));
  return {};
});
await app.listen({ port: 0, host: '127.0.0.1' });
const address = app.server.address();
process.stdout.write(`listening ${typeof address === 'object' && address ? address.port : 0}\n`);
