import { toDbInstant } from '../../db/instant.js';
import type { Principal, Role } from '../../domain/shared/roles.js';
import type { Tier } from '../../domain/shared/tier.js';
import type { AppContext } from '../app-context.js';
import { generateSecret } from '../auth/secrets.js';
import { createUser, type CreateUserInput } from '../auth/users.js';
import { addContact } from '../customers/contacts.js';
import { createCustomer } from '../customers/create-customer.js';
import { addServer } from '../customers/servers.js';
import { createEngineer } from '../engineers/engineers.js';

/** Who made the demo: the audit log names "demo data". */
export const SYSTEM: Principal = {
  kind: 'system',
  id: 'system',
  role: 'admin',
  customerId: null,
  name: 'demo data',
};

interface DemoCustomer {
  name: string;
  orgNumber: string;
  tier: Tier;
  city: string;
  contact: [string, string];
  servers: string[];
}

const CUSTOMERS: DemoCustomer[] = [
  {
    name: 'Nordhamn Handel AB',
    orgNumber: '556677-0011',
    tier: 'hog',
    city: 'Stockholm',
    contact: ['Karin Nordin', '+46701234501'],
    servers: ['web1.nordhamn.se', 'db1.nordhamn.se'],
  },
  {
    name: 'Solvik Media AB',
    orgNumber: '556677-0029',
    tier: 'hog',
    city: 'Göteborg',
    contact: ['Johan Berg', '+46701234502'],
    servers: ['www.solvik.se'],
  },
  {
    name: 'Ekbacken Bygg AB',
    orgNumber: '559012-3450',
    tier: 'incident',
    city: 'Uppsala',
    contact: ['Maria Ek', '+46701234503'],
    servers: ['shop.ekbacken.se'],
  },
  {
    name: 'Lindqvist Konsult AB',
    orgNumber: '556123-4567',
    tier: 'incident',
    city: 'Malmö',
    contact: ['Per Lindqvist', '+46701234504'],
    servers: ['app.lindqvist.se'],
  },
  {
    name: 'Föreningen Bryggan',
    orgNumber: '802400-1235',
    tier: 'none',
    city: 'Västerås',
    contact: ['Sara Holm', '+46701234505'],
    servers: ['bryggan.org'],
  },
  {
    name: 'Hallonbergs Café AB',
    orgNumber: '556900-7775',
    tier: 'none',
    city: 'Sundbyberg',
    contact: ['Ali Hassan', '+46701234506'],
    servers: [],
  },
];

const ENGINEERS: Array<{ name: string; phone: string; email: string; manager?: boolean }> = [
  { name: 'Anna Andersson', phone: '+46709000001', email: 'anna@ballou.example' },
  { name: 'Bo Berglund', phone: '+46709000002', email: 'bo@ballou.example' },
  { name: 'Cecilia Carlsson', phone: '+46709000003', email: 'cecilia@ballou.example' },
  { name: 'David Dahl', phone: '+46709000004', email: 'david@ballou.example' },
  { name: 'Erik Ek', phone: '+46709000005', email: 'erik@ballou.example' },
  { name: 'Frida Forsberg', phone: '+46709000006', email: 'frida@ballou.example', manager: true },
];

/** Weekly rotations handing over Monday 08:00 local; primary and secondary lists never share a person. */
const ROTATION_START = '2026-01-05T07:00:00.000Z'; // Monday 2026-01-05 08:00 in Stockholm

/** One login of the demo, shown once on the terminal (never logged). */
export interface DemoLogin {
  role: Role;
  email: string;
  password: string;
}

export interface DemoLogins {
  /** Every role's login, the administrator first. */
  logins: DemoLogin[];
}

/**
 * Fills a new database with a small believable company: customers of each tier with contacts and
 * servers, six engineers (one manager), and a primary/secondary weekly roster. Also creates one login per
 * role (administrator, manager, an engineer on the primary rotation, billing, and a user of the first
 * customer), each with its own random password, returned so the start-up message can show them once (no
 * shared default password, ASVS 2.5.4). Addresses are on .example (RFC 2606), so nothing is ever mailed.
 */
export async function loadDemoData(ctx: AppContext): Promise<DemoLogins> {
  const customerIds: string[] = [];
  for (const c of CUSTOMERS) {
    const customer = await createCustomer(ctx, SYSTEM, {
      name: c.name,
      orgNumber: c.orgNumber,
      vatNumber: `SE${c.orgNumber.replace('-', '')}01`,
      tier: c.tier,
      agreementStart: '2025-01-01',
      address: { street: 'Storgatan 1', postalCode: '111 22', city: c.city, country: 'SE' },
      invoiceEmail: `faktura@${c.servers[0]?.split('.').slice(-2).join('.') ?? 'example.se'}`,
      appOnCall:
        c.tier === 'hog' ? { name: `${c.contact[0]} (app)`, phone: c.contact[1].replace(/\d$/, '9') } : null,
    });
    customerIds.push(customer.id);
    await addContact(ctx, SYSTEM, customer.id, { name: c.contact[0], phone: c.contact[1] });
    for (const hostname of c.servers) await addServer(ctx, SYSTEM, customer.id, { hostname });
  }
  const engineerIds: string[] = [];
  for (const e of ENGINEERS) engineerIds.push((await createEngineer(ctx, SYSTEM, e)).id);
  const now = toDbInstant(ctx.clock.now());
  await ctx.db.transaction().execute(async (trx) => {
    const rotations: Array<{ role: 'primary' | 'secondary'; members: string[] }> = [
      { role: 'primary', members: engineerIds.slice(0, 3) },
      { role: 'secondary', members: engineerIds.slice(3, 5) },
    ];
    for (const r of rotations) {
      const id = ctx.newId();
      await trx
        .insertInto('rotations')
        .values({
          id,
          name: r.role === 'primary' ? 'Primärjour' : 'Sekundärjour',
          role: r.role,
          start_at: ROTATION_START,
          shift_hours: 168,
          handover: '08:00',
          end_at: null,
          created_at: now,
        })
        .execute();
      await trx
        .insertInto('rotation_members')
        .values(r.members.map((engineer_id, position) => ({ rotation_id: id, position, engineer_id })))
        .execute();
    }
  });
  const accounts: Array<Omit<CreateUserInput, 'password'> & { role: Role }> = [
    { role: 'admin', email: 'admin@ballou.example', name: 'Administratör' },
    { role: 'manager', email: 'manager@ballou.example', name: 'Planerare (demo)' },
    // Anna is on the primary rotation, so her phone screens show shifts and pages.
    {
      role: 'engineer',
      email: 'engineer@ballou.example',
      name: ENGINEERS[0]?.name ?? 'Tekniker',
      engineerId: engineerIds[0] ?? null,
    },
    { role: 'billing', email: 'billing@ballou.example', name: 'Ekonomi (demo)' },
    {
      role: 'customer',
      email: 'customer@nordhamn.example',
      name: CUSTOMERS[0]?.contact[0] ?? 'Kund',
      customerId: customerIds[0] ?? null,
    },
  ];
  const logins: DemoLogin[] = [];
  for (const account of accounts) {
    const password = generateSecret('demo').slice(0, 24);
    await createUser(ctx, SYSTEM, { ...account, password });
    logins.push({ role: account.role, email: account.email, password });
  }
  return { logins };
}

/** The start-up message's table of demo logins: role, e-mail and password in aligned columns. */
export function formatDemoLogins(logins: DemoLogin[]): string {
  const rows = [['Role', 'E-mail', 'Password'], ...logins.map((l) => [l.role, l.email, l.password])];
  const widths = [0, 1].map((i) => Math.max(...rows.map((r) => (r[i] as string).length)));
  const lines = rows.map(
    ([role, email, password]) =>
      `  ${(role as string).padEnd(widths[0] as number)}  ${(email as string).padEnd(widths[1] as number)}  ${password}`,
  );
  return `\n  Demo administrator and one login per role (passwords shown once):\n\n${lines.join('\n')}\n\n`;
}
