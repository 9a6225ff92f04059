/** Digits, optional leading '+', 8 to 15 digits: the international form gateways accept. */
export function isValidRecipient(to: string): boolean {
  return /^\+?\d{8,15}$/.test(to);
}

export function digitsOnly(value: string): string {
  return value.replace(/\D/g, '');
}
