import { credentialList, type NonEmpty } from '../../options.js';
import type { SandboxState } from '../../state.js';
import type { SandboxOptions } from '../../types.js';
import { WablasDeviceStore } from './device.js';

/** The token a sandbox accepts when the options name none. */
export const WABLAS_DEFAULT_TOKEN = 'wablas_test_token';
/** The secret key a sandbox's device has when the options name none. */
export const WABLAS_DEFAULT_SECRET_KEY = 'wablas_test_secret';

/** What one sandbox keeps for Wablas: the credentials it accepts and its device. */
export interface WablasState {
  readonly options: { tokens: NonEmpty; secretKeys: string[] };
  readonly device: WablasDeviceStore;
  /**
   * `<sandbox url>/wablas` as clients last reached it, for the media URLs of inbound webhooks:
   * those are built outside any request, yet must point where the receiver can fetch them.
   */
  publicUrl: string | undefined;
}

/** The shared state with Wablas' own under `wablas`, as Wablas' handlers take it. */
export type WablasContext = SandboxState & { readonly wablas: WablasState };

/**
 * Wablas' credentials from the options (defaults when absent) and a connected device. An empty
 * `secretKeys` is allowed and stands for a device without a secret key.
 */
export function createWablasState(options: SandboxOptions, startedAt: number): WablasState {
  const tokens = credentialList('wablas.tokens', options.wablas?.tokens, WABLAS_DEFAULT_TOKEN);
  const secretKeys = options.wablas?.secretKeys ?? [WABLAS_DEFAULT_SECRET_KEY];
  for (const [name, values] of [
    ['tokens', tokens],
    ['secretKeys', secretKeys],
  ] as const) {
    if (values.some((value) => typeof value !== 'string' || value === '')) {
      throw new RangeError(`wablas.${name} must hold non-empty strings`);
    }
  }
  return {
    options: { tokens, secretKeys },
    device: new WablasDeviceStore(secretKeys.length > 0, startedAt),
    publicUrl: undefined,
  };
}

/** Back to a connected device with a full quota and every number on WhatsApp. */
export function resetWablasState(wablas: WablasState): void {
  wablas.device.reset();
}
