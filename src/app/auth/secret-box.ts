import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/**
 * Seals small secrets (TOTP seeds) at rest with AES-256-GCM under BALLOU_TOTP_KEY, so a copy of the
 * database alone does not yield second factors. Without a key the value is stored with a `plain:`
 * prefix (documented in docs/security.md); a sealed value is `gcm1:<iv>.<tag>.<ciphertext>` (base64url).
 */
export function sealSecret(key: string, secret: string): string {
  if (key === '') return `plain:${secret}`;
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', keyBytes(key), iv);
  const ciphertext = Buffer.concat([cipher.update(secret, 'utf8'), cipher.final()]);
  return `gcm1:${[iv, cipher.getAuthTag(), ciphertext].map((b) => b.toString('base64url')).join('.')}`;
}

export function openSecret(key: string, sealed: string): string {
  if (sealed.startsWith('plain:')) return sealed.slice('plain:'.length);
  if (!sealed.startsWith('gcm1:')) throw new Error('unknown sealed-secret format');
  if (key === '') throw new Error('a TOTP secret is sealed but BALLOU_TOTP_KEY is not set');
  const [iv, tag, ciphertext] = sealed
    .slice('gcm1:'.length)
    .split('.')
    .map((p) => Buffer.from(p, 'base64url'));
  if (!iv || !tag || !ciphertext) throw new Error('malformed sealed secret');
  const decipher = createDecipheriv('aes-256-gcm', keyBytes(key), iv);
  decipher.setAuthTag(tag);
  return Buffer.concat([decipher.update(ciphertext), decipher.final()]).toString('utf8');
}

function keyBytes(key: string): Buffer {
  return /^[0-9a-fA-F]{64}$/.test(key) ? Buffer.from(key, 'hex') : Buffer.from(key, 'base64');
}
