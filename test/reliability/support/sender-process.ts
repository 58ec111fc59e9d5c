/**
 * Starts the webhook sender (sender-main.ts) as a second operating-system process and reads back what it
 * did from its journal: one JSON line per answer or failure, appended the moment it happened.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { Desk } from './desk-fixture.js';
import type { JournalLine, SenderSettings } from './sender-main.js';
import { REPO_ROOT } from './server-process.js';
import type { DeliveryRecord } from './traffic.js';

export interface SenderSummary {
  deliveries: number;
  requests: number;
  repeats: number;
  unacknowledged: number;
}

const live = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of live) child.kill('SIGKILL');
});

export class SenderProcess {
  private output = '';
  private readonly exited: Promise<number | null>;

  private constructor(
    private readonly child: ChildProcess,
    readonly journal: string,
    private readonly logFile: string,
  ) {
    child.stdout?.on('data', (chunk: Buffer) => (this.output += chunk.toString('utf8')));
    this.exited = new Promise((resolve) =>
      child.once('exit', (code) => {
        live.delete(child);
        resolve(code);
      }),
    );
  }

  /** Spawns `node --import tsx sender-main.ts`; it starts sending at once. */
  static start(options: {
    url: string;
    desk: Desk;
    label: string;
    seed: number;
    lanes: number;
    repeatShare: number;
    dir: string;
  }): SenderProcess {
    const journal = path.join(options.dir, `${options.label}-journal.jsonl`);
    const logFile = path.join(options.dir, `${options.label}-sender.log`);
    fs.writeFileSync(journal, '');
    const settings: SenderSettings = { ...options, journal };
    const err = fs.openSync(logFile, 'a');
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', path.join('test', 'reliability', 'support', 'sender-main.ts')],
      {
        cwd: REPO_ROOT,
        env: {
          PATH: process.env.PATH ?? '/usr/bin:/bin',
          HOME: process.env.HOME ?? '/tmp',
          BALLOU_SENDER: JSON.stringify(settings),
        },
        stdio: ['ignore', 'pipe', err],
      },
    );
    fs.closeSync(err);
    live.add(child);
    return new SenderProcess(child, journal, logFile);
  }

  /**
   * Asks the sender to stop (SIGTERM): it finishes the deliveries in hand, sends its repeats and exits.
   * Resolves with its summary; throws if it does not exit within `ms`.
   */
  async stop(ms = 120_000): Promise<SenderSummary> {
    this.child.kill('SIGTERM');
    let timer: NodeJS.Timeout | undefined;
    const code = await Promise.race([
      this.exited,
      new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), ms))),
    ]);
    clearTimeout(timer);
    if (code === 'timeout') {
      this.child.kill('SIGKILL');
      throw new Error(`the sender did not finish within ${ms} ms\n${this.log()}`);
    }
    if (code !== 0) throw new Error(`the sender exited with ${code}\n${this.log()}`);
    return JSON.parse(this.output.trim().split('\n').at(-1) ?? '{}') as SenderSummary;
  }

  /** The journal's lines so far (a line being written at this moment is left out). */
  lines(): JournalLine[] {
    const text = fs.readFileSync(this.journal, 'utf8');
    const complete = text.slice(0, text.lastIndexOf('\n') + 1);
    return complete
      .split('\n')
      .filter((l) => l !== '')
      .map((l) => JSON.parse(l) as JournalLine);
  }

  /** Every delivery so far; acknowledged when one of its first sends (not a repeat) got a 2xx. */
  deliveries(): DeliveryRecord[] {
    const byMarker = new Map<string, DeliveryRecord>();
    for (const line of this.lines()) {
      let d = byMarker.get(line.marker);
      if (!d) {
        d = {
          kind: line.kind,
          marker: line.marker,
          problemKey: line.problemKey,
          outcomes: [],
          acknowledged: false,
        };
        byMarker.set(line.marker, d);
      }
      d.outcomes.push(line.repeat ? `repeat ${line.outcome}` : line.outcome);
      if (line.ok && !line.repeat) d.acknowledged = true;
    }
    return [...byMarker.values()];
  }

  private log(): string {
    return fs.existsSync(this.logFile) ? fs.readFileSync(this.logFile, 'utf8').slice(-3000) : '';
  }
}
