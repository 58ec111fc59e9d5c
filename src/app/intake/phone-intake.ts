import type { Trx } from '../../db/database.js';
import { findContactByPhone } from '../../db/repositories/customer.repository.js';
import { findEngineerByPhone } from '../../db/repositories/engineer.repository.js';
import { findIncidentByRef, findInboundEvent } from '../../db/repositories/incident.repository.js';
import { openIncidentsPagedTo } from '../../db/repositories/notification.repository.js';
import { resolveAt } from '../../domain/oncall/resolve.js';
import type { Actor } from '../../domain/incidents/timeline.js';
import type { AppContext } from '../app-context.js';
import { acknowledgeInTransaction } from '../incidents/incident-commands.js';
import { reportIncident } from '../incidents/report-incident.js';
import { onceOnly } from './inbound-once.js';
import { loadRosterAndEngineers } from '../roster/roster-data.js';

export type TelephonyProviderName = '46elks' | 'twilio';

/** Whom an incoming call is put through to: the primary on call, falling back to the secondary. */
export interface CallRouting {
  incidentRef: string;
  primary: string | null;
  secondary: string | null;
}

/**
 * An incoming call: the caller's number finds the contact and customer (unknown callers are recorded as
 * tier `none`, flagged), the call opens or joins an incident, and the answer routes the call to the
 * on-call engineers. A provider's retry of the same call id changes nothing and gets the same routing.
 */
export async function receiveCall(
  ctx: AppContext,
  call: { provider: TelephonyProviderName; callId: string; from: string; to: string; atMs?: number },
): Promise<CallRouting> {
  return ctx.db.transaction().execute((trx) =>
    onceOnly(trx, ctx, { source: `${call.provider}:call`, key: call.callId }, async () => {
      const nowMs = ctx.clock.now();
      const contact = await findContactByPhone(trx, call.from);
      const actor: Actor = { type: 'caller', id: contact?.id ?? null, name: contact?.name ?? call.from };
      const { incident } = await reportIncident(trx, ctx, actor, {
        customerId: contact?.customer_id ?? null,
        contactId: contact?.id ?? null,
        summary: contact ? `Samtal från ${contact.name}` : `Samtal från okänt nummer ${call.from}`,
        reportedAtMs: nowMs,
        channel: 'phone',
        callerNumber: call.from,
        unknownCaller: !contact,
        details: { callId: call.callId, provider: call.provider },
      });
      return { incidentRef: incident.row.ref, ...(await onCallPhones(trx, nowMs)) };
    }),
  );
}

/** The routing an earlier webhook of the same call got (Twilio's after-dial callback needs it again). */
export async function callRouting(
  ctx: AppContext,
  provider: TelephonyProviderName,
  callId: string,
): Promise<CallRouting | undefined> {
  const row = await findInboundEvent(ctx.db, `${provider}:call`, callId);
  return row?.response ? (JSON.parse(row.response) as CallRouting) : undefined;
}

async function onCallPhones(
  trx: Trx,
  nowMs: number,
): Promise<{ primary: string | null; secondary: string | null }> {
  const { roster, engineers } = await loadRosterAndEngineers(trx, nowMs, nowMs + 1);
  const onCall = resolveAt(roster, nowMs);
  const ids = [onCall.primary?.engineerId, onCall.secondary?.engineerId];
  const phoneOf = (id: string | undefined) => engineers.find((e) => e.id === id)?.phone ?? null;
  return { primary: phoneOf(ids[0]), secondary: phoneOf(ids[1]) };
}

const ACK_PATTERN = /^\s*ok\b\s*(INC-\d{4}-\d+)?\s*\.?\s*$/i;

/**
 * An incoming SMS. From an engineer, `OK` or `OK <ref>` acknowledges (the newest open incident they were
 * paged about, or the named one); from anyone else it reports an incident with the text as summary.
 * Returns the reply to send back (or null). Retries of the same message id change nothing.
 */
export async function receiveSms(
  ctx: AppContext,
  sms: { provider: TelephonyProviderName; messageId: string; from: string; to: string; text: string },
): Promise<string | null> {
  return ctx.db.transaction().execute((trx) =>
    onceOnly(trx, ctx, { source: `${sms.provider}:sms`, key: sms.messageId }, async () => {
      const nowMs = ctx.clock.now();
      let reply: string | null;
      const engineer = await findEngineerByPhone(trx, sms.from);
      const ack = ACK_PATTERN.exec(sms.text);
      if (engineer && ack) {
        const ref = ack[1]?.toUpperCase();
        const incidentId = ref
          ? (await findIncidentByRef(trx, ref))?.id
          : (await openIncidentsPagedTo(trx, engineer.id))[0];
        if (!incidentId) {
          reply = ref ? `Hittar inget ärende ${ref}.` : 'Inget öppet ärende att kvittera.';
        } else {
          const actor: Actor = { type: 'engineer', id: engineer.id, name: engineer.name };
          const view = await acknowledgeInTransaction(trx, ctx, actor, incidentId, engineer.id);
          reply = `Kvitterat ${view.ref}. Ring upp senast ${view.responseDueText}.`;
        }
      } else {
        const contact = await findContactByPhone(trx, sms.from);
        const actor: Actor = { type: 'caller', id: contact?.id ?? null, name: contact?.name ?? sms.from };
        const { incident } = await reportIncident(trx, ctx, actor, {
          customerId: contact?.customer_id ?? null,
          contactId: contact?.id ?? null,
          summary:
            sms.text
              .replace(/\p{Cc}+/gu, ' ')
              .trim()
              .slice(0, 1000) || '(tomt SMS)',
          reportedAtMs: nowMs,
          channel: 'sms',
          callerNumber: sms.from,
          unknownCaller: !contact && !engineer,
          details: { messageId: sms.messageId, provider: sms.provider },
        });
        reply = `Ballou har tagit emot ditt ärende ${incident.row.ref}. Jourhavande ringer upp.`;
      }
      return reply;
    }),
  );
}
