const KEY_TYPES = [
  'ssh-ed25519',
  'ecdsa-sha2-nistp256',
  'ecdsa-sha2-nistp384',
  'ecdsa-sha2-nistp521',
  'ssh-rsa',
] as const;

/**
 * Checks an OpenSSH public host key line (`ssh-ed25519 AAAA… [comment]`) and returns it without the
 * comment, or undefined when it is not one. The base64 blob must itself start with the same key type,
 * which catches keys pasted from the wrong line of known_hosts.
 * @example parseHostKey('ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl host') // 'ssh-ed25519 AAAAC3…GKJl'
 */
export function parseHostKey(line: string): string | undefined {
  const parts = line.trim().split(/\s+/);
  const [type, blob] = parts;
  if (!type || !blob || !(KEY_TYPES as readonly string[]).includes(type)) return undefined;
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(blob)) return undefined;
  let bytes: string;
  try {
    bytes = atob(blob);
  } catch {
    return undefined;
  }
  if (bytes.length < 4) return undefined;
  const len =
    (bytes.charCodeAt(0) << 24) |
    (bytes.charCodeAt(1) << 16) |
    (bytes.charCodeAt(2) << 8) |
    bytes.charCodeAt(3);
  if (bytes.slice(4, 4 + len) !== type) return undefined;
  return `${type} ${blob}`;
}
