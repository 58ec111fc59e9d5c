import { describe, expect, it } from 'vitest';
import { fingerprintOfBlob, fingerprintOfKeyLine, hostKeyAlgorithmsFor } from './host-key-fingerprint.js';

// `ssh-keygen -lf` of this key prints SHA256:+DiY3wvvV6TuJJhbpZisF/zLDA0zPMSvHdkr4UvCOqU (OpenSSH 9.2);
// the integration tests also compare against ssh-keygen on a fresh host key every run.
const KEY = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl root@web1';

describe('host key fingerprints', () => {
  it('is base64 SHA-256 of the blob without padding, prefixed SHA256:', () => {
    const fp = fingerprintOfKeyLine(KEY);
    expect(fp).toBe('SHA256:+DiY3wvvV6TuJJhbpZisF/zLDA0zPMSvHdkr4UvCOqU');
    expect(fp).toBe(fingerprintOfBlob(Buffer.from(KEY.split(' ')[1] as string, 'base64')));
  });
  it('refuses a line without a blob', () => {
    expect(fingerprintOfKeyLine('ssh-ed25519')).toBeUndefined();
    expect(fingerprintOfKeyLine('ssh-ed25519 !!!')).toBeUndefined();
  });
  it('offers only the pinned key type (RSA by its SHA-2 signature names too)', () => {
    expect(hostKeyAlgorithmsFor('ssh-ed25519')).toEqual(['ssh-ed25519']);
    expect(hostKeyAlgorithmsFor('ssh-rsa')).toContain('rsa-sha2-256');
  });
});
