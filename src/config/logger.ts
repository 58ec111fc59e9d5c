import { pino, type Logger } from 'pino';

/** Secrets that travel in URLs (calendar feed tokens, one-time links) are masked in logged URLs. */
export function maskUrl(url: string): string {
  return url
    .replace(/([?&]token=)[^&]*/gi, '$1[redacted]')
    .replace(/^\/l\/[^/?]+/, '/l/[redacted]')
    .replace(/(\/links\/)[^/?]+/, '$1[redacted]');
}

/** JSON logs in UTC; credentials and cookies are redacted before they are written (ASVS 7.1.1). */
export function createLogger(level: string): Logger {
  return pino({
    level,
    serializers: {
      req: (req: { method?: string; url?: string; id?: string; ip?: string }) => ({
        id: req.id,
        method: req.method,
        url: req.url ? maskUrl(req.url) : req.url,
        remoteAddress: req.ip,
      }),
    },
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: {
      paths: [
        'req.headers.authorization',
        'req.headers.cookie',
        'req.headers["x-csrf-token"]',
        'req.headers["x-twilio-signature"]',
        'res.headers["set-cookie"]',
        '*.password',
        '*.token',
        '*.routing_key',
        '*.privateKey',
        '*.vapidPrivateKey',
        '*.totpKey',
        '*.recoveryCodes',
      ],
      censor: '[redacted]',
    },
  });
}
