import { describe, expect, it } from 'vitest';
import {
  MAX_LABELS,
  MAX_LINKS,
  optionalText,
  safeLabels,
  safeLink,
  safeLinks,
  safeMultilineText,
  safeText,
} from './text-safety.js';

describe('safeText', () => {
  it('turns CR, LF and other controls into single spaces (no header or SMS line injection)', () => {
    expect(safeText('Disk full\r\nBcc: victim@example.com')).toBe('Disk full Bcc: victim@example.com');
    expect(safeText('a\u2028b\u2029c\u0085d\u0000e\u001bf\u007fg')).toBe('a b c d e f g');
    expect(safeText('  tabs\tand   spaces  ')).toBe('tabs and spaces');
  });

  it('drops bidirectional overrides (Trojan Source) and repairs lone surrogates', () => {
    expect(safeText('abc\u202edcba\u202c')).toBe('abcdcba');
    expect(safeText('x\ud800y')).toBe('x\ufffdy');
    expect(safeText('x\udc00')).toBe('x\ufffd');
    expect(safeText('ok 😀')).toBe('ok 😀');
  });

  it('caps the length in code points, never splitting a surrogate pair', () => {
    expect(safeText('a'.repeat(10), 5)).toBe('aaaa…');
    expect(safeText('😀'.repeat(10), 5)).toBe('😀😀😀😀…');
    expect(safeText('åäö', 3)).toBe('åäö');
    expect(Array.from(safeText('x'.repeat(5000))).length).toBe(1024);
  });
});

describe('safeMultilineText', () => {
  it('keeps line feeds, normalises CRLF, strips other controls and squeezes blank lines', () => {
    expect(safeMultilineText('a\r\nb\u0007c\n\n\n\nd')).toBe('a\nb c\n\nd');
    expect(safeMultilineText('line  \nnext\u2028same')).toBe('line\nnext same');
  });
});

describe('safeLink', () => {
  it('keeps absolute http(s) URLs only', () => {
    expect(safeLink('https://grafana.example/d/abc?x=1')).toBe('https://grafana.example/d/abc?x=1');
    expect(safeLink('http://prometheus:9090/graph?g0.expr=up')).toBe(
      'http://prometheus:9090/graph?g0.expr=up',
    );
    expect(safeLink('javascript:alert(1)')).toBeNull();
    expect(safeLink('data:text/html,<script>')).toBeNull();
    expect(safeLink('/relative')).toBeNull();
    expect(safeLink('https://user:pw@host.example/')).toBeNull();
    expect(safeLink('https://host.example/\r\nX: y')).toBeNull();
    expect(safeLink(42)).toBeNull();
    expect(safeLink(`https://h.example/${'a'.repeat(3000)}`)).toBeNull();
  });

  it('keeps at most MAX_LINKS distinct links', () => {
    const many = Array.from({ length: 20 }, (_, i) => `https://h.example/${i}`);
    expect(safeLinks([...many, many[0]])).toHaveLength(MAX_LINKS);
    expect(safeLinks(['https://a.example/', 'ftp://x', 'https://a.example/'])).toEqual([
      'https://a.example/',
    ]);
  });
});

describe('safeLabels', () => {
  it('cleans names and values, drops empty names, keeps __proto__ as an ordinary property', () => {
    const labels = JSON.parse('{"__proto__":"x","a\\nb":"v\\r\\n1","":"empty"}') as Record<string, string>;
    const safe = safeLabels(labels);
    expect(Object.getPrototypeOf(safe)).toBe(Object.prototype);
    expect(Object.hasOwn(safe, '__proto__')).toBe(true);
    expect(safe['a b']).toBe('v 1');
    expect(Object.keys(safe)).toHaveLength(2);
  });

  it('keeps at most MAX_LABELS', () => {
    const labels = Object.fromEntries(Array.from({ length: 500 }, (_, i) => [`l${i}`, String(i)]));
    expect(Object.keys(safeLabels(labels))).toHaveLength(MAX_LABELS);
  });
});

describe('optionalText', () => {
  it('is null for non-strings and for text that is only whitespace or controls', () => {
    expect(optionalText(undefined)).toBeNull();
    expect(optionalText(5)).toBeNull();
    expect(optionalText(' \r\n\t')).toBeNull();
    expect(optionalText(' web1 ')).toBe('web1');
  });
});
