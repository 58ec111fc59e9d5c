/**
 * The webhook sender as a process of its own (started by SenderProcess, sender-process.ts), so that the
 * traffic does not share a process, an event loop or a fate with the test that kills the server.
 *
 * Reads its settings from BALLOU_SENDER (JSON, `SenderSettings`), runs `lanes` retrying senders against
 * `url` until SIGTERM, lets each finish the delivery in hand (retried until acknowledged), then sends a
 * share of the acknowledged deliveries once more (a provider repeating what it already delivered). Every
 * answer or failure is appended to the journal as one JSON line at once (`JournalLine`), so the test
 * knows what was acknowledged whatever happens to this process. Prints a JSON summary on exit.
 */
import fs from 'node:fs';
import { History, runRetryingSender, seededRandom, type DeliveryKind } from './traffic.js';
import type { Desk } from './desk-fixture.js';

export interface SenderSettings {
  url: string;
  desk: Desk;
  /** Makes the deliveries' labels unique per run. */
  label: string;
  seed: number;
  lanes: number;
  journal: string;
  /** Share (0–1) of acknowledged deliveries sent once more at the end. */
  repeatShare: number;
}

export interface JournalLine {
  marker: string;
  kind: DeliveryKind;
  problemKey: string | null;
  /** The HTTP status, or why there was none. */
  outcome: string;
  /** This answer was a 2xx. */
  ok: boolean;
  /** Sent again after it had been acknowledged. */
  repeat: boolean;
}

const settings = JSON.parse(process.env.BALLOU_SENDER ?? '') as SenderSettings;
let repeating = false;
const history = new History(settings.desk, settings.label, (delivery, outcome) => {
  const status = Number(outcome);
  const line: JournalLine = {
    marker: delivery.marker,
    kind: delivery.kind,
    problemKey: delivery.problemKey,
    outcome,
    ok: status >= 200 && status < 300,
    repeat: repeating,
  };
  fs.appendFileSync(settings.journal, `${JSON.stringify(line)}\n`);
});

let stopped = false;
process.on('SIGTERM', () => {
  stopped = true;
});

const target = () => settings.url;
await Promise.all(
  Array.from({ length: settings.lanes }, (_, i) =>
    runRetryingSender(history, target, seededRandom(settings.seed * 1000 + i), () => stopped),
  ),
);

repeating = true;
const random = seededRandom(settings.seed * 1000 + 999);
const repeats = history.acknowledged.filter(() => random() < settings.repeatShare);
for (const delivery of repeats) {
  delivery.acknowledged = false;
  await history.deliverUntilAcknowledged(delivery, target, random);
}

process.stdout.write(
  `${JSON.stringify({
    deliveries: history.deliveries.length,
    requests: history.deliveries.reduce((n, d) => n + d.outcomes.length, 0),
    repeats: repeats.length,
    unacknowledged: history.unacknowledged.length,
  })}\n`,
);
