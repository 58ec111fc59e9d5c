import { appendAudit } from '../../db/repositories/audit.repository.js';
import type { Principal } from '../../domain/shared/roles.js';
import { auditActor } from '../access.js';
import type { AppContext } from '../app-context.js';

const EVERY_MS = 60_000;
const MAX_REMEMBERED = 10_000;

export interface RefusedRequest {
  method: string;
  /** The route's pattern (`/api/v1/customers/:id`), never the URL itself: paths can carry tokens. */
  route: string;
  /** FORBIDDEN (the role may not) or CSRF_FAILED (a session's request without its token). */
  code: string;
  requestId?: string;
}

/**
 * A signed-in user's or a token's refused request, in the audit log (`access.refused`, ASVS 5.0 16.3.2):
 * who tried what, with which role. Once a minute per principal, route and reason, so a script retrying a
 * refused call does not fill the log; the request log still has every one. Requests with no principal
 * (no or a wrong credential) are the login audit's and the rate limits' business, not this one's.
 */
export class AccessRefusalAudit {
  private readonly lastAt = new Map<string, number>();

  constructor(
    private readonly ctx: AppContext,
    private readonly everyMs = EVERY_MS,
  ) {}

  /** Never throws: the refusal is answered whether or not its record could be written. */
  async record(principal: Principal, request: RefusedRequest): Promise<void> {
    const nowMs = this.ctx.clock.now();
    const key = `${principal.kind}:${principal.id}|${request.method} ${request.route}|${request.code}`;
    const last = this.lastAt.get(key);
    if (last !== undefined && nowMs - last < this.everyMs) return;
    this.lastAt.delete(key);
    this.lastAt.set(key, nowMs);
    // Oldest first in a Map: forget the longest-quiet keys beyond the bound.
    for (const old of this.lastAt.keys()) {
      if (this.lastAt.size <= MAX_REMEMBERED) break;
      this.lastAt.delete(old);
    }
    try {
      await appendAudit(this.ctx.db, {
        atMs: nowMs,
        actor: auditActor(principal),
        action: 'access.refused',
        entityType: 'route',
        entityId: `${request.method} ${request.route}`,
        customerId: principal.customerId,
        data: { code: request.code, role: principal.role },
        requestId: request.requestId ?? null,
      });
    } catch (error) {
      this.ctx.logger.error({ err: error }, 'could not audit a refused request');
    }
  }
}
