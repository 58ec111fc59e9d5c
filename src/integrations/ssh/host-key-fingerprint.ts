import { createHash } from 'node:crypto';

/**
 * The OpenSSH `SHA256:` fingerprint of a raw host key blob: base64 of its SHA-256 without `=` padding,
 * as `ssh-keygen -lf host_key.pub` prints it (integrations.md A8).
 */
export function fingerprintOfBlob(blob: Buffer): string {
  return `SHA256:${createHash('sha256').update(blob).digest('base64').replace(/=+$/, '')}`;
}

/**
 * The fingerprint of an OpenSSH public key line (`ssh-ed25519 AAAA… [comment]`), or undefined when the
 * line has no base64 blob.
 * @example fingerprintOfKeyLine('ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMq…') // 'SHA256:…'
 */
export function fingerprintOfKeyLine(line: string): string | undefined {
  const blob = line.trim().split(/\s+/)[1];
  if (!blob || !/^[A-Za-z0-9+/]+={0,2}$/.test(blob)) return undefined;
  return fingerprintOfBlob(Buffer.from(blob, 'base64'));
}

/** The host key algorithms to offer for a pinned key type, so the server presents that very key. */
export function hostKeyAlgorithmsFor(keyType: string): string[] {
  return keyType === 'ssh-rsa' ? ['rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa'] : [keyType];
}
