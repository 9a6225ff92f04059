export const REDACTED = '[redacted]';

/**
 * Remembers every secret of a run (gateway keys, Google tokens, the service account's private key,
 * tokens minted later) and blanks them out of anything about to be printed.
 */
export class Redactor {
  readonly #secrets = new Set<string>();

  add(secret: string | undefined): void {
    const value = secret?.trim();
    // Very short values would blank out ordinary words; real keys and tokens are long.
    if (value && value.length >= 6) this.#secrets.add(value);
  }

  text(text: string): string {
    let result = text;
    // Longest first, so a secret that contains another is hidden whole.
    for (const secret of [...this.#secrets].sort((a, b) => b.length - a.length)) {
      if (result.includes(secret)) result = result.split(secret).join(REDACTED);
    }
    return result;
  }
}
