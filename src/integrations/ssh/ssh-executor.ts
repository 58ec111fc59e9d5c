import { createHash } from 'node:crypto';
import ssh2, { type ClientChannel } from 'ssh2';
import { fingerprintOfBlob, fingerprintOfKeyLine, hostKeyAlgorithmsFor } from './host-key-fingerprint.js';

const { Client } = ssh2;

/** Where to run: the server's SSH address and its pinned host key (an OpenSSH public key line). */
export interface SshTarget {
  host: string;
  port: number;
  username: string;
  pinnedHostKey: string;
}

export interface SshCommand {
  command: string;
  timeoutMs: number;
}

export interface SshRunOptions {
  privateKey: Buffer | string;
  connectTimeoutMs: number;
  /** Run in order over one connection (the action, then its check). */
  commands: readonly SshCommand[];
  /** Output kept per command (stdout and stderr as they arrive); the rest is counted and hashed only. */
  maxOutputBytes: number;
}

export interface SshCommandResult {
  exitCode: number | null;
  signal: string | null;
  timedOut: boolean;
  /** Kept output, cut at maxOutputBytes (a note says how much was dropped). */
  output: string;
  outputBytes: number;
  outputSha256: string;
  durationMs: number;
}

export type SshRunResult =
  | { kind: 'ran'; hostKeyFingerprint: string; results: SshCommandResult[]; durationMs: number }
  | { kind: 'host_key_mismatch'; pinnedFingerprint: string; presentedFingerprint: string | null }
  | { kind: 'connect_failed'; message: string; durationMs: number };

/**
 * Runs fixed commands on a server over SSH with key authentication (integrations.md A8). The server's
 * host key must match the pinned one by SHA-256 fingerprint, or the connection is dropped before
 * authenticating (never trust-on-first-use). Every command has a timeout: when it passes, the command
 * is sent SIGKILL and its channel closed. Never throws: the outcome is data to record.
 */
export async function runOverSsh(target: SshTarget, options: SshRunOptions): Promise<SshRunResult> {
  const pinnedFingerprint = fingerprintOfKeyLine(target.pinnedHostKey);
  const keyType = target.pinnedHostKey.trim().split(/\s+/)[0] ?? '';
  if (!pinnedFingerprint) {
    return {
      kind: 'host_key_mismatch',
      pinnedFingerprint: '(unreadable pinned key)',
      presentedFingerprint: null,
    };
  }
  const started = performance.now();
  const client = new Client();
  let presented: string | null = null;
  const ready = new Promise<'ready' | Error>((resolve) => {
    client.once('ready', () => resolve('ready'));
    client.once('error', (error: Error) => resolve(error));
    client.once('close', () => resolve(new Error('connection closed before it was ready')));
  });
  try {
    client.connect({
      host: target.host,
      port: target.port,
      username: target.username,
      privateKey: options.privateKey,
      readyTimeout: options.connectTimeoutMs,
      algorithms: { serverHostKey: hostKeyAlgorithmsFor(keyType) as never },
      hostVerifier: (key: Buffer) => {
        presented = fingerprintOfBlob(key);
        return presented === pinnedFingerprint;
      },
    });
  } catch (error) {
    return { kind: 'connect_failed', message: messageOf(error), durationMs: since(started) };
  }
  const outcome = await ready;
  if (outcome !== 'ready') {
    client.end();
    if (presented !== null && presented !== pinnedFingerprint) {
      return { kind: 'host_key_mismatch', pinnedFingerprint, presentedFingerprint: presented };
    }
    return { kind: 'connect_failed', message: outcome.message, durationMs: since(started) };
  }
  // A connection that fails later (reset, keep-alive lost) ends the command in hand (execOne listens
  // for the close); without a listener an `error` event would throw out of the event loop.
  client.on('error', () => undefined);
  const results: SshCommandResult[] = [];
  try {
    for (const command of options.commands) {
      results.push(await execOne(client, command, options.maxOutputBytes));
    }
  } finally {
    client.end();
  }
  return { kind: 'ran', hostKeyFingerprint: pinnedFingerprint, results, durationMs: since(started) };
}

function execOne(client: InstanceType<typeof Client>, command: SshCommand, maxBytes: number) {
  const started = performance.now();
  return new Promise<SshCommandResult>((resolve) => {
    const hash = createHash('sha256');
    const kept: Buffer[] = [];
    let keptBytes = 0;
    let total = 0;
    let done = false;
    let timer: NodeJS.Timeout | undefined;
    const collect = (chunk: Buffer) => {
      hash.update(chunk);
      total += chunk.length;
      if (keptBytes < maxBytes) {
        const part = chunk.subarray(0, maxBytes - keptBytes);
        kept.push(part);
        keptBytes += part.length;
      }
    };
    const connectionClosed = () => finish(null, null, false, 'the connection closed during the command');
    client.once('close', connectionClosed);
    const finish = (exitCode: number | null, signal: string | null, timedOut: boolean, note?: string) => {
      if (done) return;
      done = true;
      if (timer) clearTimeout(timer);
      client.off('close', connectionClosed);
      let output = Buffer.concat(kept).toString('utf8');
      if (total > keptBytes) output += `\n[… ${total - keptBytes} more bytes not kept]`;
      if (note) output += `${output ? '\n' : ''}[${note}]`;
      resolve({
        exitCode,
        signal,
        timedOut,
        output,
        outputBytes: total,
        outputSha256: hash.digest('hex'),
        durationMs: since(started),
      });
    };
    client.exec(command.command, (error, stream: ClientChannel) => {
      if (error) {
        finish(null, null, false, `could not start the command: ${error.message}`);
        return;
      }
      timer = setTimeout(() => {
        try {
          stream.signal('KILL');
        } catch {
          // the channel may already be gone; closing below is what matters
        }
        stream.close();
        finish(null, null, true, `stopped after ${Math.round(command.timeoutMs / 1000)} s (timeout)`);
      }, command.timeoutMs);
      stream.on('data', collect);
      stream.stderr.on('data', collect);
      stream.on('close', (code: number | null, signal?: string) => {
        finish(typeof code === 'number' ? code : null, signal ?? null, false);
      });
    });
  });
}

const since = (started: number) => Math.round(performance.now() - started);
const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));
