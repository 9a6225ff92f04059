// Kirem's `{event, data}` envelope, Kirem forwarding Meta's format, Waviro's acks and keyword
// calls, and a Meta batch where some items are malformed.
import * as seed from '@kabar/sandbox/seed-examples';
import { at, type CorpusEntry, doc, envelope, ID_BIZ, ID_WABA, idValue } from './types.js';

// The seeds copy Kirem's and Waviro's docs verbatim; the sandbox README describes the rest.
const KIREM = 'packages/sandbox/src/seed-examples.ts (Kirem docs: Callback Webhook)';
const KIREM_FORMAT = 'packages/sandbox/src/dialects/kirem/webhook-format.ts';
const WAVIRO = 'packages/sandbox/src/seed-examples.ts (Waviro docs: notifyurl, keyword webhook)';

const kiremText = {
  event: 'messages.received',
  data: {
    from: '6281234567890',
    message_id: 'wamid.HBgNNjI4MTIzNDU2Nzg5MBUCABIYFjNFQjBLSVJFTVRFWFQxMjM0NTY3ODkA',
    timestamp: '1767229000',
    type: 'text',
    text: { body: 'Berapa ongkir ke Medan?' },
    context: { id: 'wamid.HBgNNjI4MTEwMDAwMTIzNBUCABEYEktJUkVNT1VUMTIzNDU2Nzg5MEEA' },
  },
};
const kiremPlainText = {
  event: 'messages.received',
  data: {
    from: '6285712345678',
    message_id: 'wamid.HBgNNjI4NTcxMjM0NTY3OBUCABIYFjNFQjBLSVJFTVBMQUlOMTIzNDU2NzgA',
    type: 'text',
    text: 'Terima kasih kak',
  },
};
const kiremDelivered = {
  event: 'messages.status',
  data: {
    message_id: 'wamid.HBgNNjI4MTIzNDU2Nzg5MBUCABEYEktJUkVNU1RBVFVTMTIzNDU2Nzg5MAA=',
    status: 'delivered',
    recipient: '6281234567890',
    timestamp: '1767229100',
  },
};
const kiremFailed = {
  event: 'messages.status',
  data: {
    message_id: 'wamid.HBgNNjI4MTIzNDU2Nzg5MBUCABEYEktJUkVNRkFJTDEyMzQ1Njc4OTBBQgA=',
    status: 'failed',
    recipient: '6281234567890',
    timestamp: '1767229200',
    errors: [{ code: 131026, title: 'Message undeliverable' }],
  },
};
const kiremDevice = {
  event: 'device.disconnected',
  data: { device: 'toko-batik-1', reason: 'logout' },
};

const forwardedText = {
  from: '6281234567890',
  id: 'wamid.HBgNNjI4MTIzNDU2Nzg5MBUCABIYFjNFQjBGT1JXQVJERUQxMjM0NTY3ODkA',
  timestamp: '1767229300',
  type: 'text',
  text: { body: 'Harga paket hemat berapa?' },
};
const forwardedStatus = {
  id: 'wamid.HBgNNjI4MTIzNDU2Nzg5MBUCABEYEkZPUldBUkRFRFNUQVRVUzEyMzQA',
  status: 'read',
  timestamp: '1767229301',
  recipient_id: '6281234567890',
};

const goodText = {
  from: '6281234567890',
  id: 'wamid.HBgNNjI4MTIzNDU2Nzg5MBUCABIYFjNFQjBHT09EMDFBQkNERUYxMjM0NTYA',
  timestamp: '1767229400',
  type: 'text',
  text: { body: 'Pesan pertama' },
};
const noSender = {
  id: 'wamid.HBgNNjI4MTIzNDU2Nzg5MBUCABIYFjNFQjBCQURTRU5ERVIxMjM0NTY3ODkA',
  timestamp: '1767229401',
  type: 'text',
  text: { body: 'Siapa saya?' },
};
const noBody = { from: '6285712345678', id: 'wamid.NOBODY', type: 'text', text: {} };
const goodReaction = {
  from: '6285712345678',
  id: 'wamid.HBgNNjI4NTcxMjM0NTY3OBUCABIYFjNFQjBHT09EMDJBQkNERUYxMjM0NTYA',
  timestamp: '1767229402',
  type: 'reaction',
  reaction: {
    message_id: 'wamid.HBgNNjI4MTEwMDAwMTIzNBUCABEYEk9VVDAxMjM0NTY3ODkwQUJDRAA=',
    emoji: '❤️',
  },
};
const goodStatus = {
  id: 'wamid.HBgNNjI4MTEwMDAwMTIzNBUCABEYEk9VVDAxMjM0NTY3ODkwQUJDRAA=',
  status: 'delivered',
  timestamp: '1767229403',
  recipient_id: '6285712345678',
};
const teleported = { id: 'wamid.TELEPORTED', status: 'teleported', recipient_id: '6285712345678' };
const notAnObject = 'wamid.just-a-string';

const twoContacts = [
  { profile: { name: 'Budi Santoso' }, wa_id: '6281234567890' },
  { profile: { name: 'Sari Wijaya' }, wa_id: '6285712345678' },
];

const waviroAck = (ack: number) => ({ msgid: '3EB020B4DBA916EB3379', ack });
const ackFailed = waviroAck(-1);
const ackPending = waviroAck(0);
const ackSent = waviroAck(1);
const ackDelivered = waviroAck(2);
const ackBeyondRead = waviroAck(4);
const waviroStringAck = { msgid: '3EB0C0FFEE00112233', ack: '3' };
const keywordNoData = {
  keyword: 'katalog#',
  data: [],
  webhookkey: 'YourSecretWebhookKey',
  from: '6281234567890',
};

export const gatewayCorpus: CorpusEntry[] = [
  {
    name: 'Kirem: quick-reply button click (seed)',
    source: KIREM,
    origin: 'gateway',
    payload: seed.kiremWebhookButtonReply,
    expected: [
      {
        kind: 'message',
        provider: 'kirem',
        from: '62812345678',
        sender: { phone: '62812345678' },
        id: 'wamid.HBgLN...',
        content: { type: 'button', id: 'btn_yes', title: 'Ya, bersedia' },
        raw: seed.kiremWebhookButtonReply.data,
      },
    ],
  },
  {
    name: 'Kirem: text quoting a message',
    source: KIREM_FORMAT,
    origin: 'gateway',
    payload: kiremText,
    expected: [
      {
        kind: 'message',
        provider: 'kirem',
        from: '6281234567890',
        sender: { phone: '6281234567890' },
        id: 'wamid.HBgNNjI4MTIzNDU2Nzg5MBUCABIYFjNFQjBLSVJFTVRFWFQxMjM0NTY3ODkA',
        timestamp: at(1767229000),
        replyTo: 'wamid.HBgNNjI4MTEwMDAwMTIzNBUCABEYEktJUkVNT1VUMTIzNDU2Nzg5MEEA',
        content: { type: 'text', text: 'Berapa ongkir ke Medan?' },
        raw: kiremText.data,
      },
    ],
  },
  {
    name: 'Kirem: text given as a plain string',
    source: KIREM,
    origin: 'gateway',
    payload: kiremPlainText,
    expected: [
      {
        kind: 'message',
        provider: 'kirem',
        from: '6285712345678',
        sender: { phone: '6285712345678' },
        id: 'wamid.HBgNNjI4NTcxMjM0NTY3OBUCABIYFjNFQjBLSVJFTVBMQUlOMTIzNDU2NzgA',
        content: { type: 'text', text: 'Terima kasih kak' },
        raw: kiremPlainText.data,
      },
    ],
  },
  {
    name: 'Kirem: delivered status',
    source: KIREM_FORMAT,
    origin: 'gateway',
    payload: kiremDelivered,
    expected: [
      {
        kind: 'status',
        provider: 'kirem',
        messageId: 'wamid.HBgNNjI4MTIzNDU2Nzg5MBUCABEYEktJUkVNU1RBVFVTMTIzNDU2Nzg5MAA=',
        status: 'delivered',
        recipient: '6281234567890',
        recipientUser: { phone: '6281234567890' },
        timestamp: at(1767229100),
        errors: [],
        raw: kiremDelivered.data,
      },
    ],
  },
  {
    name: 'Kirem: failed status with its error',
    source: KIREM_FORMAT,
    origin: 'gateway',
    payload: kiremFailed,
    expected: [
      {
        kind: 'status',
        provider: 'kirem',
        messageId: 'wamid.HBgNNjI4MTIzNDU2Nzg5MBUCABEYEktJUkVNRkFJTDEyMzQ1Njc4OTBBQgA=',
        status: 'failed',
        recipient: '6281234567890',
        recipientUser: { phone: '6281234567890' },
        timestamp: at(1767229200),
        error: { code: 131026, title: 'Message undeliverable' },
        errors: [{ code: 131026, title: 'Message undeliverable' }],
        raw: kiremFailed.data,
      },
    ],
  },
  {
    name: 'Kirem: an event Kabar does not type',
    source: KIREM_FORMAT,
    origin: 'gateway',
    payload: kiremDevice,
    expected: [
      {
        kind: 'unknown',
        provider: 'kirem',
        field: 'device.disconnected',
        reason: 'the Kirem event "device.disconnected" is not one Kabar types',
        raw: kiremDevice.data,
      },
    ],
  },
  {
    name: 'Kirem forwarding Meta’s format (metaFormatFrom: kirem)',
    source: doc('webhooks/reference/messages'),
    origin: 'gateway',
    options: { metaFormatFrom: 'kirem' },
    payload: envelope(
      'messages',
      idValue({
        contacts: [{ profile: { name: 'Budi Santoso' }, wa_id: '6281234567890' }],
        messages: [forwardedText],
        statuses: [forwardedStatus],
      }),
      ID_WABA,
    ),
    expected: [
      {
        kind: 'message',
        provider: 'kirem',
        from: '6281234567890',
        sender: { phone: '6281234567890', name: 'Budi Santoso' },
        id: 'wamid.HBgNNjI4MTIzNDU2Nzg5MBUCABIYFjNFQjBGT1JXQVJERUQxMjM0NTY3ODkA',
        name: 'Budi Santoso',
        timestamp: at(1767229300),
        business: ID_BIZ,
        content: { type: 'text', text: 'Harga paket hemat berapa?' },
        raw: forwardedText,
      },
      {
        kind: 'status',
        provider: 'kirem',
        messageId: 'wamid.HBgNNjI4MTIzNDU2Nzg5MBUCABEYEkZPUldBUkRFRFNUQVRVUzEyMzQA',
        status: 'read',
        recipient: '6281234567890',
        recipientUser: { phone: '6281234567890', name: 'Budi Santoso' },
        timestamp: at(1767229301),
        errors: [],
        business: ID_BIZ,
        raw: forwardedStatus,
      },
    ],
  },
  {
    name: 'Meta batch: malformed items become unknown events, the others still come through',
    source: doc('webhooks/reference/messages'),
    origin: 'variation',
    payload: envelope(
      'messages',
      idValue({
        contacts: twoContacts,
        messages: [goodText, noSender, noBody, notAnObject, goodReaction],
        statuses: [teleported, goodStatus],
      }),
      ID_WABA,
    ),
    expected: [
      {
        kind: 'message',
        provider: 'meta',
        from: '6281234567890',
        sender: { phone: '6281234567890', name: 'Budi Santoso' },
        id: 'wamid.HBgNNjI4MTIzNDU2Nzg5MBUCABIYFjNFQjBHT09EMDFBQkNERUYxMjM0NTYA',
        name: 'Budi Santoso',
        timestamp: at(1767229400),
        business: ID_BIZ,
        content: { type: 'text', text: 'Pesan pertama' },
        raw: goodText,
      },
      {
        kind: 'unknown',
        provider: 'meta',
        field: 'messages',
        reason: 'entry[0].changes[0].value.messages[1] names no sender (no from or from_user_id)',
        business: ID_BIZ,
        raw: noSender,
      },
      {
        kind: 'unknown',
        provider: 'meta',
        field: 'messages',
        reason: 'entry[0].changes[0].value.messages[2].text.body must be a non-empty string',
        business: ID_BIZ,
        raw: noBody,
      },
      {
        kind: 'unknown',
        provider: 'meta',
        field: 'messages',
        reason: 'entry[0].changes[0].value.messages[3] must be an object',
        business: ID_BIZ,
        raw: notAnObject,
      },
      {
        kind: 'message',
        provider: 'meta',
        from: '6285712345678',
        sender: { phone: '6285712345678', name: 'Sari Wijaya' },
        id: 'wamid.HBgNNjI4NTcxMjM0NTY3OBUCABIYFjNFQjBHT09EMDJBQkNERUYxMjM0NTYA',
        name: 'Sari Wijaya',
        timestamp: at(1767229402),
        business: ID_BIZ,
        content: {
          type: 'reaction',
          messageId: 'wamid.HBgNNjI4MTEwMDAwMTIzNBUCABEYEk9VVDAxMjM0NTY3ODkwQUJDRAA=',
          emoji: '❤️',
          removed: false,
        },
        raw: goodReaction,
      },
      {
        kind: 'unknown',
        provider: 'meta',
        field: 'messages',
        reason:
          'entry[0].changes[0].value.statuses[0].status "teleported" is not a status Kabar knows',
        business: ID_BIZ,
        raw: teleported,
      },
      {
        kind: 'status',
        provider: 'meta',
        messageId: 'wamid.HBgNNjI4MTEwMDAwMTIzNBUCABEYEk9VVDAxMjM0NTY3ODkwQUJDRAA=',
        status: 'delivered',
        recipient: '6285712345678',
        recipientUser: { phone: '6285712345678', name: 'Sari Wijaya' },
        timestamp: at(1767229403),
        errors: [],
        business: ID_BIZ,
        raw: goodStatus,
      },
    ],
  },
  {
    name: 'Waviro: read ack (seed)',
    source: WAVIRO,
    origin: 'gateway',
    payload: seed.waviroNotifyPayload,
    expected: [
      {
        kind: 'status',
        provider: 'waviro',
        messageId: '3EB020B4DBA916EB3379',
        status: 'read',
        errors: [],
        raw: seed.waviroNotifyPayload,
      },
    ],
  },
  ...(
    [
      [ackFailed, 'failed'],
      [ackPending, 'pending'],
      [ackSent, 'sent'],
      [ackDelivered, 'delivered'],
      [ackBeyondRead, 'read'],
    ] as const
  ).map(
    ([payload, status]): CorpusEntry => ({
      name: `Waviro: ack ${payload.ack} is ${status}`,
      source: WAVIRO,
      origin: 'gateway',
      payload,
      expected: [
        {
          kind: 'status',
          provider: 'waviro',
          messageId: '3EB020B4DBA916EB3379',
          status,
          errors: [],
          raw: payload,
        },
      ],
    }),
  ),
  {
    name: 'Waviro: ack given as a string',
    source: WAVIRO,
    origin: 'gateway',
    payload: waviroStringAck,
    expected: [
      {
        kind: 'status',
        provider: 'waviro',
        messageId: '3EB0C0FFEE00112233',
        status: 'read',
        errors: [],
        raw: waviroStringAck,
      },
    ],
  },
  {
    name: 'Waviro: keyword call (seed)',
    source: WAVIRO,
    origin: 'gateway',
    options: { waviroWebhookKey: 'YourSecretWebhookKey' },
    payload: seed.waviroKeywordPayload,
    expected: [
      {
        kind: 'message',
        provider: 'waviro',
        from: '6282386xxxxxx',
        sender: { phone: '6282386xxxxxx' },
        content: {
          type: 'keyword',
          keyword: 'penawaran#',
          data: ['Jhon Doe', '[email protected]'],
        },
        raw: seed.waviroKeywordPayload,
      },
    ],
  },
  {
    name: 'Waviro: keyword call without data',
    source: WAVIRO,
    origin: 'gateway',
    options: { waviroWebhookKey: 'YourSecretWebhookKey' },
    payload: keywordNoData,
    expected: [
      {
        kind: 'message',
        provider: 'waviro',
        from: '6281234567890',
        sender: { phone: '6281234567890' },
        content: { type: 'keyword', keyword: 'katalog#', data: [] },
        raw: keywordNoData,
      },
    ],
  },
];
