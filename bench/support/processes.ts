/**
 * The processes of a server bench: the load generator and the bare ceiling server (each its own Node
 * process, like the real server), and the resident memory of a process read from /proc.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { SERVE_NODE_FLAGS } from '../../src/server/serve-node-flags.js';
import type { BareSettings } from './bare-server.js';
import type { LoadResult, LoadSettings } from './load-client.js';

const ROOT = path.resolve(import.meta.dirname, '../..');

function tsxProcess(script: string, env: Record<string, string>, nodeFlags: readonly string[] = []) {
  return spawn(process.execPath, [...nodeFlags, '--import', 'tsx', script], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? '/tmp', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

/** Runs autocannon in a second process and returns its result. */
export async function runLoadProcess(settings: LoadSettings): Promise<LoadResult> {
  const child = tsxProcess('bench/support/load-client.ts', { BENCH_LOAD: JSON.stringify(settings) });
  let out = '';
  let err = '';
  child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  const line = out.trim().split('\n').at(-1) ?? '';
  if (code !== 0 || !line.startsWith('{')) throw new Error(`load generator failed (${code}): ${err}${out}`);
  return JSON.parse(line) as LoadResult;
}

export interface BareServer {
  url: string;
  pid: number;
  stop(): Promise<void>;
}

/** Starts the ceiling server (bench/support/bare-server.ts) and waits until it listens. */
export async function startBareServer(settings: BareSettings): Promise<BareServer> {
  // The ceiling runs with the same Node.js flags as the real server, so the ratio compares code, not flags.
  const child = tsxProcess(
    'bench/support/bare-server.ts',
    { BENCH_BARE: JSON.stringify(settings) },
    SERVE_NODE_FLAGS,
  );
  let err = '';
  child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
  const port = await new Promise<number>((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const match = /listening (\d+)/.exec(out);
      if (match) resolve(Number(match[1]));
    });
    child.once('exit', (code) => reject(new Error(`bare server exited (${code}): ${err}`)));
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    url: `http://127.0.0.1:${port}`,
    pid: child.pid as number,
    stop: async () => {
      child.kill('SIGTERM');
      await exited;
    },
  };
}

/** Resident set size of a process in MiB (VmRSS of /proc/<pid>/status); NaN where there is no /proc. */
export function rssMiB(pid: number): number {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = /^VmRSS:\s+(\d+)\s+kB/m.exec(status)?.[1];
    return kb === undefined ? Number.NaN : Number(kb) / 1024;
  } catch {
    return Number.NaN;
  }
}

/** Samples a process's RSS every `everyMs` until stopped; returns the peak. */
export function sampleRss(pid: number, everyMs = 100): { stop(): number } {
  let peak = rssMiB(pid);
  const timer = setInterval(() => {
    const now = rssMiB(pid);
    if (!(now <= peak)) peak = now;
  }, everyMs);
  return {
    stop: () => {
      clearInterval(timer);
      return Math.max(peak, rssMiB(pid));
    },
  };
}

/** Linux's clock ticks per second for /proc/<pid>/stat times (USER_HZ: 100 on every mainstream kernel). */
const USER_HZ = 100;

/**
 * CPU time a process has used so far (user + system), in ms, from /proc/<pid>/stat; NaN without /proc.
 * Unlike wall-clock rates it does not change when other work shares the machine's cores.
 */
export function cpuMs(pid: number): number {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may contain spaces) in parentheses: utime is the 12th, stime the 13th.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / USER_HZ;
  } catch {
    return Number.NaN;
  }
}

/**
 * Extra settings for the measured server from BALLOU_BENCH_SERVER_ENV (JSON), e.g.
 * `{"BALLOU_JOB_THREAD":"0"}` to compare the job worker on the server's own thread.
 */
export function benchServerEnv(): Record<string, string> {
  const raw = process.env.BALLOU_BENCH_SERVER_ENV;
  return raw ? (JSON.parse(raw) as Record<string, string>) : {};
}

/** BALLOU_BENCH_PROFILE_DIR=dir: the measured server writes a V8 CPU profile per thread there when it stops. */
export function benchProfileArgs(): string[] {
  const dir = process.env.BALLOU_BENCH_PROFILE_DIR;
  return dir ? ['--cpu-prof', `--cpu-prof-dir=${dir}`] : [];
}
