import { describe, expect, it } from 'vitest';
import { NAMED, NOT_SECRETS, SECRETS } from '../../test/fixtures/secret-samples.ts';
import { maskSecrets, redactAttributes } from './redact.ts';

describe('secret detectors on the labelled set', () => {
  it.each(SECRETS.map((s) => [s.name, s] as const))('masks %s', (_name, sample) => {
    expect(maskSecrets(sample.text)).toBe(sample.masked);
  });

  it.each(NOT_SECRETS)('leaves %s untouched', (text) => {
    expect(maskSecrets(text)).toBe(text);
  });

  it('masks every secret in a string that holds several, each by its kind', () => {
    const text = SECRETS.map((s) => s.text).join('\n');
    expect(maskSecrets(text)).toBe(SECRETS.map((s) => s.masked).join('\n'));
  });
});

describe('attributes named like a secret', () => {
  it.each(NAMED)('%s = %j is stored as %j', (key, value, stored) => {
    const attrs = { 'service.name': 'shop', [key]: value };
    expect(redactAttributes(attrs, { captureContent: false }).attributes).toEqual({
      'service.name': 'shop',
      [key]: stored,
    });
  });

  it('masks every string under a secret name, in arrays and maps, keeping numbers and flags', () => {
    const attrs = {
      'http.request.header.authorization': ['Bearer 9f8e7d6c5b4a3928', 'Basic YWxhZGRpbjpvcGVu'],
      credentials: { user: 'jane', key: 'k-1', rotated: true, ttl: 3600 },
      config: { db: { password: 'hunter2', host: 'db.internal' } },
    };
    expect(redactAttributes(attrs, { captureContent: true }).attributes).toEqual({
      'http.request.header.authorization': ['Bearer [REDACTED:bearer_token]', '[REDACTED:authorization]'],
      credentials: {
        user: '[REDACTED:credentials]',
        key: '[REDACTED:credentials]',
        rotated: true,
        ttl: 3600,
      },
      config: { db: { password: '[REDACTED:password]', host: 'db.internal' } },
    });
  });

  it('keeps a value the sender already masked and an empty one', () => {
    const attrs = { password: '[REDACTED:password]', api_key: '' };
    expect(redactAttributes(attrs, { captureContent: false }).attributes).toBe(attrs);
  });
});
