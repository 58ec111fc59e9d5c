/**
 * The real server as an operating-system process, for tests that must kill it the way an operator's
 * `kill -9` or the OOM killer does: `node --import tsx src/cli/main.ts serve` (the sources as they are, never
 * a possibly stale build) on 127.0.0.1 and a free port, its stdout and stderr appended to a log file that
 * failure messages quote. Every process started here is SIGKILLed by `killAllServers` (call it in
 * afterAll) and, as a last resort, when the test process exits.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { SERVE_NODE_FLAGS } from '../../../src/server/serve-node-flags.js';

/** The repository root (where package.json and node_modules are). */
export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

const HEALTH_TIMEOUT_MS = 90_000;

const live = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of live) child.kill('SIGKILL');
});

/** A port nobody listens on right now (the kernel picks it; we close it again at once). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

export interface ServerOptions {
  /** Names the node in messages and its log file. */
  name: string;
  /** BALLOU_* settings (database URL, providers, timings). PORT and BALLOU_HOST are set here. */
  env: Record<string, string>;
  /** Where the log file goes (the test's temporary directory). */
  logDir: string;
  /** Default: a free port. A restart passes the previous one, as a restarted service would keep it. */
  port?: number;
  /** Extra node flags before the script (e.g. `--cpu-prof`, which NODE_OPTIONS does not allow). */
  nodeArgs?: string[];
}

export class ServerProcess {
  private child: ChildProcess | undefined;
  private exited: Promise<void> = Promise.resolve();
  private starts = 0;
  readonly logFile: string;

  private constructor(
    readonly name: string,
    readonly port: number,
    private readonly env: Record<string, string>,
    logDir: string,
    private readonly nodeArgs: string[] = [],
  ) {
    this.logFile = path.join(logDir, `${name}.log`);
  }

  /** Spawns the server and waits until `/api/v1/health` answers 200. */
  static async start(options: ServerOptions): Promise<ServerProcess> {
    const server = new ServerProcess(
      options.name,
      options.port ?? (await freePort()),
      options.env,
      options.logDir,
      options.nodeArgs,
    );
    await server.restart();
    return server;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** The worker ids of this process start with its pid (`<pid>-<uuid>`, src/server/main.ts). */
  get pid(): number | undefined {
    return this.child?.pid;
  }

  get running(): boolean {
    return this.child !== undefined && this.child.exitCode === null && this.child.signalCode === null;
  }

  /** Starts the process again on the same port and data (after `kill`), and waits for health. */
  async restart(): Promise<void> {
    if (this.running) throw new Error(`${this.name} is still running`);
    this.starts += 1;
    fs.appendFileSync(
      this.logFile,
      `\n===== start ${this.starts} of ${this.name} (${new Date().toISOString()})\n`,
    );
    const out = fs.openSync(this.logFile, 'a');
    const args = [...SERVE_NODE_FLAGS, ...this.nodeArgs, '--import', 'tsx', 'src/cli/main.ts', 'serve'];
    const child = spawn(process.execPath, args, {
      cwd: REPO_ROOT,
      // A clean environment: only what the server needs, nothing of the developer's own BALLOU_* settings.
      env: {
        PATH: process.env.PATH ?? '/usr/bin:/bin',
        HOME: process.env.HOME ?? '/tmp',
        TZ: 'UTC',
        BALLOU_LOG_LEVEL: 'info',
        BALLOU_DEMO_DATA: '0',
        ...this.env,
        PORT: String(this.port),
        BALLOU_HOST: '127.0.0.1',
        BALLOU_PUBLIC_URL: this.url,
      },
      stdio: ['ignore', out, out],
    });
    fs.closeSync(out);
    this.child = child;
    live.add(child);
    this.exited = new Promise((resolve) =>
      child.once('exit', () => {
        live.delete(child);
        resolve();
      }),
    );
    await this.waitForHealth();
  }

  private async waitForHealth(): Promise<void> {
    const deadline = Date.now() + HEALTH_TIMEOUT_MS;
    while (Date.now() < deadline) {
      if (!this.running) throw new Error(`${this.name} exited during start-up\n${this.logTail()}`);
      try {
        const response = await fetch(`${this.url}/api/v1/health`, { signal: AbortSignal.timeout(1_000) });
        if (response.status === 200) return;
      } catch {
        // not listening yet
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(
      `${this.name} did not answer /api/v1/health within ${HEALTH_TIMEOUT_MS} ms\n${this.logTail()}`,
    );
  }

  /** `kill -9`: no signal handler runs, no transaction is finished, nothing is flushed. */
  async kill(): Promise<void> {
    if (this.running) this.child?.kill('SIGKILL');
    await this.exited;
  }

  /** A clean stop (SIGTERM: the worker finishes its batch), SIGKILL after 10 s. */
  async stop(): Promise<void> {
    if (!this.running) return this.exited;
    this.child?.kill('SIGTERM');
    const timer = setTimeout(() => this.child?.kill('SIGKILL'), 10_000);
    await this.exited;
    clearTimeout(timer);
  }

  /** The whole log so far. */
  logText(): string {
    return fs.existsSync(this.logFile) ? fs.readFileSync(this.logFile, 'utf8') : '';
  }

  /** The end of the log, for failure messages. */
  logTail(lines = 60): string {
    return `--- last ${lines} lines of ${this.logFile}\n${this.logText().split('\n').slice(-lines).join('\n')}`;
  }
}

/** SIGKILLs every server this test process started and waits for them to be gone. */
export async function killAllServers(): Promise<void> {
  const exits = [...live].map(
    (child) =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGKILL');
      }),
  );
  await Promise.all(exits);
}
