import type { FonnteDevice, FonnteDevicePatch, FonnteGroup } from '../../types.js';

/**
 * The device's own number until a test says otherwise. Not the research note's placeholder
 * 6281234567890: tests use that one as the customer, and a device would then write to itself.
 */
export const FONNTE_DEVICE_NUMBER = '6285100001234';

/** The free package's allowance (the note's `/get-devices` example shows `"quota":"1000"`). */
export const FONNTE_DEFAULT_QUOTA = 1000;

function freshDevice(): FonnteDevice {
  return {
    number: FONNTE_DEVICE_NUMBER,
    name: 'Kabar Sandbox',
    connected: true,
    package: 'Reguler',
    // A fixed date far off, so tests can compare the profile without reading a clock.
    expired: '31 December 2099',
    quota: FONNTE_DEFAULT_QUOTA,
    messages: 0,
  };
}

/**
 * What Fonnte knows about the WhatsApp number behind the token: its profile and connection, the
 * groups it is in, and which numbers are not on WhatsApp (every well-formed one is, unless a test
 * says otherwise).
 */
export class FonnteDeviceStore {
  #device = freshDevice();
  #groups = new Map<string, FonnteGroup>();
  #unregistered = new Set<string>();

  view(): FonnteDevice {
    return { ...this.#device };
  }

  /** Applies the patch; true when it changed whether the device is connected. */
  update(patch: FonnteDevicePatch): boolean {
    const { reason: _reason, ...fields } = patch;
    const before = this.#device.connected;
    this.#device = { ...this.#device, ...fields };
    return this.#device.connected !== before;
  }

  /** Uses `count` messages of the quota; false (and nothing used) when not that many are left. */
  spend(count: number): boolean {
    if (this.#device.quota < count) return false;
    this.#device.quota -= count;
    this.#device.messages += count;
    return true;
  }

  addGroup(group: FonnteGroup): FonnteGroup {
    this.#groups.set(group.id, { ...group });
    return { ...group };
  }

  groups(): FonnteGroup[] {
    return [...this.#groups.values()].map((group) => ({ ...group }));
  }

  setUnregistered(numbers: readonly string[]): string[] {
    this.#unregistered = new Set(numbers);
    return this.unregistered();
  }

  unregistered(): string[] {
    return [...this.#unregistered];
  }

  isRegistered(number: string): boolean {
    return !this.#unregistered.has(number);
  }

  reset(): void {
    this.#device = freshDevice();
    this.#groups.clear();
    this.#unregistered.clear();
  }
}
