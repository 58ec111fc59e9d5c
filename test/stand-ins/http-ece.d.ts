/** http_ece (RFC 8188 encrypted content encoding; a web-push dependency) has no types of its own. */
declare module 'http_ece' {
  import type { ECDH } from 'node:crypto';

  export interface EceParams {
    version: 'aes128gcm' | 'aesgcm' | 'aesgcm128';
    /** The receiver's ECDH key (the browser's subscription key pair). */
    privateKey?: ECDH;
    /** The subscription's 16-byte auth secret. */
    authSecret?: Buffer;
    dh?: string | Buffer;
    salt?: string | Buffer;
    rs?: number;
    key?: Buffer;
    keyid?: string;
  }

  export function decrypt(buffer: Buffer, params: EceParams): Buffer;
  export function encrypt(buffer: Buffer, params: EceParams): Buffer;

  const ece: { decrypt: typeof decrypt; encrypt: typeof encrypt };
  export default ece;
}
