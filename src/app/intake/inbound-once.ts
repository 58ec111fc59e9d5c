import type { Trx } from '../../db/database.js';
import { toDbInstant } from '../../db/instant.js';
import {
  claimInboundEvent,
  findInboundEvent,
  setInboundResponse,
} from '../../db/repositories/incident.repository.js';
import type { AppContext } from '../app-context.js';

/**
 * Runs a provider's webhook effect once per (source, key) and remembers its answer in the same
 * transaction: a retry of the same delivery (46elks and Twilio retry on errors and timeouts) gets the
 * first answer back and changes nothing.
 */
export async function onceOnly<T>(
  trx: Trx,
  ctx: AppContext,
  delivery: { source: string; key: string },
  run: () => Promise<T>,
): Promise<T> {
  const first = await claimInboundEvent(trx, {
    id: ctx.newId(),
    source: delivery.source,
    dedupe_key: delivery.key,
    created_at: toDbInstant(ctx.clock.now()),
  });
  if (!first) {
    const previous = await findInboundEvent(trx, delivery.source, delivery.key);
    return JSON.parse(previous?.response ?? 'null') as T;
  }
  const answer = await run();
  await setInboundResponse(trx, delivery.source, delivery.key, JSON.stringify(answer ?? null));
  return answer;
}
