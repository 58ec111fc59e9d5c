/**
 * A support desk ready to page, written into a fresh database with the app's own bootstrap and use cases
 * before the server process is spawned on it: three engineers (primary, secondary, manager), rotations
 * that keep them on call around the clock, an Alertmanager and a PagerDuty integration, and extra closed
 * days around today so every report is a callout whatever the hour the test runs at (incidents in office
 * hours are not paged). Also the stand-in providers and the environment that points the server at them.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { sql } from 'kysely';
import { bootstrap } from '../../../src/app/bootstrap.js';
import { addContact } from '../../../src/app/customers/contacts.js';
import { createCustomer } from '../../../src/app/customers/create-customer.js';
import { createEngineer } from '../../../src/app/engineers/engineers.js';
import { createIntegration } from '../../../src/app/intake/integrations.js';
import { createRotation } from '../../../src/app/roster/rotations.js';
import { loadConfig } from '../../../src/config/config.js';
import { openDatabase, type DatabaseHandle } from '../../../src/db/database.js';
import { toDbInstant } from '../../../src/db/instant.js';
import { localDateOfInstant } from '../../../src/domain/calendar/instant.js';
import { start46elksStandIn, type ElksStandIn } from '../../stand-ins/elks-stand-in.js';
import { startSmtpStandIn, type SmtpStandIn } from '../../stand-ins/smtp-stand-in.js';
import { startTwilioStandIn, type TwilioStandIn } from '../../stand-ins/twilio-stand-in.js';
import { elksEnv, SYSTEM } from '../../integration/support/test-runtime.js';

export const ELKS_WEBHOOK_SECRET = 'crash-test-webhook-secret';
export const PHONES = { primary: '+46709100001', secondary: '+46709100002', manager: '+46709100006' };

export interface Desk {
  alertmanagerToken: string;
  pagerDutyRoutingKey: string;
  /** Phones of a customer's contacts: their calls join the customer's open incident. */
  contactPhones: string[];
}

const DAY_MS = 86_400_000;

/** Fills a new, empty database (migrating it first) with the desk; closes it again. */
export async function prepareDesk(databaseUrl: string): Promise<Desk> {
  const config = loadConfig({ BALLOU_DATABASE_URL: databaseUrl, BALLOU_DEMO_DATA: '0' }, os.tmpdir());
  const runtime = await bootstrap(config, pino({ level: 'silent' }), { loadDemo: false });
  const { ctx } = runtime;
  try {
    const nowMs = Date.now();
    const [primary, secondary] = await Promise.all(
      (['primary', 'secondary'] as const).map((role) =>
        createEngineer(ctx, SYSTEM, {
          name: `Jour ${role}`,
          phone: PHONES[role],
          email: `${role}@ballou.example`,
        }),
      ),
    );
    await createEngineer(ctx, SYSTEM, {
      name: 'Chef',
      phone: PHONES.manager,
      email: 'manager@ballou.example',
      manager: true,
    });
    const start = `${localDateOfInstant(nowMs - 2 * DAY_MS)}T08:00`;
    for (const [role, engineer] of [
      ['primary', primary],
      ['secondary', secondary],
    ] as const) {
      await createRotation(ctx, SYSTEM, {
        role,
        engineerIds: [engineer!.id],
        start,
        shiftHours: 24,
        handover: '08:00',
      });
    }
    // Closed days are the desk's own calendar configuration; there is no API for them yet.
    const dates = new Set([-1, 0, 1, 2].map((d) => localDateOfInstant(nowMs + d * DAY_MS)));
    await ctx.db
      .insertInto('closed_days')
      .values([...dates].map((date) => ({ date, name: 'Jourdag (test)', created_at: toDbInstant(nowMs) })))
      .execute();
    const am = await createIntegration(ctx, SYSTEM, { kind: 'alertmanager', name: 'Prometheus' });
    const pd = await createIntegration(ctx, SYSTEM, { kind: 'pagerduty', name: 'Zabbix' });
    const customer = await createCustomer(ctx, SYSTEM, {
      name: 'Nordhamn AB',
      orgNumber: '556677-0011',
      tier: 'hog',
      agreementStart: '2026-01-01',
    });
    const contactPhones = ['+46701234501', '+46701234502', '+46701234503'];
    for (const [i, phone] of contactPhones.entries()) {
      await addContact(ctx, SYSTEM, customer.id, { name: `Kontakt ${i + 1}`, phone });
    }
    return { alertmanagerToken: am.token, pagerDutyRoutingKey: pd.token, contactPhones };
  } finally {
    await runtime.database.close();
  }
}

export interface Providers {
  elks: ElksStandIn;
  twilio: TwilioStandIn;
  smtp: SmtpStandIn;
  /** Server settings pointing at the stand-ins. */
  env: Record<string, string>;
  close(): Promise<void>;
}

export async function startProviders(): Promise<Providers> {
  const [elks, twilio, smtp] = await Promise.all([
    start46elksStandIn(),
    startTwilioStandIn(),
    startSmtpStandIn(),
  ]);
  return {
    elks,
    twilio,
    smtp,
    env: {
      ...elksEnv(elks),
      BALLOU_46ELKS_FROM: '+46766860000',
      BALLOU_46ELKS_WEBHOOK_SECRET: ELKS_WEBHOOK_SECRET,
      BALLOU_TWILIO_API_URL: twilio.url,
      BALLOU_TWILIO_ACCOUNT_SID: twilio.accountSid,
      BALLOU_TWILIO_AUTH_TOKEN: twilio.authToken,
      BALLOU_TWILIO_FROM: '+46766860001',
      BALLOU_SMTP_URL: smtp.url,
    },
    close: async () => {
      await Promise.all([elks.close(), twilio.close(), smtp.close()]);
    },
  };
}

/** SMS pages the 46elks stand-in received for an incident (its reference is in the text), per phone. */
export function smsFor(elks: ElksStandIn, ref: string, phone?: string): number {
  return elks.sms.filter((s) => s.message.includes(`${ref} `) && (phone === undefined || s.to === phone))
    .length;
}

/** A read connection for the test's checks (the app's own database module, so both engines work). */
export function openForChecks(databaseUrl: string): DatabaseHandle {
  return openDatabase(databaseUrl);
}

/** SQLite's own consistency check of the file: 'ok' or the list of problems. */
export async function sqliteIntegrity(databaseUrl: string): Promise<string> {
  const handle = openDatabase(databaseUrl);
  try {
    const rows = await sql<{ integrity_check: string }>`pragma integrity_check`.execute(handle.db);
    return rows.rows.map((r) => r.integrity_check).join('\n');
  } finally {
    await handle.close();
  }
}

/**
 * The integrity check on a copy of a SQLite database as it lies on disk (the file and its WAL, not the
 * shared-memory index), so that opening it to check does not recover the original.
 */
export async function sqliteIntegrityOfCopy(databaseUrl: string, scratchDir: string): Promise<string> {
  const file = databaseUrl.slice('sqlite:'.length);
  const copy = fs.mkdtempSync(path.join(scratchDir, 'crash-image-'));
  try {
    for (const suffix of ['', '-wal']) {
      if (fs.existsSync(file + suffix))
        fs.copyFileSync(file + suffix, path.join(copy, `image.sqlite${suffix}`));
    }
    return await sqliteIntegrity(`sqlite:${path.join(copy, 'image.sqlite')}`);
  } finally {
    fs.rmSync(copy, { recursive: true, force: true });
  }
}
