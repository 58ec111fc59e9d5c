import { toDbInstant } from '../../db/instant.js';
import type { Principal } from '../../domain/shared/roles.js';
import type { Tier } from '../../domain/shared/tier.js';
import type { AppContext } from '../app-context.js';
import { generateSecret } from '../auth/secrets.js';
import { createUser } from '../auth/users.js';
import { addContact } from '../customers/contacts.js';
import { createCustomer } from '../customers/create-customer.js';
import { addServer } from '../customers/servers.js';
import { createEngineer } from '../engineers/engineers.js';

const SYSTEM: Principal = {
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

/**
 * Fills a new database with a small believable company: customers of each tier with contacts and
 * servers, six engineers (one manager), and a primary/secondary weekly roster. Also creates the
 * administrator login with a random password, which is returned so the start-up log can show it once
 * (no shared default password, ASVS 2.5.4).
 */
export async function loadDemoData(ctx: AppContext): Promise<{ adminEmail: string; adminPassword: string }> {
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
  const adminEmail = 'admin@ballou.example';
  const adminPassword = generateSecret('demo').slice(0, 24);
  await createUser(ctx, SYSTEM, {
    email: adminEmail,
    name: 'Administratör',
    password: adminPassword,
    role: 'admin',
  });
  return { adminEmail, adminPassword };
}
