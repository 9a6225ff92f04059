import type { WebhookWire } from '../../webhook-dispatch.js';

/**
 * Fonnte posts plain JSON without a signature. Its webhook secret (6 February 2025 update) rides
 * inside the data; Kabar's parser and public clients read it from a body field `secret`, so that is
 * where the sandbox puts it, last, after the event's own fields.
 */
export const FONNTE_WEBHOOK: WebhookWire = {
  provider: 'fonnte',
  defaultSecret: 'fonnte_webhook_secret',
  serialize: (event, secret) => JSON.stringify({ ...(event as object), secret }),
};

/** The parts of an incoming message that differ between messages. */
export interface FonnteIncoming {
  device: string;
  sender: string;
  name: string;
  message: string;
  location: string;
  url: string;
  type: string;
  extension: string;
  filename: string;
  inboxid: number;
  /** Unix seconds. */
  timestamp: number;
}

/**
 * An incoming message, in the field order of the logged body the research note reproduces (A13),
 * plus `timestamp` (12 January 2026 update). `pesan`/`pengirim` repeat `message`/`sender`, and
 * `text` is the legacy button text, which Fonnte fills with 'non-button message'.
 */
export function fonnteIncomingEvent(fields: FonnteIncoming): Record<string, unknown> {
  return {
    quick: false,
    device: fields.device,
    pesan: fields.message,
    pengirim: fields.sender,
    // A private chat has no group member; Fonnte names the member who wrote only in groups.
    member: '',
    message: fields.message,
    text: 'non-button message',
    sender: fields.sender,
    name: fields.name,
    location: fields.location,
    url: fields.url,
    type: fields.type,
    extension: fields.extension,
    filename: fields.filename,
    pollname: '',
    choices: [],
    inboxid: fields.inboxid,
    isgroup: false,
    isforwarded: false,
    timestamp: fields.timestamp,
  };
}

/**
 * The first status callback of a sent message: its send `id` and WhatsApp's `stateid`, with
 * Fonnte's `status` and WhatsApp's `state` (docs: webhook-update-message-status lists exactly
 * these fields). Fonnte publishes no `state` values; the sandbox uses the delivery words.
 */
export function fonnteFirstStatus(
  device: string,
  id: number,
  stateid: string,
  status: string,
  state: string,
): Record<string, unknown> {
  return { device, id, stateid, status, state };
}

/** A later callback: only `stateid` and the new `state`, as the note says later ones may be. */
export function fonnteLaterStatus(
  device: string,
  stateid: string,
  state: string,
): Record<string, unknown> {
  return { device, stateid, state };
}

/**
 * The device's connection changed (docs: webhook-device-status lists `device`, `status`,
 * `reason`, `timestamp` and the device's `token`).
 */
export function fonnteConnectionEvent(
  device: string,
  connected: boolean,
  reason: string,
  timestamp: number,
  token: string,
): Record<string, unknown> {
  return { device, status: connected ? 'connect' : 'disconnect', reason, timestamp, token };
}
