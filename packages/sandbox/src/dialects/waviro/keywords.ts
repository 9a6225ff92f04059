import type { WaviroKeyword } from '../../types.js';

/** Waviro's bot commands: a chat that starts with a keyword is POSTed to that keyword's URL. */
export class WaviroKeywords {
  #keywords = new Map<string, WaviroKeyword>();

  /** Keywords match case-insensitively (the docs' handler lowercases them), so one per spelling. */
  add(keyword: WaviroKeyword): WaviroKeyword {
    this.#keywords.set(keyword.keyword.toLowerCase(), keyword);
    return keyword;
  }

  list(): WaviroKeyword[] {
    return [...this.#keywords.values()];
  }

  /** The longest keyword the text starts with, so 'promo#vip#' wins over 'promo#'. */
  match(text: string): WaviroKeyword | undefined {
    const lower = text.toLowerCase();
    return this.list()
      .filter((keyword) => lower.startsWith(keyword.keyword.toLowerCase()))
      .sort((a, b) => b.keyword.length - a.keyword.length)[0];
  }

  reset(): void {
    this.#keywords.clear();
  }
}
