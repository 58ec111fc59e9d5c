import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runOverSsh, type SshTarget } from '../../src/integrations/ssh/ssh-executor.js';
import { startSshd, sshdForTests, type SshdStandIn } from '../stand-ins/sshd.js';

const SSHD = sshdForTests();

// The SSH adapter against a real OpenSSH server whose key is restricted to a wrapper (integrations.md A8).
describe.skipIf(!SSHD)('SSH executor against OpenSSH on loopback', { timeout: 60_000 }, () => {
  let sshd: SshdStandIn;
  let target: SshTarget;
  let privateKey: Buffer;
  const run = (t: SshTarget, commands: { command: string; timeoutMs: number }[], maxOutputBytes = 4096) =>
    runOverSsh(t, { privateKey, connectTimeoutMs: 15_000, maxOutputBytes, commands });

  beforeAll(async () => {
    sshd = await startSshd(SSHD as string);
    privateKey = fs.readFileSync(sshd.clientKeyFile);
    target = { host: sshd.host, port: sshd.port, username: sshd.user, pinnedHostKey: sshd.hostKey };
  });
  afterAll(async () => sshd?.stop());

  it('runs the command and its check over one connection, with exit status and output', async () => {
    const result = await run(target, [
      { command: 'sudo systemctl restart nginx', timeoutMs: 5_000 },
      { command: 'systemctl is-active nginx', timeoutMs: 5_000 },
    ]);
    expect(result.kind).toBe('ran');
    if (result.kind !== 'ran') return;
    expect(result.hostKeyFingerprint).toBe(sshd.hostKeyFingerprint);
    expect(result.results.map((r) => [r.exitCode, r.output.trim(), r.timedOut])).toEqual([
      [0, 'nginx restarted', false],
      [0, 'active', false],
    ]);
    expect(sshd.log()).toMatch(/Accepted publickey for \S+ from 127\.0\.0\.1 .* ED25519 SHA256:/);
  });

  it('records a failing command with its standard error, and the wrapper refusing anything else', async () => {
    const result = await run(target, [
      { command: 'sudo systemctl restart mariadb', timeoutMs: 5_000 },
      { command: 'cat /etc/shadow', timeoutMs: 5_000 },
    ]);
    if (result.kind !== 'ran') throw new Error(result.kind);
    expect(result.results.map((r) => [r.exitCode, r.output.trim()])).toEqual([
      [1, 'Job for mariadb.service failed'],
      [126, 'denied: cat /etc/shadow'],
    ]);
  });

  it('refuses a server whose host key is not the pinned one, before logging in', async () => {
    const before = sshd.commands().length;
    const result = await run({ ...target, pinnedHostKey: sshd.otherHostKey }, [
      { command: 'sudo systemctl restart nginx', timeoutMs: 5_000 },
    ]);
    expect(result).toEqual({
      kind: 'host_key_mismatch',
      pinnedFingerprint: expect.stringMatching(/^SHA256:/),
      presentedFingerprint: sshd.hostKeyFingerprint,
    });
    expect(sshd.commands().length).toBe(before);
  });

  it('stops a hanging command at its timeout', async () => {
    const result = await run(target, [{ command: 'sudo systemctl restart hang', timeoutMs: 1_000 }]);
    if (result.kind !== 'ran') throw new Error(result.kind);
    const [hang] = result.results;
    expect(hang?.timedOut).toBe(true);
    expect(hang?.exitCode).toBeNull();
    expect(hang?.durationMs).toBeGreaterThanOrEqual(1_000);
    expect(hang?.durationMs).toBeLessThan(5_000);
  });

  it('keeps at most the configured output and says how much it dropped', async () => {
    const result = await run(target, [{ command: 'sudo systemctl restart flood', timeoutMs: 5_000 }], 1_000);
    if (result.kind !== 'ran') throw new Error(result.kind);
    const [flood] = result.results;
    expect(flood?.outputBytes).toBe(100_000);
    expect(flood?.output).toBe(`${'x'.repeat(1_000)}\n[… 99000 more bytes not kept]`);
  });

  it('reports a server that does not answer as a connection failure', async () => {
    const result = await run({ ...target, port: 1 }, [
      { command: 'sudo systemctl restart nginx', timeoutMs: 1_000 },
    ]);
    expect(result.kind).toBe('connect_failed');
  });
});
