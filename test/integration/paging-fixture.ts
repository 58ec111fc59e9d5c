/**
 * Shared set-up of the delivery-receipt and keypress tests: a night-time desk with a primary and a
 * secondary on call, a public URL on a free loopback port (providers sign and call it), and helpers that
 * open a fresh callout (a new customer each, so reports never attach to an earlier incident).
 */
import net from 'node:net';
import { jobHandlers } from '../../src/app/jobs/job-handlers.js';
import { JobWorker } from '../../src/app/jobs/job-worker.js';
import { startTestApp, type Dialect, type TestApp } from './support/test-runtime.js';

export const ANNA = '+46709000001';
export const BO = '+46709000002';
export const NIGHT = Date.parse('2026-12-02T03:00:00+01:00');
export const ELKS_SECRET = 'dlr-hemlighet-åäö';

export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

export interface PagingDesk {
  t: TestApp;
  base: string;
  admin: string;
  engineers: { anna: string; bo: string };
  drain(): Promise<void>;
  /** A new callout for a new customer; returns the incident id after step 0 has paged. */
  newCallout(summary: string): Promise<string>;
  timeline(incidentId: string): Promise<
    {
      type: string;
      at: string;
      actor: { name: string | null; id: string | null };
      data: Record<string, unknown>;
    }[]
  >;
  close(): Promise<void>;
}

/** A valid Swedish organisation number for test customer `i` (Luhn check digit). */
function orgNumber(i: number): string {
  const body = `5566${String(i).padStart(5, '0')}`;
  let sum = 0;
  for (let k = 0; k < 9; k++) {
    let d = Number(body[k]) * (k % 2 === 0 ? 2 : 1);
    if (d > 9) d -= 9;
    sum += d;
  }
  const check = (10 - (sum % 10)) % 10;
  return `${body.slice(0, 6)}-${body.slice(6)}${check}`;
}

export async function startPagingDesk(dialect: Dialect, env: Record<string, string>): Promise<PagingDesk> {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const t = await startTestApp(dialect, { BALLOU_PUBLIC_URL: base, ...env });
  await t.app.listen({ port, host: '127.0.0.1' });
  const worker = new JobWorker(t.ctx, { workerId: 'test', handlers: jobHandlers });
  const drain = async () => {
    while ((await worker.runOnce()) > 0) {
      /* until nothing is due */
    }
  };
  const admin = await t.token('admin');
  const engineer = async (name: string, phone: string) =>
    (
      await t.call('POST', '/api/v1/engineers', admin, {
        name,
        phone,
        email: `${name.toLowerCase()}@ballou.example`,
      })
    ).json().id as string;
  const engineers = { anna: await engineer('Anna', ANNA), bo: await engineer('Bo', BO) };
  for (const [role, who] of [
    ['primary', engineers.anna],
    ['secondary', engineers.bo],
  ] as const) {
    await t.call('POST', '/api/v1/rotations', admin, {
      role,
      engineerIds: [who],
      start: '2026-11-30T08:00',
      shiftHours: 24,
      handover: '08:00',
    });
  }
  t.clock.set(NIGHT);
  let customers = 0;
  return {
    t,
    base,
    admin,
    engineers,
    drain,
    async newCallout(summary) {
      customers += 1;
      const customer = await t.call('POST', '/api/v1/customers', admin, {
        name: `Kund ${customers} AB`,
        orgNumber: orgNumber(customers),
        tier: 'hog',
        agreementStart: '2026-01-01',
      });
      if (customer.statusCode !== 201) throw new Error(`customer: ${customer.body}`);
      const created = await t.call('POST', '/api/v1/incidents', admin, {
        customerId: customer.json().id,
        summary,
        channel: 'phone',
      });
      if (created.statusCode !== 201) throw new Error(`incident: ${created.body}`);
      await drain();
      return created.json().id as string;
    },
    async timeline(incidentId) {
      return (await t.call('GET', `/api/v1/incidents/${incidentId}`, admin)).json().timeline;
    },
    close: () => t.close(),
  };
}
