import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DESKTOP,
  E2E_ENABLED,
  launchBrowser,
  logIn,
  openPage,
  PHONE,
  type WatchedPage,
} from './support/browser.js';
import sv from '../../web/src/i18n/sv.json' with { type: 'json' };
import { PASSWORD, startE2eServer, type E2eServer } from './support/e2e-server.js';

interface Incident {
  id: string;
  state: string;
  acknowledgedAt: string | null;
  consent: { granted: boolean; via: string } | null;
  work: Array<{ note: string | null; engineerId: string }>;
  timeline: Array<{ type: string; data: { engineerIds?: string[] } }>;
}

/** Today's date in Stockholm, YYYY-MM-DD (the roster and the API read local times). */
const stockholmToday = () =>
  new Intl.DateTimeFormat('sv-SE', { timeZone: 'Europe/Stockholm' }).format(new Date());
const days = (n: number) => new Date(Date.now() + n * 86_400_000);
const stockholmDate = (d: Date) =>
  new Intl.DateTimeFormat('sv-SE', { timeZone: 'Europe/Stockholm' }).format(d);

async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe.skipIf(!E2E_ENABLED)('the web app in Chromium against the real server', () => {
  let server: E2eServer;
  let browser: Browser;
  const open: WatchedPage[] = [];
  const eng: Record<string, string> = {};
  let nordhamn: { id: string; serverId: string };
  let ekbacken: { id: string; serverId: string };

  const newPage = async (options: typeof PHONE | typeof DESKTOP) => {
    const watched = await openPage(browser, server.url, options);
    open.push(watched);
    return watched;
  };

  beforeAll(async () => {
    server = await startE2eServer();
    browser = await launchBrowser();
    // Today and the days around it are closed days: on-call time all day, so a report pages at once
    // whenever the suite runs.
    for (const d of [-1, 0, 1, 2])
      await server.ctx.db
        .insertInto('closed_days')
        .values({ date: stockholmDate(days(d)), name: 'e2e', created_at: new Date().toISOString() })
        .execute();
    for (const [key, name, phone] of [
      ['anna', 'Anna Andersson', '+46709000001'],
      ['bo', 'Bo Berglund', '+46709000002'],
      ['cecilia', 'Cecilia Carlsson', '+46709000003'],
    ] as const)
      eng[key] = (
        await server.api<{ id: string }>('POST', '/engineers', {
          name,
          phone,
          email: `${key}@ballou.example`,
        })
      ).id;
    await server.api('POST', '/engineers', {
      name: 'Frida Forsberg',
      phone: '+46709000006',
      email: 'frida@ballou.example',
      manager: true,
    });
    for (const [role, who] of [
      ['primary', eng.anna],
      ['secondary', eng.bo],
    ] as const)
      await server.api('POST', '/rotations', {
        role,
        engineerIds: [who],
        start: '2026-01-05T08:00',
        shiftHours: 168,
        handover: '08:00',
      });
    const customer = async (
      name: string,
      orgNumber: string,
      tier: string,
      phone: string,
      hostname: string,
    ) => {
      const c = await server.api<{ id: string }>('POST', '/customers', {
        name,
        orgNumber,
        tier,
        agreementStart: '2025-01-01',
      });
      await server.api('POST', `/customers/${c.id}/contacts`, { name: `Kontakt ${name}`, phone });
      const s = await server.api<{ id: string }>('POST', `/customers/${c.id}/servers`, { hostname });
      return { id: c.id, serverId: s.id };
    };
    nordhamn = await customer('Nordhamn Handel AB', '556677-0011', 'hog', '+46701234501', 'web1.nordhamn.se');
    ekbacken = await customer(
      'Ekbacken Bygg AB',
      '559012-3450',
      'incident',
      '+46701234503',
      'shop.ekbacken.se',
    );
    await server.user({ email: 'anna@ballou.example', role: 'engineer', engineerId: eng.anna });
    await server.user({ email: 'frida@ballou.example', role: 'manager' });
    await server.user({ email: 'maria@ekbacken.example', role: 'customer', customerId: ekbacken.id });
  });

  afterAll(async () => {
    for (const p of open) await p.context.close();
    await browser?.close();
    await server?.close();
  });

  it('an engineer on a phone acknowledges a page and logs work', async () => {
    const reported = await server.api<Incident>('POST', '/incidents', {
      customerId: nordhamn.id,
      serverId: nordhamn.serverId,
      summary: 'Webbshoppen svarar inte',
      channel: 'phone',
    });
    await until('the page to Anna', async () => {
      const i = await server.api<Incident>('GET', `/incidents/${reported.id}`);
      return i.timeline.some((e) => e.type === 'paged' && e.data.engineerIds?.includes(eng.anna as string))
        ? i
        : undefined;
    });
    const [catalogueAction] = await server.api<Array<{ key: string; titleSv: string }>>('GET', '/actions');
    if (!catalogueAction) throw new Error('the action catalogue is empty');
    const actionTitle = catalogueAction.titleSv;
    await server.api('POST', `/servers/${nordhamn.serverId}/authorizations`, {
      action: catalogueAction.key,
      automatic: false,
      withinResponsibility: true,
    });
    const anna = { email: 'anna@ballou.example', password: PASSWORD };
    const { page, errors, shot } = await newPage(PHONE);
    await logIn(page, anna.email, anna.password);
    await page.getByRole('heading', { name: 'Mina larm' }).waitFor();
    const card = page.getByTestId('incident-card').filter({ hasText: 'Webbshoppen svarar inte' });
    await card.waitFor();
    await shot('engineer-my-pages');
    await card.click();
    await page.getByRole('heading', { name: /^INC-/ }).waitFor();
    await expect(page.getByRole('link', { name: /Kontakt Nordhamn/ }).getAttribute('href')).resolves.toBe(
      'tel:+46701234501',
    );
    await page.getByRole('button', { name: 'Kvittera' }).click();
    await page.getByText('Kvitterad', { exact: true }).first().waitFor();
    await page.getByLabel('Vad gjordes').fill('Startade om webbservern');
    await page.getByRole('button', { name: 'Spara arbete' }).click();
    await page.getByRole('status').filter({ hasText: 'Arbetet är sparat.' }).waitFor();
    await page.getByText('Arbete registrerat').waitFor();
    // The timeline is the record: it names who was paged, not only that somebody was.
    await page.getByText('Till Anna Andersson', { exact: true }).first().waitFor();
    // Tier hog: no start fee, the first work priced by the hour.
    await page
      .getByTestId('incident-price')
      .filter({ hasText: /Pris hittills: .*kr exkl\. moms/ })
      .waitFor();
    await shot('engineer-incident');

    // One tap on a pre-authorized action. This server has no SSH details, so the server refuses the run
    // and the engineer reads why next to the button.
    await page.getByRole('button', { name: `Kör: ${actionTitle}` }).click();
    const panel = page.getByRole('region', { name: 'Förhandsgodkända åtgärder' });
    await panel.getByRole('alert').filter({ hasText: /SSH/ }).waitFor();
    await shot('engineer-action-run');

    // The duty board on the phone: cards in priority order rather than a wide table.
    await page.getByRole('button', { name: 'Öppna menyn' }).click();
    await page.getByRole('link', { name: 'Jourtavla' }).click();
    await page.getByRole('heading', { name: 'Jourtavla' }).waitFor();
    await page.getByTestId('incident-card').filter({ hasText: 'Webbshoppen svarar inte' }).waitFor();
    await shot('engineer-board-phone');

    // Once resolved, no action is offered any more (the server would refuse it); this incident has no
    // runs to keep on record (the refused one never started), so the panel is gone.
    await page.goBack();
    await page.getByRole('button', { name: 'Markera som löst' }).click();
    await page.getByText('Löst', { exact: true }).first().waitFor();
    await panel.waitFor({ state: 'detached' });
    expect(await page.getByRole('button', { name: `Kör: ${actionTitle}` }).count()).toBe(0);

    const after = await server.api<Incident>('GET', `/incidents/${reported.id}`);
    expect(after.acknowledgedAt).not.toBeNull();
    expect(after.work).toEqual([
      expect.objectContaining({ engineerId: eng.anna, note: 'Startade om webbservern' }),
    ]);
    expect(errors).toEqual([]);
  });

  it('a planner adds an override and sees the gap close', async () => {
    const today = stockholmToday();
    await server.api('POST', '/unavailability', {
      engineerId: eng.bo,
      start: `${today}T19:00`,
      end: `${today}T23:00`,
    });
    const planner = { email: 'frida@ballou.example', password: PASSWORD };
    const { page, errors, shot } = await newPage(DESKTOP);
    await logIn(page, planner.email, planner.password);
    await page.getByRole('heading', { name: 'Jourtavla' }).waitFor();
    await page.getByRole('link', { name: 'Jourschema' }).click();
    await page.getByTestId('gap-summary').filter({ hasText: '1 lucka' }).waitFor();
    await shot('planner-gap');
    const form = page.getByRole('form', { name: 'Lägg till ersättare' });
    await form.getByLabel('Tekniker').click();
    await page.getByRole('option', { name: 'Cecilia Carlsson' }).click();
    // The closing list lies over the days while it fades out (longer on a busy machine): a press there
    // would not reach the first day.
    await page.getByRole('listbox').waitFor({ state: 'hidden' });
    // Dragging across three days fills the form with them, midnight to midnight.
    const cells = page.getByTestId('planner-day');
    const first = (await cells.nth(0).boundingBox()) as {
      x: number;
      y: number;
      width: number;
      height: number;
    };
    const third = (await cells.nth(2).boundingBox()) as {
      x: number;
      y: number;
      width: number;
      height: number;
    };
    await page.mouse.move(first.x + 10, first.y + first.height - 5);
    await page.mouse.down();
    await page.mouse.move(third.x + 10, third.y + third.height - 5, { steps: 5 });
    await page.mouse.up();
    await expect.poll(() => form.getByLabel('Från').inputValue()).toMatch(/T00:00$/);
    const dragged = [await form.getByLabel('Från').inputValue(), await form.getByLabel('Till').inputValue()];
    expect(dragged[1]).toMatch(/T00:00$/);
    expect(
      Date.parse(`${dragged[1]?.slice(0, 10)}T12:00Z`) - Date.parse(`${dragged[0]?.slice(0, 10)}T12:00Z`),
    ).toBe(3 * 86_400_000);
    // A tap on the gap fills the form with its interval.
    await page.getByRole('button', { name: /^Lucka 19:00–23:00/ }).click();
    await expect(form.getByLabel('Från').inputValue()).resolves.toBe(`${today}T19:00`);
    await expect(form.getByLabel('Till').inputValue()).resolves.toBe(`${today}T23:00`);
    await form.getByLabel('Anledning').fill('Bo är ledig');
    await form.getByRole('button', { name: 'Lägg till' }).click();
    await page.getByTestId('gap-summary').filter({ hasText: 'Inga luckor' }).waitFor();
    await shot('planner-gap-closed');
    const gaps = await server.api<unknown[]>(
      'GET',
      `/oncall/gaps?from=${today}T00:00&to=${stockholmDate(days(1))}T00:00`,
    );
    expect(gaps).toEqual([]);
    expect(errors).toEqual([]);
  });

  it('a planner without an engineer of her own logs work for an engineer, and a missing choice is named', async () => {
    const incident = await server.api<Incident>('POST', '/incidents', {
      customerId: nordhamn.id,
      summary: 'Databasen är långsam',
      channel: 'phone',
    });
    const { page, errors, shot } = await newPage(DESKTOP);
    await logIn(page, 'frida@ballou.example', PASSWORD);
    await page.getByRole('heading', { name: 'Jourtavla' }).waitFor();
    await page.goto(`/incidents/${incident.id}`);
    const form = page.getByRole('form', { name: 'Registrera arbete' });
    await form.getByLabel('Vad gjordes').fill('Indexerade om tabellen');
    await form.getByRole('button', { name: 'Spara arbete' }).click();
    // The browser's required check stops it first; the field is named.
    await expect(
      form
        .getByLabel(/^Tekniker/)
        .evaluate((el) => (el as unknown as { validity: { valid: boolean } }).validity.valid),
    ).resolves.toBe(false);
    await form.getByLabel(/^Tekniker/).click();
    await page.getByRole('option', { name: 'Bo Berglund' }).click();
    await form.getByRole('button', { name: 'Spara arbete' }).click();
    await form.getByRole('status').filter({ hasText: 'Arbetet är sparat.' }).waitFor();
    await shot('planner-logs-work');
    const after = await server.api<Incident>('GET', `/incidents/${incident.id}`);
    expect(after.work).toEqual([
      expect.objectContaining({ engineerId: eng.bo, note: 'Indexerade om tabellen' }),
    ]);
    await server.api('POST', `/incidents/${incident.id}/resolve`, {});
    expect(errors).toEqual([]);
  });

  it('a customer reports an incident in the portal and gives consent', async () => {
    const maria = { email: 'maria@ekbacken.example', password: PASSWORD };
    const { page, errors, shot } = await newPage(PHONE);
    await logIn(page, maria.email, maria.password);
    await page.getByRole('heading', { name: 'Support' }).waitFor();
    await page.getByLabel('Vad har hänt?').fill('Kassan i butiken går inte att nå');
    await page.getByRole('button', { name: 'Skicka anmälan' }).click();
    await page.getByRole('heading', { name: /^INC-/ }).waitFor();
    const id = page.url().split('/incidents/')[1] as string;
    await page.getByText('Godkänner ni att Ballou påbörjar debiterbart arbete enligt prislistan?').waitFor();
    await shot('customer-consent');
    await page.getByRole('button', { name: 'Ja, påbörja arbetet' }).click();
    await page.getByText(/Arbetet godkänt av/).waitFor();
    await shot('customer-consent-given');
    const incident = await server.api<Incident & { customerId: string; channel: string }>(
      'GET',
      `/incidents/${id}`,
    );
    expect(incident).toMatchObject({
      customerId: ekbacken.id,
      channel: 'portal',
      consent: { granted: true, via: 'portal' },
    });
    expect(errors).toEqual([]);
  });

  it('a customer approves work from the one-time link in the SMS, without logging in', async () => {
    const incident = await server.api<Incident>('POST', '/incidents', {
      customerId: ekbacken.id,
      serverId: ekbacken.serverId,
      summary: 'Webbshopen visar fel 500',
      channel: 'phone',
    });
    const { url } = await server.api<{ url: string }>('POST', `/incidents/${incident.id}/consent-link`, {});
    const token = new URL(url).pathname.split('/').at(-1) as string;
    // The SMS goes out through the outbox to the customer's contact.
    const sms = await until('the consent SMS', async () =>
      server.elks.sms.find((m) => m.message.includes(token)),
    );
    expect(sms.to).toBe('+46701234503');
    const { page, errors, shot } = await newPage(PHONE);
    await page.goto(`/consent/${token}`);
    await page.getByText('Webbshopen visar fel 500').waitFor();
    await shot('consent-link');
    await page.getByRole('button', { name: 'Ja, påbörja arbetet' }).click();
    await page.getByRole('status').filter({ hasText: 'Arbetet är godkänt' }).waitFor();
    const after = await server.api<Incident>('GET', `/incidents/${incident.id}`);
    expect(after.consent).toMatchObject({ granted: true, via: 'portal' });
    await page.reload();
    await page.getByText('Länken har redan använts.').waitFor();
    expect(errors).toEqual([]);
  });

  it('a customer keeps its contacts and pre-authorized actions for its own servers', async () => {
    const { page, errors, shot } = await newPage(PHONE);
    await logIn(page, 'maria@ekbacken.example', PASSWORD);
    await page.getByRole('heading', { name: 'Support' }).waitFor();
    await page.getByRole('button', { name: 'Öppna menyn' }).click();
    await page.getByRole('link', { name: 'Kontakter' }).click();
    const contactForm = page.getByRole('form', { name: 'Lägg till kontaktperson' });
    await contactForm.getByLabel(/^Namn/).fill('Nattvakten');
    await contactForm.getByLabel(/^Telefon/).fill('0701234');
    await contactForm.getByRole('button', { name: 'Lägg till' }).click();
    // The server's answer names the field; it shows under the phone number, in Swedish.
    await contactForm
      .getByText('måste vara ett telefonnummer med landsnummer, t.ex. +46701234567')
      .first()
      .waitFor();
    await contactForm.getByLabel(/^Telefon/).fill('+46701234599');
    await contactForm.getByRole('button', { name: 'Lägg till' }).click();
    await page.getByRole('cell', { name: 'Nattvakten' }).first().waitFor();
    await shot('customer-contacts-added');
    const authForm = page.getByRole('form', { name: 'Godkänn en åtgärd på shop.ekbacken.se' });
    await authForm.getByLabel(/^Åtgärd/).click();
    await page.getByRole('option').first().click();
    await authForm.getByRole('button', { name: 'Godkänn' }).click();
    await page.getByRole('button', { name: /^Återkalla .* på shop\.ekbacken\.se$/ }).waitFor();
    await shot('customer-contacts');
    const contacts = await server.api<Array<{ name: string; phone: string }>>(
      'GET',
      `/customers/${ekbacken.id}/contacts`,
    );
    expect(contacts).toContainEqual(expect.objectContaining({ name: 'Nattvakten', phone: '+46701234599' }));
    const authorizations = await server.api<Array<{ manual: boolean; automatic: boolean }>>(
      'GET',
      `/servers/${ekbacken.serverId}/authorizations`,
    );
    expect(authorizations).toEqual([expect.objectContaining({ manual: true, automatic: false })]);
    expect(errors).toEqual([]);
  });

  it("a customer cannot open another customer's incident by its URL", async () => {
    const other = await server.api<Incident>('POST', '/incidents', {
      customerId: nordhamn.id,
      summary: 'Hemlig incident hos Nordhamn',
    });
    const maria = { email: 'maria@ekbacken.example', password: PASSWORD };
    const { page, errors, shot } = await newPage(PHONE);
    await logIn(page, maria.email, maria.password);
    await page.getByRole('heading', { name: 'Support' }).waitFor();
    const answer = page.waitForResponse((r) => r.url().endsWith(`/api/v1/incidents/${other.id}`));
    await page.goto(`/incidents/${other.id}`);
    expect((await answer).status()).toBe(404);
    await page.getByText('Hittades inte').waitFor();
    await expect(page.content()).resolves.not.toContain('Hemlig incident');
    await expect(page.content()).resolves.not.toContain('Nordhamn');
    await shot('customer-other-incident');
    expect(errors).toEqual([]);
  });

  it('a manager creates a customer, adds a server and changes the agreement', async () => {
    const { page, errors, shot } = await newPage(DESKTOP);
    // By keyboard only: the fields are labelled and the form submits with Enter.
    await page.goto('/login');
    await page.getByLabel(/^E-postadress/).focus();
    await page.keyboard.type('frida@ballou.example');
    await page.keyboard.press('Tab');
    await page.keyboard.type(PASSWORD);
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Jourtavla' }).waitFor();
    await page.getByRole('link', { name: 'Kunder' }).click();
    const form = page.getByRole('form', { name: 'Ny kund' });
    await form.getByRole('button', { name: 'Skapa kund' }).click();
    // The browser's own required-field check stops an empty form; a bad org number reaches the server.
    await form.getByLabel(/^Namn/).fill('Hallonbergs Café AB');
    await form.getByLabel(/^Organisationsnummer/).fill('12');
    await form.getByRole('button', { name: 'Skapa kund' }).click();
    await form.getByRole('alert').waitFor();
    await shot('customers-error');
    await form.getByLabel(/^Organisationsnummer/).fill('556900-7775');
    await form.getByRole('button', { name: 'Skapa kund' }).click();
    await page.getByRole('heading', { name: 'Hallonbergs Café AB' }).waitFor();
    const details = page.getByRole('form', { name: 'Uppgifter' });
    await details.getByLabel(/^Fakturaadress/).fill('faktura@hallonberg.se');
    await details.getByRole('button', { name: 'Spara' }).click();
    await details.getByRole('status').waitFor();
    await page.getByLabel(/^Värdnamn/).fill('kassa.hallonberg.se');
    await page.getByRole('button', { name: 'Lägg till server' }).click();
    await page.getByRole('cell', { name: 'kassa.hallonberg.se' }).waitFor();
    const tomorrow = stockholmDate(days(1));
    await page.getByLabel('Gäller från').fill(tomorrow);
    await page.getByRole('button', { name: 'Byt avtal' }).click();
    await page.getByRole('cell', { name: 'Hög servicenivå' }).waitFor();
    await shot('customer-admin');
    const customers = await server.api<{
      items: Array<{
        name: string;
        orgNumber: string;
        invoiceEmail: string | null;
        tiers: Array<{ tier: string; validFrom: string }>;
      }>;
    }>('GET', '/customers');
    const created = customers.items.find((c) => c.name === 'Hallonbergs Café AB');
    expect(created?.orgNumber).toBe('556900-7775');
    expect(created).toMatchObject({ invoiceEmail: 'faktura@hallonberg.se' });
    expect(created?.tiers).toContainEqual(expect.objectContaining({ tier: 'hog', validFrom: tomorrow }));
    expect(errors).toEqual([]);
  });

  it('a manager reads the SLA report with its charts', async () => {
    const { page, errors, shot } = await newPage(DESKTOP);
    await logIn(page, 'frida@ballou.example', PASSWORD);
    await page.getByRole('heading', { name: 'Jourtavla' }).waitFor();
    await page.getByRole('link', { name: 'Rapporter' }).click();
    await page.getByRole('heading', { name: 'Utryckningar per månad och avtal' }).waitFor();
    const customers = page.getByTestId('report-customers');
    await customers.getByRole('cell', { name: 'Nordhamn Handel AB' }).waitFor();
    await page
      .getByTestId('report-response')
      .getByText(/Median .* min/)
      .waitFor();
    expect(await page.locator('.recharts-bar-rectangle').count()).toBeGreaterThan(0);
    await shot('reports');
    expect(errors).toEqual([]);
  });

  it('an administrator reads the audit log and narrows it to one kind of event', async () => {
    const admin = await server.user({ email: 'granskare@ballou.example', role: 'admin' });
    const { page, errors, shot } = await newPage(DESKTOP);
    await logIn(page, admin.email, PASSWORD);
    await page.getByRole('link', { name: 'Granskningslogg' }).click();
    await page.getByRole('heading', { name: 'Granskningslogg' }).waitFor();
    // Newest first: the administrator's own login is on top.
    await expect(page.locator('tbody tr').first().innerText()).resolves.toContain('auth.login');
    await page.getByLabel('Händelse').fill('customer.created');
    await page.locator('tbody tr').filter({ hasText: 'auth.login' }).first().waitFor({ state: 'detached' });
    const actions = await page.locator('tbody tr td:nth-child(3)').allInnerTexts();
    expect(actions.length).toBeGreaterThan(0);
    expect(new Set(actions)).toEqual(new Set(['customer.created']));
    await shot('admin-audit-log');
    expect(errors).toEqual([]);
  });

  it('billing invoices last month and credits an invoice', async () => {
    await server.user({ email: 'ekonomi@ballou.example', role: 'billing' });
    const { page, errors, shot } = await newPage(DESKTOP);
    await logIn(page, 'ekonomi@ballou.example', PASSWORD);
    await page.getByRole('heading', { name: 'Rapporter' }).waitFor();
    await page.getByRole('link', { name: 'Fakturering' }).click();
    // Review first: the would-be invoice with its lines, total and a PDF preview, nothing issued yet.
    await page.getByRole('button', { name: 'Förhandsgranska' }).click();
    const previewed = page
      .getByTestId('invoice-preview')
      .getByTestId('preview-invoice')
      .filter({ hasText: 'Nordhamn Handel AB' });
    await previewed.waitFor();
    expect(await previewed.getByRole('row').count()).toBeGreaterThan(1);
    const previewPdf = await previewed
      .getByRole('link', { name: 'PDF-förhandsgranskning' })
      .getAttribute('href');
    expect(previewPdf).toMatch(/^\/api\/v1\/invoice-runs\/preview\.pdf\?month=\d{4}-\d{2}&customerId=/);
    const previewTotal = (await previewed.getByTestId('preview-total').innerText()).trim();
    expect(previewTotal).toMatch(/\d/);
    await shot('billing-preview');
    await page.getByRole('button', { name: 'Fakturera månaden' }).click();
    await page
      .getByRole('status')
      .filter({ hasText: /fakturor? skapade?/ })
      .waitFor();
    const invoices = page.getByTestId('invoices');
    const row = invoices.getByRole('row').filter({ hasText: 'Nordhamn Handel AB' });
    expect((await row.getByRole('cell').nth(4).innerText()).trim()).toBe(previewTotal);
    await row.getByRole('button', { name: 'Visa rader' }).click();
    await shot('billing-invoices');
    await page.getByLabel(/^Anledning till kreditering/).fill('Fel avtal fakturerat');
    await page.getByRole('button', { name: 'Kreditera hela fakturan' }).click();
    await page
      .getByRole('status')
      .filter({ hasText: /Kreditnota \d+ är skapad/ })
      .waitFor();
    await shot('billing-credit-note');
    const { items } = await server.api<{
      items: Array<{ kind: string; reason: string | null; totalOre: number }>;
    }>('GET', '/invoices?kind=credit_note');
    expect(items).toEqual([expect.objectContaining({ kind: 'credit_note', reason: 'Fel avtal fakturerat' })]);
    expect(items[0]?.totalOre).toBeLessThan(0);
    expect(errors).toEqual([]);
  });

  it('is installable: a web manifest with icons', async () => {
    const { page, errors } = await newPage(PHONE);
    await page.goto('/login');
    const href = await page.locator('link[rel=manifest]').getAttribute('href');
    const manifest = (await (await fetch(new URL(href as string, server.url))).json()) as {
      icons: Array<{ src: string; type: string }>;
    };
    expect(manifest).toMatchObject({ display: 'standalone', start_url: '/' });
    for (const icon of manifest.icons) {
      const res = await fetch(new URL(icon.src, server.url));
      expect(res.status, icon.src).toBe(200);
      expect(res.headers.get('content-type')).toContain(icon.type);
    }
    expect(errors).toEqual([]);
  });

  it('shows every screen of every role in Swedish and English without a missing text or a console error', async () => {
    await server.user({ email: 'ekonomi2@ballou.example', role: 'billing' });
    const admin = await server.user({ email: 'chefen@ballou.example', role: 'admin' });
    // A missing translation renders as its key, e.g. "planner.title".
    const namespaces = Object.keys(sv).join('|');
    const rawKey = new RegExp(`\\b(${namespaces})\\.[a-zA-Z_.]+\\b`);
    for (const email of [
      admin.email,
      'anna@ballou.example',
      'ekonomi2@ballou.example',
      'maria@ekbacken.example',
    ]) {
      const { page, errors } = await newPage(DESKTOP);
      await logIn(page, email, PASSWORD);
      const nav = page.getByRole('navigation', { name: 'Huvudmeny' });
      await nav.waitFor();
      const links = await nav
        .getByRole('link')
        .evaluateAll((as) => as.map((a) => a.getAttribute('href') as string));
      for (const language of ['SV', 'EN']) {
        await page.getByText(language, { exact: true }).first().click();
        for (const href of links) {
          await page.goto(href);
          await page.getByRole('heading', { level: 2 }).first().waitFor();
          await page.waitForLoadState('networkidle');
          // Machine codes shown as such (<code>: the audit log's event codes and data) are not UI text.
          const text = (await page.evaluate(`(() => {
            const body = document.body.cloneNode(true);
            for (const code of body.querySelectorAll('code')) code.remove();
            document.documentElement.append(body);
            const visible = body.innerText;
            body.remove();
            return visible;
          })()`)) as string;
          expect(text, `${email} ${language} ${href}`).not.toMatch(rawKey);
        }
      }
      expect(errors, email).toEqual([]);
    }
  }, 180_000);

  it('shows the duty board live in English', async () => {
    const planner = { email: 'frida@ballou.example', password: PASSWORD };
    const { page, errors, shot } = await newPage(DESKTOP);
    await logIn(page, planner.email, planner.password);
    await page.getByRole('heading', { name: 'Jourtavla' }).waitFor();
    await page.getByText('EN', { exact: true }).click();
    await page.getByRole('heading', { name: 'Duty board' }).waitFor();
    await page.getByText('Live', { exact: true }).waitFor();
    const solvik = await server.api<{ id: string }>('POST', '/customers', {
      name: 'Solvik Media AB',
      orgNumber: '556677-0029',
      tier: 'none',
      agreementStart: '2025-01-01',
    });
    await server.api('POST', '/incidents', { customerId: solvik.id, summary: 'Ny händelse via strömmen' });
    await page.getByText('Ny händelse via strömmen').waitFor();
    await shot('board-en');
    expect(errors).toEqual([]);
  });
});
