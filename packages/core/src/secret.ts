import { KabarError } from './errors.js';

/**
 * The shortest secret Kabar accepts. Gateways issue longer ones (Meta's app secret is 32 hex
 * characters); anything shorter is a placeholder or a typo, and an empty key makes every HMAC forgeable.
 */
export const MIN_SECRET_LENGTH = 12;

/**
 * Returns `value` when it is a string of at least `minLength` characters; otherwise throws
 * `invalid_config` naming the setting (never its value). Call it where a secret is configured, so a
 * missing secret stops the app at start instead of accepting forged signatures or tokens later.
 */
export function requireSecret(
  value: unknown,
  setting: string,
  minLength: number = MIN_SECRET_LENGTH,
): string {
  if (typeof value !== 'string' || value === '') {
    throw new KabarError(
      'invalid_config',
      `${setting} is required: set it to a long random secret`,
    );
  }
  if (value.length < minLength) {
    throw new KabarError(
      'invalid_config',
      `${setting} is too short (${value.length} characters); use at least ${minLength} random characters`,
    );
  }
  return value;
}

/** A secret setting and the public development value it falls back to. */
export interface DevSecretSetting {
  /** Where the operator sets it, e.g. the environment variable `WOO_WEBHOOK_SECRET`. */
  setting: string;
  value: string | undefined;
  /** The development default published in the README and the source. */
  devValue: string;
}

/** True for addresses only this machine can reach: `127.0.0.0/8`, `::1`, `localhost`. */
export function isLoopbackHost(host: string): boolean {
  const bare = host.replace(/^\[|\]$/g, '').toLowerCase();
  return (
    bare === 'localhost' || bare === '::1' || bare.endsWith('.localhost') || /^127\./.test(bare)
  );
}

/**
 * Throws `invalid_config` when a service would listen beyond this machine while still using a
 * development secret that anyone can read in our README. The message names each setting to change.
 */
export function refuseDevSecrets(host: string, settings: readonly DevSecretSetting[]): void {
  if (isLoopbackHost(host)) return;
  const exposed = settings.filter((entry) => entry.value === entry.devValue).map((s) => s.setting);
  if (exposed.length === 0) return;
  throw new KabarError(
    'invalid_config',
    `refusing to listen on ${host} with the public development value of ${exposed.join(', ')}: ` +
      `set ${exposed.length === 1 ? 'it' : 'them'} to long random secrets, or listen on 127.0.0.1`,
  );
}

/**
 * Whether `given` (a key or token a caller presented) equals `expected`, in constant time: every
 * character of `expected` is compared whatever was sent, so timing reveals at most its length.
 * Plain JavaScript rather than node:crypto, so the core bundle still runs in Apps Script and browsers.
 */
export function secretMatches(given: unknown, expected: string): boolean {
  if (typeof given !== 'string') return false;
  let difference = given.length ^ expected.length;
  for (let index = 0; index < expected.length; index++) {
    // Past the end of `given`, charCodeAt is NaN, which `| 0` turns into 0: still a mismatch.
    difference |= (given.charCodeAt(index) | 0) ^ expected.charCodeAt(index);
  }
  return difference === 0;
}
