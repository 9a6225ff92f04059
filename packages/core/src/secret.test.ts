import { describe, expect, it } from 'vitest';
import { KabarError } from './errors.js';
import { isLoopbackHost, refuseDevSecrets, requireSecret, secretMatches } from './secret.js';

describe('requireSecret', () => {
  it('refuses a missing, empty or short secret without echoing it', () => {
    for (const value of [undefined, '', 'short-key']) {
      let caught: unknown;
      try {
        requireSecret(value, 'TOKEN_SECRET');
      } catch (error) {
        caught = error;
      }
      expect(KabarError.isInstance(caught) && caught.code).toBe('invalid_config');
      expect(String((caught as Error).message)).toContain('TOKEN_SECRET');
      if (value) expect(String((caught as Error).message)).not.toContain(value);
    }
  });

  it('returns a long enough secret', () => {
    expect(requireSecret('a-long-random-secret', 'TOKEN_SECRET')).toBe('a-long-random-secret');
  });
});

describe('refuseDevSecrets', () => {
  const settings = [
    { setting: 'WOO_WEBHOOK_SECRET', value: 'dev-secret-value', devValue: 'dev-secret-value' },
    { setting: 'ADMIN_TOKEN', value: 'chosen-by-operator', devValue: 'dev-admin' },
  ];

  it('allows development secrets on loopback only', () => {
    for (const host of ['127.0.0.1', 'localhost', '::1', '[::1]']) {
      expect(isLoopbackHost(host)).toBe(true);
      expect(() => refuseDevSecrets(host, settings)).not.toThrow();
    }
  });

  it('names the setting to change when listening beyond this machine', () => {
    expect(() => refuseDevSecrets('0.0.0.0', settings)).toThrow(/WOO_WEBHOOK_SECRET/);
    expect(() => refuseDevSecrets('0.0.0.0', settings)).not.toThrow(/ADMIN_TOKEN/);
    expect(() => refuseDevSecrets('0.0.0.0', settings.slice(1))).not.toThrow();
  });
});

describe('secretMatches', () => {
  it('is true only for the same secret, whatever was presented', () => {
    expect(secretMatches('a-long-random-secret', 'a-long-random-secret')).toBe(true);
    for (const given of ['a-long-random-secreT', 'a-long', '', undefined, 42]) {
      expect(secretMatches(given, 'a-long-random-secret')).toBe(false);
    }
  });
});
