/**
 * Webhook traffic as the senders produce it, each delivery with a unique marker, and a history of what
 * the server acknowledged (answered 2xx). Jepsen's rule: only an acknowledged request is a promise; one
 * that failed or got no answer may or may not have happened, and the sender retries it.
 */
import { randomUUID } from 'node:crypto';
import { mulberry32 } from '../../../src/app/demo/seeded-random.js';
import {
  alertmanagerPayload,
  pagerDutyTrigger,
  sendAlertmanager,
  sendPagerDuty,
} from '../../stand-ins/alert-senders.js';
import { postWebhookForm, randomHex } from '../../stand-ins/http-stand-in.js';
import { ELKS_WEBHOOK_SECRET, type Desk } from './desk-fixture.js';

export type DeliveryKind = 'alertmanager' | 'pagerduty' | '46elks-call';

export interface Delivery {
  kind: DeliveryKind;
  /** Text that lands in exactly one timeline event (`reported` or `attached`) when the delivery is taken. */
  marker: string;
  /** The incident dedupe key the delivery belongs to (PagerDuty's dedup_key; null for the others). */
  problemKey: string | null;
  /** Sends it to a node; resolves with the HTTP status, rejects when there was no answer. */
  send(baseUrl: string): Promise<number>;
  /** Every answer or failure, in order. */
  outcomes: string[];
  acknowledged: boolean;
}

const TIMEOUT_MS = 15_000;

/** A seeded PRNG: the same seed gives the same sequence, so a failing run can be replayed. */
export const seededRandom = mulberry32;

/** A delivery as the sender process's journal tells it (no way to send it again). */
export type DeliveryRecord = Pick<Delivery, 'kind' | 'marker' | 'problemKey' | 'outcomes' | 'acknowledged'>;

export class History {
  readonly deliveries: Delivery[] = [];
  private counter = 0;

  /** `onOutcome` hears of every answer or failure, e.g. to write it to a journal at once. */
  constructor(
    private readonly desk: Desk,
    private readonly label: string,
    private readonly onOutcome?: (delivery: Delivery, outcome: string) => void,
  ) {}

  /** A new Alertmanager group of one alert (unique labels, so a unique fingerprint and group). */
  alertmanager(): Delivery {
    const n = this.next();
    const marker = `Larm ${randomUUID()}`;
    const payload = alertmanagerPayload({
      alerts: [
        {
          labels: { alertname: `Crash${this.label}x${n}`, instance: `host${n}.crash.example:9100` },
          annotations: { summary: marker },
          startsAt: new Date().toISOString(),
        },
      ],
    });
    const token = this.desk.alertmanagerToken;
    return this.add(
      'alertmanager',
      marker,
      null,
      async (base) =>
        (
          await sendAlertmanager(`${base}/api/v1/webhooks/alertmanager`, token, payload, {
            timeoutMs: TIMEOUT_MS,
          })
        ).status,
    );
  }

  /**
   * PagerDuty triggers that share one dedup_key (a sender repeating a problem with new details): each is
   * its own delivery, all belong to one incident.
   */
  pagerDuty(copies: number): Delivery[] {
    const dedupKey = `crash-${this.label}-${this.next()}`;
    return Array.from({ length: copies }, () => {
      const marker = `Händelse ${randomUUID()}`;
      const event = pagerDutyTrigger(
        this.desk.pagerDutyRoutingKey,
        { summary: marker, source: 'db1.crash.example' },
        { dedup_key: dedupKey },
      );
      return this.add(
        'pagerduty',
        marker,
        dedupKey,
        async (base) =>
          (
            await sendPagerDuty(`${base}/api/v1/webhooks/pagerduty/v2/enqueue`, event, {
              timeoutMs: TIMEOUT_MS,
            })
          ).status,
      );
    });
  }

  /**
   * An incoming 46elks call: from an unknown number one incident per call id; from a customer's contact
   * (`fromContact`) it joins the customer's open incident.
   */
  elksCall(fromContact = false): Delivery {
    const callid = `c${randomHex(32)}`;
    const n = this.next();
    const from = fromContact
      ? (this.desk.contactPhones[n % this.desk.contactPhones.length] as string)
      : `+4673${String(n).padStart(7, '0')}`;
    return this.add('46elks-call', callid, null, async (base) => {
      const url = new URL('/api/v1/webhooks/46elks/voice', base);
      url.username = '46elks';
      url.password = ELKS_WEBHOOK_SECRET;
      const fields = {
        callid,
        from,
        to: '+46766860000',
        direction: 'incoming',
        created: new Date().toISOString(),
      };
      return (await postWebhookForm(url.toString(), fields)).status;
    });
  }

  /** Sends a delivery once and records the outcome; never throws. */
  async deliver(delivery: Delivery, baseUrl: string): Promise<void> {
    let outcome: string;
    try {
      const status = await delivery.send(baseUrl);
      outcome = String(status);
      if (status >= 200 && status < 300) delivery.acknowledged = true;
    } catch (error) {
      outcome =
        error instanceof Error ? ((error.cause as Error | undefined)?.message ?? error.message) : 'error';
    }
    delivery.outcomes.push(outcome);
    this.onOutcome?.(delivery, outcome);
  }

  /**
   * Sends a delivery until it is acknowledged, as a provider does: no answer, 5xx and 429 are retried
   * with back-off (100 ms doubling to 1 s, jittered); any other answer ends it. Gives up after `giveUpMs`.
   */
  async deliverUntilAcknowledged(
    delivery: Delivery,
    target: () => string,
    random: () => number,
    giveUpMs = 90_000,
  ): Promise<void> {
    const deadline = Date.now() + giveUpMs;
    for (let attempt = 0; ; attempt++) {
      await this.deliver(delivery, target());
      const last = Number(delivery.outcomes.at(-1));
      const retryable = Number.isNaN(last) || last >= 500 || last === 429;
      if (delivery.acknowledged || !retryable || Date.now() > deadline) return;
      const backoff = Math.min(100 * 2 ** attempt, 1_000);
      await new Promise((resolve) => setTimeout(resolve, backoff / 2 + random() * (backoff / 2)));
    }
  }

  get acknowledged(): Delivery[] {
    return this.deliveries.filter((d) => d.acknowledged);
  }

  get unacknowledged(): Delivery[] {
    return this.deliveries.filter((d) => !d.acknowledged);
  }

  private next(): number {
    this.counter += 1;
    return this.counter;
  }

  private add(
    kind: DeliveryKind,
    marker: string,
    problemKey: string | null,
    send: (base: string) => Promise<number>,
  ): Delivery {
    const delivery: Delivery = { kind, marker, problemKey, send, outcomes: [], acknowledged: false };
    this.deliveries.push(delivery);
    return delivery;
  }
}

/**
 * One sender: sends a random mix (Alertmanager, a PagerDuty pair sent at once, a 46elks call from an
 * unknown number or from a customer's contact) one after
 * another until `stop()` says so, to the base URL `target()` names at the time.
 */
export async function runSender(
  history: History,
  target: () => string,
  random: () => number,
  stopped: () => boolean,
): Promise<void> {
  while (!stopped()) {
    const pick = random();
    if (pick < 0.35) await history.deliver(history.alertmanager(), target());
    else if (pick < 0.65) await Promise.all(history.pagerDuty(2).map((d) => history.deliver(d, target())));
    else await history.deliver(history.elksCall(pick > 0.85), target());
  }
}

/**
 * A sender that behaves like a provider's queue: each new delivery (the same mix as `runSender`) is
 * retried until acknowledged before the next is made, so one that got no answer because the server was
 * killed is sent again once it is back.
 */
export async function runRetryingSender(
  history: History,
  target: () => string,
  random: () => number,
  stopped: () => boolean,
): Promise<void> {
  while (!stopped()) {
    const pick = random();
    let batch: Delivery[];
    if (pick < 0.35) batch = [history.alertmanager()];
    else if (pick < 0.65) batch = history.pagerDuty(2);
    else batch = [history.elksCall(pick > 0.85)];
    await Promise.all(batch.map((d) => history.deliverUntilAcknowledged(d, target, random)));
  }
}
