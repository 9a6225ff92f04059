import { credentialList, type NonEmpty } from '../../options.js';
import type { SandboxState } from '../../state.js';
import type { SandboxOptions } from '../../types.js';
import { QirimBatches, QirimTemplates } from './notification-stores.js';
import { QirimOtps } from './otps.js';

/** What one sandbox keeps for Qirim: the keys it accepts and Qirim's own stores. */
export interface QirimState {
  readonly options: { apiKeys: NonEmpty; notifOnlyKeys: string[] };
  readonly otps: QirimOtps;
  readonly templates: QirimTemplates;
  readonly batches: QirimBatches;
}

/** The shared state with Qirim's own under `qirim`, as Qirim's handlers take it. */
export type QirimContext = SandboxState & { readonly qirim: QirimState };

/** Qirim's keys and OTP limit from the options (defaults when absent) and its stores. */
export function createQirimState(options: SandboxOptions, maxMessages: number): QirimState {
  const otpDailyLimit = options.qirim?.otpDailyLimit ?? 10;
  if (!Number.isInteger(otpDailyLimit) || otpDailyLimit < 1) {
    throw new RangeError(`qirim.otpDailyLimit must be a positive integer, got ${otpDailyLimit}`);
  }
  return {
    options: {
      apiKeys: credentialList('qirim.apiKeys', options.qirim?.apiKeys, 'qirim_test_key'),
      notifOnlyKeys: options.qirim?.notifOnlyKeys ?? ['qirim_notif_only_key'],
    },
    otps: new QirimOtps(otpDailyLimit),
    templates: new QirimTemplates(),
    batches: new QirimBatches(maxMessages),
  };
}

/** Back to no OTPs or batches and the seeded templates. */
export function resetQirimState(qirim: QirimState): void {
  qirim.otps.reset();
  qirim.templates.reset();
  qirim.batches.reset();
}
