import type { ControlCalls } from '../../control-calls.js';
import type { WablasControl, WablasDevice, WablasDevicePatch, WablasNumber } from '../../types.js';

/** Wablas' control methods, as requests to the routes in control.ts. */
export function wablasClient({ required }: ControlCalls): WablasControl {
  return {
    wablasDevice: () => required<WablasDevice>('GET', '/wablas/device'),
    setWablasDevice: (patch: WablasDevicePatch) =>
      required<WablasDevice>('PUT', '/wablas/device', patch),
    setWablasNumber: (number: WablasNumber) =>
      required<WablasNumber>('PUT', '/wablas/numbers', number),
  };
}
