import { pino, type DestinationStream, type Logger, type LoggerOptions } from 'pino';

/**
 * Secrets that travel in URLs because phones and calendar apps cannot send headers (ASVS 5.0 14.2.1):
 * path segments after these prefixes and the values of these query parameters are masked wherever a URL
 * is logged. Add a route here when it takes a secret in its address.
 */
export const SECRET_URL_SEGMENTS: readonly string[] = ['/l/', '/links/', '/consent/'];
export const SECRET_URL_PARAMS: readonly string[] = ['token', 'routing_key', 'key', 'secret', 'code'];

const REDACTED = '[redacted]';

/** The URL with every secret path segment and query value from the lists above replaced. */
export function maskUrl(url: string): string {
  const queryAt = url.indexOf('?');
  let pathPart = queryAt === -1 ? url : url.slice(0, queryAt);
  for (const prefix of SECRET_URL_SEGMENTS) {
    const at = pathPart.indexOf(prefix);
    if (at === -1) continue;
    const start = at + prefix.length;
    const end = pathPart.indexOf('/', start);
    if (end === start) continue;
    pathPart = `${pathPart.slice(0, start)}${REDACTED}${end === -1 ? '' : pathPart.slice(end)}`;
  }
  if (queryAt === -1) return pathPart;
  const query = url
    .slice(queryAt + 1)
    .split('&')
    .map((pair) => {
      const eq = pair.indexOf('=');
      const name = eq === -1 ? pair : pair.slice(0, eq);
      let decoded = name;
      try {
        decoded = decodeURIComponent(name);
      } catch {
        // a malformed escape is logged as sent
      }
      return eq !== -1 && SECRET_URL_PARAMS.includes(decoded.toLowerCase()) ? `${name}=${REDACTED}` : pair;
    })
    .join('&');
  return `${pathPart}?${query}`;
}

/** JSON logs in UTC; credentials and cookies are redacted before they are written (ASVS 7.1.1). */
export function createLogger(level: string, destination?: DestinationStream): Logger {
  const options: LoggerOptions<never> = {
    level,
    serializers: {
      req: (req: { method?: string; url?: string; id?: string; ip?: string }) => ({
        id: req.id,
        method: req.method,
        url: req.url ? maskUrl(req.url) : req.url,
        remoteAddress: req.ip,
      }),
      // Any other logged `url` field (e.g. "access refused") is masked the same way.
      url: (url: unknown) => (typeof url === 'string' ? maskUrl(url) : url),
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
      censor: REDACTED,
    },
  };
  return destination ? pino(options, destination) : pino(options);
}
