import type { FonnteDeviceChange, FonnteDevicePatch } from '../../types.js';
import { deliverWebhook } from '../../webhook-dispatch.js';
import type { FonnteContext } from './state.js';
import { FONNTE_WEBHOOK, fonnteConnectionEvent } from './webhook-format.js';

/**
 * Changes the device and, when that connects or disconnects it, posts Fonnte's connection
 * webhook. Both the control API and `POST /disconnect` go through here, so the two cannot differ.
 */
export async function setFonnteConnection(
  state: FonnteContext,
  patch: FonnteDevicePatch,
): Promise<FonnteDeviceChange> {
  const changed = state.fonnte.device.update(patch);
  const device = state.fonnte.device.view();
  if (!changed) return { device, deliveries: [] };
  const reason = patch.reason ?? (device.connected ? 'connected' : 'disconnected');
  const event = fonnteConnectionEvent(
    device.number,
    device.connected,
    reason,
    Math.floor(Date.now() / 1000),
    state.fonnte.options.tokens[0],
  );
  const delivery = await deliverWebhook(state, FONNTE_WEBHOOK, 'connection', event);
  return { device, deliveries: delivery ? [delivery] : [] };
}
