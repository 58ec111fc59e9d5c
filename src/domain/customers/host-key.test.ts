import { describe, expect, it } from 'vitest';
import { parseHostKey } from './host-key.js';

const ED = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl';

describe('parseHostKey', () => {
  it('accepts an OpenSSH key line and drops the comment', () => {
    expect(parseHostKey(`${ED} root@web1`)).toBe(ED);
  });
  it('refuses a blob of another key type, garbage and unknown types', () => {
    expect(parseHostKey(ED.replace('ssh-ed25519', 'ssh-rsa'))).toBeUndefined();
    expect(parseHostKey('ssh-ed25519 not-base64!')).toBeUndefined();
    expect(parseHostKey('ssh-dss AAAA')).toBeUndefined();
    expect(parseHostKey('')).toBeUndefined();
  });
});
