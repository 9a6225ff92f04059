import { randomBytes } from 'node:crypto';
import { isoSeconds } from '../../calendar.js';
import type { WireContent } from '../../cloud-api/wire.js';
import { isRecord } from '../../http.js';
import { DEFAULT_CUSTOMER_NAME } from '../../inbound-input.js';
import { digitsOnly } from '../../phone.js';
import type { DeliveredMessage, InboundInput, SandboxMessage } from '../../types.js';
import { deliverWebhook } from '../../webhook-dispatch.js';
import { isMediaKind } from './fields.js';
import { fileUrl } from './files.js';
import type { WablasContext } from './state.js';
import { WABLAS_WEBHOOK } from './webhooks.js';

/** The docs' `group` object of a personal message: every field empty, participants null. */
const NO_GROUP = { sender: '', subject: '', owner: '', desc: '', participants: null };

/**
 * A customer writes to the device: the message is stored (direction 'inbound') and posted in the
 * documented incoming-webhook shape, `phone` being the customer and `sender` the device.
 */
export async function receiveWablasInbound(
  context: WablasContext,
  input: InboundInput,
  content: WireContent,
  text: string,
): Promise<DeliveredMessage> {
  // Wablas takes no business-scoped user ids, so the control API made sure there is a number.
  const from = digitsOnly(input.from ?? '');
  const device = context.wablas.device.device;
  const now = Date.now();
  // Wablas' incoming ids are 32 hex digits in capitals, as in the docs' example.
  const id = randomBytes(16).toString('hex').toUpperCase();
  const { message: said, ...media } = messageFields(context, content);
  // In the docs' order, `phone` between the text and its type.
  const body = {
    id,
    pushName: input.name ?? DEFAULT_CUSTOMER_NAME,
    isGroup: false,
    group: NO_GROUP,
    message: said,
    phone: from,
    ...media,
    deviceId: device.id,
    sender: device.number,
    isFromMe: false,
    timestamp: isoSeconds(now),
    profileImage: '',
  };
  const message: SandboxMessage = {
    id,
    provider: 'wablas',
    direction: 'inbound',
    from,
    to: device.number,
    type: content.type,
    text,
    payload: body,
    status: 'received',
    createdAt: new Date(now).toISOString(),
  };
  context.messages.add(message);
  const delivery = await deliverWebhook(context, WABLAS_WEBHOOK, 'message', body);
  return { message, deliveries: delivery ? [delivery] : [] };
}

/**
 * `message`, `messageType` and the media fields, in the docs' order. A file is linked from the
 * sandbox as Wablas links its own copy. The docs list `location` as a type but no field for the
 * coordinates, so a location arrives with an empty `message`, as far as the docs tell.
 */
function messageFields(context: WablasContext, content: WireContent) {
  const empty = { file: '', url: '', mimeType: '' };
  if (content.type === 'text') {
    const text = isRecord(content.text) ? String(content.text.body ?? '') : '';
    return { message: text, messageType: 'text', ...empty };
  }
  const media = content[content.type];
  if (!isMediaKind(content.type) || !isRecord(media) || typeof media.id !== 'string') {
    return { message: '', messageType: content.type, ...empty };
  }
  const stored = context.media.get('wablas', media.id);
  const base = context.wablas.publicUrl;
  return {
    message: typeof media.caption === 'string' ? media.caption : '',
    messageType: content.type,
    file: stored?.filename ?? '',
    url: stored && base ? fileUrl(base, content.type, stored) : '',
    mimeType: stored?.mimeType ?? '',
  };
}
