import type { WireContent } from '../../cloud-api/wire.js';
import { isRecord } from '../../http.js';
import { DEFAULT_CUSTOMER_NAME } from '../../inbound-input.js';
import { digitsOnly } from '../../phone.js';
import type { DeliveredMessage, InboundInput, SandboxMessage } from '../../types.js';
import { deliverWebhook } from '../../webhook-dispatch.js';
import { fileExtension } from './media-rules.js';
import type { FonnteContext } from './state.js';
import { FONNTE_WEBHOOK, type FonnteIncoming, fonnteIncomingEvent } from './webhook-format.js';

/** The path, under the gateway, that serves the files of incoming messages. */
export const FONNTE_MEDIA_PATH = '/media';

/**
 * A customer writes to the Fonnte device: the message is stored (direction 'inbound') with its
 * `inboxid` as its id, so a reply can quote it, and posted to the Fonnte webhook in Fonnte's
 * incoming-message format.
 */
export async function receiveFonnteInbound(
  state: FonnteContext,
  input: InboundInput,
  content: WireContent,
  text: string,
): Promise<DeliveredMessage> {
  // Fonnte's device is a WhatsApp Web session, not Cloud API: no customer window to open. The
  // sandbox clock, as its sends use it, so a test that moves time sees both on one time line.
  const now = state.clock.now();
  const from = digitsOnly(input.from ?? '');
  const inboxid = state.fonnte.inboxIds.next();
  const device = state.fonnte.device.view().number;
  const event = fonnteIncomingEvent({
    device,
    sender: from,
    name: input.name ?? DEFAULT_CUSTOMER_NAME,
    timestamp: Math.floor(now / 1000),
    inboxid,
    ...contentFields(state, input, content),
  });
  const message: SandboxMessage = {
    id: String(inboxid),
    provider: 'fonnte',
    direction: 'inbound',
    from,
    to: device,
    type: content.type,
    text,
    payload: event,
    status: 'received',
    createdAt: new Date(now).toISOString(),
  };
  state.messages.add(message);
  const delivery = await deliverWebhook(state, FONNTE_WEBHOOK, 'message', event);
  return { message, deliveries: delivery ? [delivery] : [] };
}

type ContentFields = Pick<
  FonnteIncoming,
  'message' | 'location' | 'url' | 'type' | 'extension' | 'filename'
>;

/** The text, place or file of the message, in Fonnte's fields; the others stay empty. */
function contentFields(
  state: FonnteContext,
  input: InboundInput,
  content: WireContent,
): ContentFields {
  const empty = { message: '', location: '', url: '', extension: '', filename: '' };
  if (content.type === 'text') return { ...empty, type: 'text', message: input.text ?? '' };
  if (content.type === 'location' && input.location) {
    const { latitude, longitude } = input.location;
    return { ...empty, type: 'location', location: `${latitude},${longitude}` };
  }
  const media = content[content.type];
  if (!isRecord(media) || typeof media.id !== 'string') return { ...empty, type: content.type };
  const stored = state.media.get('fonnte', media.id);
  const filename = stored?.filename ?? '';
  const given = input[content.type as 'image' | 'video' | 'audio' | 'document'];
  return {
    ...empty,
    type: content.type,
    message: typeof media.caption === 'string' ? media.caption : '',
    url: mediaUrl(state, media.id, filename) ?? given?.link ?? '',
    extension: fileExtension(filename, stored?.mimeType ?? ''),
    filename,
  };
}

/**
 * Fonnte links an incoming file on its own server; the sandbox serves the stored copy the same
 * way, at the address its credentials were last reported at (undefined before they ever were).
 */
function mediaUrl(state: FonnteContext, id: string, filename: string): string | undefined {
  const base = state.fonnte.publicUrl;
  if (base === undefined) return undefined;
  const name = filename === '' ? '' : `/${encodeURIComponent(filename)}`;
  return `${base}/fonnte${FONNTE_MEDIA_PATH}/${id}${name}`;
}
