import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { createLogger } from '../config/logger.js';
import { JobThread } from './job-runner.js';

let dir: string | undefined;
afterEach(() => {
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

/** A stand-in for job-thread.js speaking the same messages; the first one it starts dies at once. */
function fakeThreadProgram(): { entry: URL; events: () => string[] } {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ballou-job-thread-'));
  const events = path.join(dir, 'events.txt');
  const entry = path.join(dir, 'thread.mjs');
  fs.writeFileSync(
    entry,
    `import fs from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
const EVENTS = ${JSON.stringify(events)};
const earlier = fs.existsSync(EVENTS) ? fs.readFileSync(EVENTS, 'utf8') : '';
fs.appendFileSync(EVENTS, 'start ' + workerData.workerId + '\\n');
if (!earlier.includes('start')) process.exit(3);
parentPort.on('message', (message) => {
  fs.appendFileSync(EVENTS, message.type + '\\n');
  if (message.type === 'metrics')
    parentPort.postMessage({ type: 'metrics', id: message.id, metrics: [{ name: 'ballou_jobs_run_total', help: 'h', type: 'counter', aggregator: 'sum', values: [{ value: 3, labels: { kind: 'k', outcome: 'done' } }] }] });
  if (message.type === 'stop') process.exit(0);
});
`,
  );
  return {
    entry: pathToFileURL(entry),
    events: () => (fs.existsSync(events) ? fs.readFileSync(events, 'utf8').trim().split('\n') : []),
  };
}

async function until(condition: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('the job thread of ballou serve', () => {
  it('is started again when it ends unasked, is woken, and stops when asked', async () => {
    const logged: string[] = [];
    const logger = createLogger(
      'info',
      new Writable({
        write(chunk: Buffer, _encoding, done) {
          logged.push(chunk.toString());
          done();
        },
      }),
    );
    const program = fakeThreadProgram();
    const runner = new JobThread(logger, program.entry, 50);
    await until(() => program.events().filter((e) => e.startsWith('start')).length === 2, 'a second thread');
    runner.wake();
    await until(() => program.events().includes('wake'), 'the wake-up');
    // Prometheus's scrape asks the thread for its counters (GET /metrics adds them to the server's).
    expect(await runner.metrics()).toEqual([
      expect.objectContaining({
        name: 'ballou_jobs_run_total',
        values: [{ value: 3, labels: { kind: 'k', outcome: 'done' } }],
      }),
    ]);
    await runner.stop();
    expect(await runner.metrics()).toEqual([]); // no thread: nothing to add, at once
    await new Promise((resolve) => setTimeout(resolve, 200));

    const events = program.events();
    expect(events.filter((e) => e.startsWith('start'))).toHaveLength(2); // none after the stop
    expect(events.at(-1)).toBe('stop');
    for (const start of events.filter((e) => e.startsWith('start')))
      expect(start).toMatch(new RegExp(`^start ${process.pid}-[0-9a-f-]{36}$`));
    const ended = logged.map((line) => JSON.parse(line) as { msg: string; code?: number });
    expect(ended).toContainEqual(
      expect.objectContaining({ msg: 'job thread ended; starting a new one', code: 3 }),
    );
  });
});
