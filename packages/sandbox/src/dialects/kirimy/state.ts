import { credentialList, type NonEmpty } from '../../options.js';
import { RateWindow } from '../../rate-window.js';
import type { SandboxState } from '../../state.js';
import type { SandboxOptions } from '../../types.js';
import { KirimySessions } from './sessions.js';

/** Kirimy's docs: "Maksimal 100 requests per menit per API key". */
const KIRIMY_REQUESTS_PER_MINUTE = 100;

/** What one sandbox keeps for Kirimy: the keys it accepts, its sessions and each key's rate. */
export interface KirimyState {
  readonly options: { apiKeys: NonEmpty };
  readonly sessions: KirimySessions;
  readonly rate: RateWindow;
}

/** The shared state with Kirimy's own under `kirimy`, as Kirimy's handlers take it. */
export type KirimyContext = SandboxState & { readonly kirimy: KirimyState };

/** Kirimy's keys from the options (the default when absent) and its seeded sessions. */
export function createKirimyState(options: SandboxOptions): KirimyState {
  return {
    options: {
      apiKeys: credentialList('kirimy.apiKeys', options.kirimy?.apiKeys, 'kirimy_test_key'),
    },
    sessions: new KirimySessions(),
    rate: new RateWindow(KIRIMY_REQUESTS_PER_MINUTE, 60_000),
  };
}

/** Back to the seeded sessions with fresh quotas, and no requests counted. */
export function resetKirimyState(kirimy: KirimyState): void {
  kirimy.sessions.reset();
  kirimy.rate.reset();
}
