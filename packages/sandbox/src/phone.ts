/** Digits, optional leading '+', 8 to 15 digits: the international form gateways accept. */
export function isValidRecipient(to: string): boolean {
  return /^\+?\d{8,15}$/.test(to);
}

/**
 * Meta's business-scoped user id (BSUID): a two-letter country code, a period, for a parent BSUID
 * 'ENT.', and up to 128 letters and digits, e.g. 'ID.1502576394655843' or 'US.ENT.11815799212886844'.
 */
export function isBusinessScopedUserId(userId: unknown): userId is string {
  return typeof userId === 'string' && /^[A-Z]{2}\.(?:ENT\.)?[A-Za-z0-9]{1,128}$/.test(userId);
}

/** The digits of a number as people type it, e.g. '+62 812-345' as '62812345'. */
export function digitsOnly(value: string): string {
  return value.replace(/\D/g, '');
}

/**
 * An Indonesian mobile number in any of the forms people type (08…, +62…, 62…, with spaces or
 * dashes) as 62 and 8 to 13 digits, or undefined when it is not one.
 */
export function normalizeIndonesian(raw: string): string | undefined {
  const compact = raw.replace(/[\s\-().]/g, '');
  const international = compact.startsWith('0')
    ? `62${compact.slice(1)}`
    : compact.replace(/^\+/, '');
  return /^628\d{7,12}$/.test(international) ? international : undefined;
}
