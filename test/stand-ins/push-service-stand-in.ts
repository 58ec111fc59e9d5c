/**
 * A local push service (RFC 8030), the kind a browser's PushSubscription endpoint points at (Mozilla
 * autopush, Google FCM): an `https` server on 127.0.0.1 with a throwaway self-signed certificate made by
 * the `openssl` CLI, that records every message and answers 201 (or what it is told to). Web push only
 * speaks HTTPS, so the app is pointed at the certificate with BALLOU_WEB_PUSH_CA_FILE.
 *
 * It also plays the browser: `createBrowser()` owns a subscription's P-256 key pair and auth secret as a
 * browser does and decrypts what it is sent with http_ece (RFC 8291, aes128gcm); `verifyVapid` checks
 * the VAPID `Authorization` header (RFC 8292) as a push service does.
 */
import { execFileSync } from 'node:child_process';
import { createECDH, createPublicKey, randomBytes, verify, type ECDH } from 'node:crypto';
import fs from 'node:fs';
import type { IncomingHttpHeaders } from 'node:http';
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import ece from 'http_ece';

export interface PushMessage {
  /** The endpoint path, e.g. `/push/anna-phone`. */
  path: string;
  headers: IncomingHttpHeaders;
  /** The encrypted body as received. */
  body: Buffer;
  /** The status the stand-in answered with. */
  status: number;
}

export interface PushServiceStandIn {
  /** `https://127.0.0.1:<port>` */
  origin: string;
  /** PEM of the self-signed certificate: the value for BALLOU_WEB_PUSH_CA_FILE. */
  caFile: string;
  messages: PushMessage[];
  /** A subscription endpoint on this service, e.g. `endpoint('anna-phone')`. */
  endpoint(name: string): string;
  /** The next `n` messages (to any endpoint) answer `status`. */
  failNext(n: number, status: number): void;
  /** Every message to this endpoint answers 410 from now on, as after the browser unsubscribed. */
  expire(endpoint: string): void;
  messagesTo(endpoint: string): PushMessage[];
  close(): Promise<void>;
}

/** A self-signed certificate for 127.0.0.1 in a new temporary folder. */
function makeCertificate(): { dir: string; keyFile: string; certFile: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ballou-push-'));
  const keyFile = path.join(dir, 'key.pem');
  const certFile = path.join(dir, 'cert.pem');
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:prime256v1',
      '-nodes',
      '-keyout',
      keyFile,
      '-out',
      certFile,
      '-days',
      '2',
      '-subj',
      '/CN=127.0.0.1',
      '-addext',
      'subjectAltName=IP:127.0.0.1',
    ],
    { stdio: 'ignore' },
  );
  return { dir, keyFile, certFile };
}

export async function startPushServiceStandIn(): Promise<PushServiceStandIn> {
  const { dir, keyFile, certFile } = makeCertificate();
  const messages: PushMessage[] = [];
  const failures: number[] = [];
  const expired = new Set<string>();
  let counter = 0;
  const server = createServer(
    { key: fs.readFileSync(keyFile), cert: fs.readFileSync(certFile) },
    (req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const pathName = req.url ?? '/';
        const failWith = expired.has(pathName) ? 410 : failures.shift();
        const status = failWith ?? 201;
        messages.push({ path: pathName, headers: req.headers, body: Buffer.concat(chunks), status });
        if (status === 201) {
          counter += 1;
          res.writeHead(201, { location: `${origin}/message/m${counter}`, 'content-length': '0' });
          res.end();
        } else {
          res.writeHead(status, { 'content-type': 'text/plain' });
          res.end(status === 410 ? 'push subscription has unsubscribed or expired' : 'refused');
        }
      });
    },
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const origin = `https://127.0.0.1:${port}`;
  return {
    origin,
    caFile: certFile,
    messages,
    endpoint: (name) => `${origin}/push/${name}`,
    failNext(n, status) {
      for (let i = 0; i < n; i++) failures.push(status);
    },
    expire(endpoint) {
      expired.add(new URL(endpoint).pathname);
    },
    messagesTo: (endpoint) => messages.filter((m) => m.path === new URL(endpoint).pathname),
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => {
          fs.rmSync(dir, { recursive: true, force: true });
          if (error) reject(error);
          else resolve();
        });
        server.closeAllConnections();
      }),
  };
}

/** A browser's side of one subscription: its key pair and auth secret, as PushSubscription.toJSON(). */
export interface Browser {
  ecdh: ECDH;
  authSecret: Buffer;
  subscription(endpoint: string): {
    endpoint: string;
    expirationTime: null;
    keys: { p256dh: string; auth: string };
  };
  /** Decrypts a message sent to this browser (aes128gcm) and parses its JSON. */
  decrypt(message: PushMessage): unknown;
}

export function createBrowser(): Browser {
  const ecdh = createECDH('prime256v1');
  ecdh.generateKeys();
  const authSecret = randomBytes(16);
  return {
    ecdh,
    authSecret,
    subscription: (endpoint) => ({
      endpoint,
      expirationTime: null,
      keys: { p256dh: ecdh.getPublicKey().toString('base64url'), auth: authSecret.toString('base64url') },
    }),
    decrypt: (message) =>
      JSON.parse(
        ece.decrypt(message.body, { version: 'aes128gcm', privateKey: ecdh, authSecret }).toString('utf8'),
      ),
  };
}

export interface VapidClaims {
  aud: string;
  exp: number;
  sub: string;
}

/**
 * Checks `Authorization: vapid t=<JWT>, k=<public key>` as a push service does: the key is the one
 * given, the ES256 signature verifies with it, and the claims name this service. Returns the claims.
 */
export function verifyVapid(headers: IncomingHttpHeaders, expectedPublicKey: string): VapidClaims {
  const match = /^vapid t=([^,\s]+),\s*k=([A-Za-z0-9_-]+)$/.exec(headers.authorization ?? '');
  if (!match?.[1] || !match[2]) throw new Error(`not a VAPID Authorization header: ${headers.authorization}`);
  const [token, key] = [match[1], match[2]];
  if (key !== expectedPublicKey) throw new Error('VAPID key is not the expected public key');
  const [header, payload, signature] = token.split('.') as [string, string, string];
  const point = Buffer.from(key, 'base64url');
  const publicKey = createPublicKey({
    key: {
      kty: 'EC',
      crv: 'P-256',
      x: point.subarray(1, 33).toString('base64url'),
      y: point.subarray(33, 65).toString('base64url'),
    },
    format: 'jwk',
  });
  const ok = verify(
    'sha256',
    Buffer.from(`${header}.${payload}`),
    { key: publicKey, dsaEncoding: 'ieee-p1363' },
    Buffer.from(signature, 'base64url'),
  );
  if (!ok) throw new Error('VAPID signature does not verify');
  const alg = (JSON.parse(Buffer.from(header, 'base64url').toString('utf8')) as { alg?: string }).alg;
  if (alg !== 'ES256') throw new Error(`VAPID JWT alg is ${alg}, not ES256`);
  return JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as VapidClaims;
}
