import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger, maskUrl } from './logger.js';

describe('maskUrl', () => {
  it('hides tokens carried in URLs', () => {
    expect(maskUrl('/api/v1/oncall/calendar.ics?engineerId=e1&token=cal_secret')).toBe(
      '/api/v1/oncall/calendar.ics?engineerId=e1&token=[redacted]',
    );
    expect(maskUrl('/l/abcdefghijklmnopqrstuvwxyz')).toBe('/l/[redacted]');
    expect(maskUrl('/api/v1/links/abcdefghijklmnop')).toBe('/api/v1/links/[redacted]');
    expect(maskUrl('/api/v1/customers?limit=5')).toBe('/api/v1/customers?limit=5');
  });

  it('masks the secret segment only, keeps what follows, and finds parameters in any case or escape', () => {
    expect(maskUrl('/consent/tok123?lang=en')).toBe('/consent/[redacted]?lang=en');
    expect(maskUrl('/api/v1/links/tok123/extra')).toBe('/api/v1/links/[redacted]/extra');
    expect(maskUrl('/x?TOKEN=a&%74oken=b&tokenish=c')).toBe(
      '/x?TOKEN=[redacted]&%74oken=[redacted]&tokenish=c',
    );
    expect(maskUrl('/api/v1/incidents/abc/consent')).toBe('/api/v1/incidents/abc/consent');
  });
});

describe('createLogger', () => {
  it('masks a logged url field and redacts secret fields', () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _enc, done) {
        lines.push(chunk.toString());
        done();
      },
    });
    const logger = createLogger('debug', sink);
    logger.warn({ url: '/l/secretlinktoken', body: { password: 'hunter2hunter2' } }, 'access refused');
    const out = lines.join('');
    expect(out).toContain('/l/[redacted]');
    expect(out).not.toContain('secretlinktoken');
    expect(out).not.toContain('hunter2hunter2');
  });
});
