import { wibDay } from '../../calendar.js';
import type { WablasDevice, WablasDevicePatch } from '../../types.js';

/** The device id until a test says otherwise: six capitals and digits, like the docs' A5DOYJ. */
export const WABLAS_DEVICE_ID = 'KBRSBX';
/** The device's own WhatsApp number until a test says otherwise (`sender` in webhooks). */
export const WABLAS_DEVICE_NUMBER = '6285712345678';
/** The device's name until a test says otherwise (`deviceName` in the device webhook). */
export const WABLAS_DEVICE_NAME = 'Kabar Sandbox';
/** Messages a fresh device may send; the docs' samples show quotas in the tens to thousands. */
export const WABLAS_DEFAULT_QUOTA = 1000;

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * The one Wablas device the sandbox emulates: its connection, quota and secret-key rule, and
 * which numbers the number check reports as not on WhatsApp.
 */
export class WablasDeviceStore {
  #device: WablasDevice;
  #offline = new Set<string>();

  /** `hasSecretKey`: whether the options gave the device a secret key at all. */
  constructor(
    private readonly hasSecretKey: boolean,
    private readonly createdAt: number,
  ) {
    this.#device = this.#fresh();
  }

  get device(): WablasDevice {
    return { ...this.#device };
  }

  update(patch: WablasDevicePatch): WablasDevice {
    this.#device = { ...this.#device, ...patch };
    return this.device;
  }

  /** True when `count` more messages fit in the quota; a null quota is unlimited. */
  hasQuotaFor(count: number): boolean {
    return this.#device.quota === null || this.#device.quota >= count;
  }

  /** Uses up `count` messages of the quota. */
  use(count: number): void {
    if (this.#device.quota !== null) this.#device.quota -= count;
  }

  /** The quota as Wablas writes it: a number, or the string "unlimited". */
  quotaField(): number | 'unlimited' {
    return this.#device.quota ?? 'unlimited';
  }

  /** Every number is on WhatsApp until a test says it is not. */
  setOnline(number: string, online: boolean): void {
    if (online) this.#offline.delete(number);
    else this.#offline.add(number);
  }

  isOnline(number: string): boolean {
    return !this.#offline.has(number);
  }

  reset(): void {
    this.#device = this.#fresh();
    this.#offline.clear();
  }

  #fresh(): WablasDevice {
    return {
      id: WABLAS_DEVICE_ID,
      name: WABLAS_DEVICE_NAME,
      number: WABLAS_DEVICE_NUMBER,
      connected: true,
      active: true,
      quota: WABLAS_DEFAULT_QUOTA,
      secretKeyRequired: this.hasSecretKey,
      // A year's subscription from the sandbox's start, in Jakarta's calendar like the dashboard's.
      expiredDate: wibDay(this.createdAt + 365 * DAY_MS),
    };
  }
}
