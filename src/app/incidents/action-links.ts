import type { DbOrTrx } from '../../db/database.js';
import { toDbInstant } from '../../db/instant.js';
import { findContact, findCustomer, listContacts } from '../../db/repositories/customer.repository.js';
import { findEngineer } from '../../db/repositories/engineer.repository.js';
import {
  findActionLinkByHash,
  insertActionLink,
  useActionLinkRow,
} from '../../db/repositories/incident.repository.js';
import { decideConsent } from '../../domain/incidents/decide.js';
import type { Actor } from '../../domain/incidents/timeline.js';
import { DomainError } from '../../domain/shared/domain-error.js';
import type { Principal } from '../../domain/shared/roles.js';
import { appendAudit } from '../../db/repositories/audit.repository.js';
import { requireRole } from '../access.js';
import type { AppContext } from '../app-context.js';
import { generateSecret, hashSecret } from '../auth/secrets.js';
import { enqueueMessage } from '../messaging/enqueue-message.js';
import { swedishTime } from '../roster/roster-jobs.js';
import { acknowledgeInTransaction } from './incident-commands.js';
import { appendIncidentEvent, loadIncident } from './incident-state.js';

const ACK_LINK_TTL_MS = 24 * 3_600_000;
const CONSENT_LINK_TTL_MS = 2 * 3_600_000;

/** The public address of a one-time link (a short path that fits in an SMS). */
export function actionLinkUrl(ctx: AppContext, token: string): string {
  return new URL(`/l/${token}`, ctx.config.publicUrl).toString();
}

/** A link with which an engineer acknowledges a page without logging in (it names the engineer). */
export async function createAckLink(
  db: DbOrTrx,
  ctx: AppContext,
  incidentId: string,
  engineerId: string,
): Promise<string> {
  const token = generateSecret('a').replace(/^a_/, '');
  const nowMs = ctx.clock.now();
  await insertActionLink(db, {
    id: ctx.newId(),
    kind: 'ack',
    incident_id: incidentId,
    engineer_id: engineerId,
    contact_name: null,
    token_hash: hashSecret(token),
    expires_at: toDbInstant(nowMs + ACK_LINK_TTL_MS),
    used_at: null,
    created_at: toDbInstant(nowMs),
  });
  return actionLinkUrl(ctx, token);
}

/**
 * Sends the customer a one-time link (SMS, valid two hours) on which they approve or refuse billable
 * work; the decision is recorded as given via the portal by the named contact.
 */
export async function sendConsentLink(
  ctx: AppContext,
  principal: Principal,
  incidentId: string,
  input: { contactId?: string | null },
): Promise<{ url: string; expiresAt: string; sentTo: string }> {
  requireRole(principal, ['admin', 'manager', 'engineer']);
  return ctx.db.transaction().execute(async (trx) => {
    const loaded = await loadIncident(trx, ctx, incidentId, true);
    if (!loaded.status.consentRequired) {
      throw new DomainError('TRANSITION_NOT_ALLOWED', 'this incident needs no consent (tier hog)');
    }
    // The contact named, else the one who reported it, else the customer's only contact.
    const only = loaded.row.customer_id ? await listContacts(trx, loaded.row.customer_id) : [];
    const contactId =
      input.contactId ?? loaded.row.contact_id ?? (only.length === 1 ? only[0]?.id : undefined);
    const contact = contactId ? await findContact(trx, contactId) : undefined;
    if (!contact || contact.customer_id !== loaded.row.customer_id) {
      throw new DomainError('VALIDATION_FAILED', "/contactId: name one of the customer's contacts", [
        { path: '/contactId', message: "must be one of the customer's contacts" },
      ]);
    }
    const token = generateSecret('c').replace(/^c_/, '');
    const nowMs = ctx.clock.now();
    const expiresAt = toDbInstant(nowMs + CONSENT_LINK_TTL_MS);
    await insertActionLink(trx, {
      id: ctx.newId(),
      kind: 'consent',
      incident_id: incidentId,
      engineer_id: null,
      contact_name: contact.name,
      token_hash: hashSecret(token),
      expires_at: expiresAt,
      used_at: null,
      created_at: toDbInstant(nowMs),
    });
    const url = actionLinkUrl(ctx, token);
    await enqueueMessage(trx, ctx, {
      channel: 'sms',
      to: contact.phone,
      body: `Ballou ${loaded.row.ref}: godkänn eller avböj debiterbart arbete här (giltig till ${swedishTime(nowMs + CONSENT_LINK_TTL_MS)}): ${url}`,
      incidentId,
    });
    await appendAudit(trx, {
      atMs: nowMs,
      actor: { type: principal.kind, id: principal.id, name: principal.name },
      action: 'incident.consent_link_sent',
      entityType: 'incident',
      entityId: incidentId,
      customerId: loaded.row.customer_id,
      data: { contactId: contact.id },
    });
    return { url, expiresAt, sentTo: contact.phone };
  });
}

export interface ActionLinkView {
  kind: 'ack' | 'consent';
  /** False when expired or already used: the page says so instead of offering the buttons. */
  usable: boolean;
  used: boolean;
  expired: boolean;
  incident: {
    ref: string;
    customerName: string | null;
    summary: string;
    tier: string;
    reportedAt: string;
    state: string;
  };
  /** Whom the link speaks for: the engineer (ack) or the customer's contact (consent). */
  for: string | null;
}

async function findLink(ctx: AppContext, token: string) {
  const link = await findActionLinkByHash(ctx.db, hashSecret(token));
  if (!link) throw new DomainError('NOT_FOUND', 'this link is unknown');
  return link;
}

/** What a link is for, without using it (link previews and the page's first view). */
export async function describeActionLink(ctx: AppContext, token: string): Promise<ActionLinkView> {
  const link = await findLink(ctx, token);
  const loaded = await loadIncident(ctx.db, ctx, link.incident_id);
  const customer = loaded.row.customer_id ? await findCustomer(ctx.db, loaded.row.customer_id) : undefined;
  const engineer = link.engineer_id ? await findEngineer(ctx.db, link.engineer_id) : undefined;
  const expired = Date.parse(link.expires_at) <= ctx.clock.now();
  const used = link.used_at !== null;
  return {
    kind: link.kind,
    usable: !expired && !used,
    used,
    expired,
    incident: {
      ref: loaded.row.ref,
      customerName: customer?.name ?? null,
      summary: loaded.row.summary,
      tier: loaded.facts.tier,
      reportedAt: swedishTime(loaded.facts.reportedAtMs),
      state: loaded.status.state,
    },
    for: engineer?.name ?? link.contact_name,
  };
}

/**
 * Uses a link once: an acknowledgement by the engineer it names, or the contact's consent decision
 * (via portal). Expired or used links are refused and change nothing.
 */
export async function useActionLink(
  ctx: AppContext,
  token: string,
  input: { granted?: boolean },
): Promise<{ kind: 'ack' | 'consent'; ref: string; granted?: boolean }> {
  const link = await findLink(ctx, token);
  return ctx.db.transaction().execute(async (trx) => {
    const nowMs = ctx.clock.now();
    if (Date.parse(link.expires_at) <= nowMs) throw new DomainError('CONFLICT', 'this link has expired');
    if (!(await useActionLinkRow(trx, link.id, toDbInstant(nowMs))))
      throw new DomainError('CONFLICT', 'this link has been used already');
    if (link.kind === 'ack') {
      const engineer = link.engineer_id ? await findEngineer(trx, link.engineer_id) : undefined;
      const actor: Actor = { type: 'engineer', id: engineer?.id ?? null, name: engineer?.name ?? null };
      const { ref } = await acknowledgeInTransaction(trx, ctx, actor, link.incident_id, engineer?.id ?? null);
      return { kind: 'ack' as const, ref };
    }
    if (input.granted === undefined) {
      throw new DomainError('VALIDATION_FAILED', '/granted: say yes or no', [
        { path: '/granted', message: 'is required' },
      ]);
    }
    const loaded = await loadIncident(trx, ctx, link.incident_id, true);
    const by = link.contact_name ?? 'kunden';
    const event = decideConsent(loaded.status, loaded.facts, {
      atMs: nowMs,
      granted: input.granted,
      by,
      via: 'portal',
    });
    const actor: Actor = { type: 'caller', id: null, name: by };
    if (event) {
      await appendIncidentEvent(trx, ctx, loaded, { ...event, actor });
      await appendAudit(trx, {
        atMs: nowMs,
        actor,
        action: 'incident.consent_recorded',
        entityType: 'incident',
        entityId: loaded.row.id,
        customerId: loaded.row.customer_id,
        data: { granted: input.granted, by, via: 'portal' },
      });
    }
    return { kind: 'consent' as const, ref: loaded.row.ref, granted: input.granted };
  });
}
