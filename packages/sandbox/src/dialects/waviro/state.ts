import { credentialList, type NonEmpty } from '../../options.js';
import type { SandboxState } from '../../state.js';
import type { SandboxOptions } from '../../types.js';
import { WaviroAcks } from './acks.js';
import { WaviroBot } from './bot.js';
import { WaviroKeywords } from './keywords.js';

/** What one sandbox keeps for Waviro: the keys it accepts, the bot's session, acks and keywords. */
export interface WaviroState {
  readonly options: { secretKeys: NonEmpty };
  readonly bot: WaviroBot;
  readonly acks: WaviroAcks;
  readonly keywords: WaviroKeywords;
}

/** The shared state with Waviro's own under `waviro`, as Waviro's handlers take it. */
export type WaviroContext = SandboxState & { readonly waviro: WaviroState };

/** Waviro's keys from the options (the default when absent) and a logged-in bot. */
export function createWaviroState(options: SandboxOptions, maxMessages: number): WaviroState {
  return {
    options: {
      secretKeys: credentialList(
        'waviro.secretKeys',
        options.waviro?.secretKeys,
        'waviro_test_key',
      ),
    },
    bot: new WaviroBot(),
    acks: new WaviroAcks(maxMessages),
    keywords: new WaviroKeywords(),
  };
}

/** Back to a logged-in bot in no groups, with no acks and no keywords. */
export function resetWaviroState(waviro: WaviroState): void {
  waviro.bot.reset();
  waviro.acks.reset();
  waviro.keywords.reset();
}
