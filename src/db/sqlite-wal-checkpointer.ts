import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

/**
 * Checkpoints a SQLite WAL on a thread of its own (docs/decisions/0025). SQLite's automatic checkpoint
 * runs inside the COMMIT that finds the WAL past 1 000 pages: it copies those pages into the database
 * file and syncs it on the thread that committed, i.e. on a server's event loop, in the middle of a
 * request. Here a worker with its own connection runs a PASSIVE checkpoint every `intervalMs` instead
 * (PASSIVE: it never waits for a lock and never blocks a reader or writer), and the connections of the
 * process that started it turn their automatic checkpoint off (`PRAGMA wal_autocheckpoint = 0`).
 *
 * The worker is plain CommonJS given as text: it runs the same from the sources (tsx) and from `dist`.
 */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const failed = (error) =>
  parentPort.postMessage({ type: 'error', message: String((error && error.message) || error) });
let db;
try {
  db = new Database(workerData.file, { fileMustExist: true });
  db.pragma('busy_timeout = 0');
} catch (error) {
  failed(error);
  process.exit(1);
}
const tick = () => {
  try {
    const [result] = db.pragma('wal_checkpoint(PASSIVE)');
    parentPort.postMessage({ type: 'checkpoint', ...result });
  } catch (error) {
    failed(error);
  }
};
const timer = setInterval(tick, workerData.intervalMs);
parentPort.on('message', (message) => {
  if (message !== 'stop') return;
  clearInterval(timer);
  db.close();
  parentPort.close();
});
`;

/** One PASSIVE checkpoint's answer: WAL frames in the log, and how many of them are in the database. */
export interface CheckpointResult {
  busy: number;
  log: number;
  checkpointed: number;
}

export interface WalCheckpointer {
  /** Ends the thread after its current checkpoint; resolves once it has closed its connection. */
  stop(): Promise<void>;
}

export function startWalCheckpointer(
  file: string,
  options: {
    intervalMs?: number;
    onCheckpoint?: (result: CheckpointResult) => void;
    onError?: (error: Error) => void;
  } = {},
): WalCheckpointer {
  const driver = createRequire(import.meta.url).resolve('better-sqlite3');
  const worker = new Worker(WORKER_SOURCE, {
    eval: true,
    workerData: { file, driver, intervalMs: options.intervalMs ?? 100 },
  });
  // The thread must not keep a process alive that is otherwise done (tests, the CLI).
  worker.unref();
  worker.on('message', (message: { type: string; message?: string } & CheckpointResult) => {
    if (message.type === 'checkpoint') options.onCheckpoint?.(message);
    else options.onError?.(new Error(`WAL checkpoint failed: ${message.message}`));
  });
  worker.on('error', (error) => options.onError?.(error instanceof Error ? error : new Error(String(error))));
  let stopping = false;
  const exited = new Promise<void>((resolve) =>
    worker.once('exit', (code) => {
      if (!stopping && code !== 0)
        options.onError?.(new Error(`WAL checkpoint thread ended (exit code ${code})`));
      resolve();
    }),
  );
  return {
    async stop() {
      stopping = true;
      worker.postMessage('stop');
      await exited;
    },
  };
}
