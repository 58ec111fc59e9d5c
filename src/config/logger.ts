import { pino, type Logger } from 'pino';

/** JSON logs in UTC; credentials and cookies are redacted before they are written (ASVS 7.1.1). */
export function createLogger(level: string): Logger {
  return pino({
    level,
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
      ],
      censor: '[redacted]',
    },
  });
}
