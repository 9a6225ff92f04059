import type { WaviroConnection, WaviroGroup } from '../../types.js';

/** The bot's own number until a test says otherwise (the docs show 6283xxxxxxxxx). */
export const WAVIRO_BOT_NUMBER = '6283812345678';

/**
 * What a Waviro bot knows about its WhatsApp session: whether it is logged in, the groups it is in,
 * which numbers are on WhatsApp, and the last message each chat got (Waviro refuses to send the
 * same message to the same chat twice in a row).
 */
export class WaviroBot {
  connection: WaviroConnection = { authenticated: true, number: WAVIRO_BOT_NUMBER };
  #groups = new Map<string, WaviroGroup>();
  #unregistered = new Set<string>();
  #lastSent = new Map<string, string>();

  addGroup(id: string, name: string): WaviroGroup {
    const group = { id, name, lastChat: Math.floor(Date.now() / 1000) };
    this.#groups.set(id, group);
    return group;
  }

  group(id: string): WaviroGroup | undefined {
    return this.#groups.get(id);
  }

  groups(): WaviroGroup[] {
    return [...this.#groups.values()];
  }

  /** Every well-formed number is on WhatsApp unless a test registered it as not. */
  setRegistered(number: string, registered: boolean): void {
    if (registered) this.#unregistered.delete(number);
    else this.#unregistered.add(number);
  }

  isRegistered(number: string): boolean {
    return !this.#unregistered.has(number);
  }

  /** True when `fingerprint` is exactly what this chat got last. */
  isRepeat(chat: string, fingerprint: string): boolean {
    return this.#lastSent.get(chat) === fingerprint;
  }

  sent(chat: string, fingerprint: string): void {
    this.#lastSent.set(chat, fingerprint);
    const group = this.#groups.get(chat);
    if (group) group.lastChat = Math.floor(Date.now() / 1000);
  }

  reset(): void {
    this.connection = { authenticated: true, number: WAVIRO_BOT_NUMBER };
    this.#groups.clear();
    this.#unregistered.clear();
    this.#lastSent.clear();
  }
}
