/**
 * A real OpenSSH server on loopback for the pre-authorized action tests (integrations.md A8): a
 * throwaway host key and client key in a temp dir, and an authorized_keys entry restricted with
 * `restrict,command=` to a wrapper script that records each requested command and answers a few fixed
 * ones, like the `ballou-remediate` wrapper on a customer's server. Started and stopped by pid.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

const CANDIDATES = ['/usr/sbin/sshd', '/usr/local/sbin/sshd', '/sbin/sshd'];

/** The sshd binary (absolute: sshd re-executes itself) and ssh-keygen, or why they cannot be used. */
export function findSshd(): { sshd: string } | { missing: string } {
  const sshd = CANDIDATES.find((p) => fs.existsSync(p));
  if (!sshd) return { missing: 'sshd is not installed (Debian: apt-get install -y openssh-server)' };
  try {
    execFileSync('ssh-keygen', ['-?'], { stdio: 'ignore' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { missing: 'ssh-keygen is not installed' };
  }
  return { sshd };
}

/**
 * Whether the SSH tests can run here. Without sshd they are skipped with a message, unless
 * BALLOU_TEST_REQUIRE_SSHD=1 (CI), which makes its absence an error.
 */
export function sshdForTests(): string | undefined {
  const found = findSshd();
  if ('sshd' in found) return found.sshd;
  if (process.env.BALLOU_TEST_REQUIRE_SSHD === '1') {
    throw new Error(`BALLOU_TEST_REQUIRE_SSHD=1 but ${found.missing}`);
  }
  console.warn(`Skipping the SSH action tests: ${found.missing}.`);
  return undefined;
}

/** The wrapper's answers: what the customer's server would do for each allowed command. */
const WRAPPER = `#!/bin/sh
printf '%s\\n' "$SSH_ORIGINAL_COMMAND" >> "$(dirname "$0")/commands.log"
case "$SSH_ORIGINAL_COMMAND" in
  "sudo systemctl restart nginx") echo "nginx restarted"; exit 0;;
  "systemctl is-active nginx") echo "active"; exit 0;;
  "sudo systemctl restart mariadb") echo "Job for mariadb.service failed" >&2; exit 1;;
  "systemctl is-active mariadb") echo "failed"; exit 3;;
  "sudo systemctl restart hang") exec sleep 8;;
  "sudo systemctl restart flood") head -c 100000 /dev/zero | tr '\\000' x; exit 0;;
  *) echo "denied: $SSH_ORIGINAL_COMMAND" >&2; exit 126;;
esac
`;

export interface SshdStandIn {
  host: string;
  port: number;
  user: string;
  /** The server's public host key line, as a server is registered with (`ssh-ed25519 AAAA…`). */
  hostKey: string;
  /** `ssh-keygen -lf` of the host key: `SHA256:…`. */
  hostKeyFingerprint: string;
  /** Another key, for the wrong-host-key test. */
  otherHostKey: string;
  /** The desk's private key file (what BALLOU_SSH_KEY_FILE points at). */
  clientKeyFile: string;
  /** Commands the wrapper was asked to run, in order. */
  commands(): string[];
  /** sshd's log (VERBOSE: `Accepted publickey … SHA256:…`). */
  log(): string;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

async function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

const keygen = (file: string) =>
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', file], { stdio: 'ignore' });

export async function startSshd(sshd: string): Promise<SshdStandIn> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ballou-sshd-'));
  const user = os.userInfo().username;
  keygen(path.join(dir, 'host_ed25519'));
  keygen(path.join(dir, 'other_host_ed25519'));
  keygen(path.join(dir, 'client_ed25519'));
  const wrapper = path.join(dir, 'allow.sh');
  fs.writeFileSync(wrapper, WRAPPER, { mode: 0o755 });
  fs.writeFileSync(path.join(dir, 'commands.log'), '');
  const clientPub = fs.readFileSync(path.join(dir, 'client_ed25519.pub'), 'utf8').trim();
  fs.writeFileSync(
    path.join(dir, 'authorized_keys'),
    `restrict,command="${wrapper}",from="127.0.0.1" ${clientPub}\n`,
    { mode: 0o600 },
  );
  const port = await freePort();
  const config = path.join(dir, 'sshd_config');
  fs.writeFileSync(
    config,
    [
      `Port ${port}`,
      'ListenAddress 127.0.0.1',
      `HostKey ${path.join(dir, 'host_ed25519')}`,
      `PidFile ${path.join(dir, 'sshd.pid')}`,
      `AuthorizedKeysFile ${path.join(dir, 'authorized_keys')}`,
      'PasswordAuthentication no',
      'KbdInteractiveAuthentication no',
      'UsePAM no',
      'StrictModes no',
      `AllowUsers ${user}`,
      'LogLevel VERBOSE',
      '',
    ].join('\n'),
  );
  if (process.getuid?.() === 0) fs.mkdirSync('/run/sshd', { recursive: true });
  execFileSync(sshd, ['-t', '-f', config], { stdio: 'pipe' });
  const logFile = path.join(dir, 'sshd.log');
  const logFd = fs.openSync(logFile, 'a');
  const child: ChildProcess = spawn(sshd, ['-D', '-e', '-f', config], { stdio: ['ignore', 'ignore', logFd] });
  fs.closeSync(logFd);
  let exited = false;
  const exit = new Promise<void>((resolve) =>
    child.once('exit', () => {
      exited = true;
      resolve();
    }),
  );
  for (let i = 0; i < 100 && !exited && !(await accepts(port)); i += 1) {
    await new Promise((r) => setTimeout(r, 50));
  }
  if (exited || !(await accepts(port))) {
    throw new Error(`sshd did not start: ${fs.readFileSync(logFile, 'utf8')}`);
  }
  const pub = (name: string) => fs.readFileSync(path.join(dir, name), 'utf8').trim();
  const fingerprint = execFileSync('ssh-keygen', ['-lf', path.join(dir, 'host_ed25519.pub')], {
    encoding: 'utf8',
  }).split(' ')[1] as string;
  return {
    host: '127.0.0.1',
    port,
    user,
    hostKey: pub('host_ed25519.pub'),
    hostKeyFingerprint: fingerprint,
    otherHostKey: pub('other_host_ed25519.pub'),
    clientKeyFile: path.join(dir, 'client_ed25519'),
    commands: () => fs.readFileSync(path.join(dir, 'commands.log'), 'utf8').split('\n').filter(Boolean),
    log: () => fs.readFileSync(logFile, 'utf8'),
    stop: async () => {
      if (!exited && child.pid) process.kill(child.pid, 'SIGTERM');
      await exit;
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
