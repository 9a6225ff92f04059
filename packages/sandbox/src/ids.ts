import { randomBytes, randomInt } from 'node:crypto';

/** A WhatsApp message id: 'wamid.' and 24 random bytes in base64url. */
export function newMessageId(): string {
  return `wamid.${randomBytes(24).toString('base64url')}`;
}

/** Numeric ids like Meta's media and template ids; never starts with 0. */
export function randomDigits(length: number): string {
  let id = String(randomInt(1, 10));
  while (id.length < length) id += String(randomInt(0, 10));
  return id;
}

/** A Graph error's fbtrace_id, for clients that log it. */
export function newFbtraceId(): string {
  return `A${randomBytes(15).toString('base64url')}`;
}

/** A WhatsApp Web message id ('3EB0' and 16 hex digits), as gateways built on it return. */
export function newWebMessageId(): string {
  return `3EB0${randomBytes(8).toString('hex').toUpperCase()}`;
}
