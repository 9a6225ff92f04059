// Status `messages` webhooks (sent, delivered, read, played, failed, deleted; groups; BSUIDs),
// value-level `errors`, and batches mixing several messages, statuses and changes.
import {
  at,
  type CorpusEntry,
  doc,
  envelope,
  ID_BIZ,
  ID_WABA,
  idValue,
  META_BIZ,
  metaValue,
} from './types.js';

const STATUS = doc('webhooks/reference/messages/status');
const BSUID = doc('business-scoped-user-ids');
const ERRORS = doc('webhooks/reference/messages/errors');

const ECOSYSTEM_ERROR = {
  code: 131049,
  title: 'This message was not delivered to maintain healthy ecosystem engagement.',
  message: 'This message was not delivered to maintain healthy ecosystem engagement.',
  error_data: {
    details:
      'In order to maintain a healthy ecosystem engagement, the message failed to be delivered.',
  },
  href: '/documentation/business-messaging/whatsapp/support/error-codes',
};
const ECOSYSTEM = {
  code: 131049,
  title: 'This message was not delivered to maintain healthy ecosystem engagement.',
  message: 'This message was not delivered to maintain healthy ecosystem engagement.',
  details:
    'In order to maintain a healthy ecosystem engagement, the message failed to be delivered.',
  href: '/documentation/business-messaging/whatsapp/support/error-codes',
};

const sentMarketing = {
  id: 'wamid.HBgLMTY1MDM4Nzk0MzkVAgASGBQzQUFERjg0NDEzNDdFODU3MUMxMAA=',
  status: 'sent',
  timestamp: '1750030073',
  recipient_id: '16505551234',
  conversation: {
    id: '72b14d6bd5407799e66f64d1b338e567',
    expiration_timestamp: '1750116480',
    origin: { type: 'marketing' },
  },
  pricing: { billable: true, pricing_model: 'PMP', type: 'regular', category: 'marketing' },
};

const sentV24 = {
  id: 'wamid.HBgLMTY1MDM4Nzk0MzkVAgASGBQzQUFERjg0NDEzNDdFODU3MUMxMAA=',
  status: 'sent',
  timestamp: '1750030073',
  recipient_id: '16505551234',
};

const failed = {
  id: 'wamid.HBgLMTY1MDM4Nzk0MzkVAgARGBI0QUQ2MjA4NEYyRkExNjMyREUA',
  status: 'failed',
  timestamp: '1751142888',
  recipient_id: '16505551234',
  errors: [ECOSYSTEM_ERROR],
};

const deliveredParent = {
  id: 'wamid.HBgLMTY1MDM4Nzk0MzkVAgASGBQzQUFERjg0NDEzNDdFODU3MUMxMAA=',
  status: 'delivered',
  timestamp: '1750030073',
  recipient_id: '16505551234',
  recipient_user_id: 'US.13491208655302741918',
  recipient_parent_user_id: 'US.ENT.11815799212886844830',
  pricing: { billable: true, pricing_model: 'PMP', type: 'regular', category: 'marketing' },
};
const pabloContact = {
  profile: { name: 'Pablo M.', username: 'pablomorales' },
  wa_id: '16505551234',
  user_id: 'US.13491208655302741918',
  parent_user_id: 'US.ENT.11815799212886844830',
};

const deliveredBsuid = {
  id: 'wamid.HBgLMTY1MDM4Nzk0MzkVAgASGBQzQUFERjg0NDEzNDdFODU3MUMxMAA=',
  status: 'delivered',
  timestamp: '1750030073',
  recipient_user_id: 'US.13491208655302741918',
  recipient_parent_user_id: 'US.ENT.11815799212886844830',
  pricing: { billable: true, pricing_model: 'PMP', type: 'regular', category: 'marketing' },
};

const failedToPhone = {
  id: 'wamid.HBgLMTY1MDM4Nzk0MzkVAgASGBQzQUFERjg0NDEzNDdFODU3MUMxMAA=',
  status: 'failed',
  timestamp: '1750030073',
  recipient_id: '16505551234',
  errors: [ECOSYSTEM_ERROR],
};

const readWithCallback = {
  id: 'wamid.HBgNNjI4MTIzNDU2Nzg5MBUCABEYEjQ0QjU1QzU2RDZFN0Y4QTlCMAA=',
  status: 'read',
  timestamp: '1767225700',
  recipient_id: '6281234567890',
  recipient_user_id: 'ID.1502576394655843',
  biz_opaque_callback_data: 'invoice:INV-2026-0042',
  pricing: {
    billable: false,
    pricing_model: 'PMP',
    type: 'free_customer_service',
    category: 'service',
  },
};
const budiContact = {
  profile: { name: 'Budi Santoso' },
  wa_id: '6281234567890',
  user_id: 'ID.1502576394655843',
};
const BUDI = { phone: '6281234567890', userId: 'ID.1502576394655843', name: 'Budi Santoso' };

const played = {
  id: 'wamid.HBgNNjI4MTIzNDU2Nzg5MBUCABEYEkFVRElPVk9JQ0UxMjM0NTY3ODkA',
  status: 'played',
  timestamp: '1767225800',
  recipient_id: '6281234567890',
  recipient_user_id: 'ID.1502576394655843',
};

const deleted = {
  id: 'wamid.HBgNNjI4MTIzNDU2Nzg5MBUCABEYEkRFTEVURUQxMjM0NTY3ODkwQUIA',
  status: 'deleted',
  timestamp: '1767225900',
  recipient_id: '6281234567890',
};

const groupDelivered = {
  id: 'wamid.HBgNNjI4MTEwMDAwMTIzNBUCABEYEkdST1VQTVNHMTIzNDU2Nzg5MEEA',
  status: 'delivered',
  timestamp: '1767226000',
  recipient_id: 'Y2FwaV9ncm91cDoxNzA1NTU1MDEzOToxMjAzNjM0MDQ2OTQyMzM4MjAZD',
  recipient_type: 'group',
  recipient_participant_id: '6281234567890',
  recipient_participant_user_id: 'ID.1502576394655843',
  pricing: { billable: true, pricing_model: 'PMP', type: 'regular', category: 'utility' },
};
const groupReadBsuid = {
  id: 'wamid.HBgNNjI4MTEwMDAwMTIzNBUCABEYEkdST1VQTVNHMTIzNDU2Nzg5MEEA',
  status: 'read',
  timestamp: '1767226060',
  recipient_id: 'Y2FwaV9ncm91cDoxNzA1NTU1MDEzOToxMjAzNjM0MDQ2OTQyMzM4MjAZD',
  recipient_type: 'group',
  recipient_participant_user_id: 'ID.7700112233445566',
  recipient_participant_parent_user_id: 'ID.ENT.5566778899001122',
};
const sariBsuidContact = {
  profile: { name: 'Sari', username: 'sari.wijaya' },
  user_id: 'ID.7700112233445566',
  parent_user_id: 'ID.ENT.5566778899001122',
};

const groupFailed = {
  id: 'wamid.HBgNNjI4MTEwMDAwMTIzNBUCABEYEkdST1VQRkFJTDEyMzQ1Njc4OTAA',
  status: 'failed',
  timestamp: '1767226100',
  recipient_id: 'Y2FwaV9ncm91cDoxNzA1NTU1MDEzOToxMjAzNjM0MDQ2OTQyMzM4MjAZD',
  recipient_type: 'group',
  recipient_participant_id: '6285712345678',
  errors: [
    {
      code: 131026,
      title: 'Message undeliverable',
      message: 'Message undeliverable',
      error_data: { details: 'Message could not be delivered to the participant.' },
      href: '/documentation/business-messaging/whatsapp/support/error-codes',
    },
  ],
};

const freeEntryPoint = {
  id: 'wamid.HBgNNjI4MTIzNDU2Nzg5MBUCABEYEkNUV0FGUkVFMTIzNDU2Nzg5MEEA',
  status: 'sent',
  timestamp: '1767226200',
  recipient_id: '6281234567890',
  conversation: {
    id: '8f842dbba350821654c9dfed31f5635c',
    expiration_timestamp: '1767485400',
    origin: { type: 'referral_conversion' },
  },
  pricing: {
    billable: false,
    pricing_model: 'PMP',
    type: 'free_entry_point',
    category: 'referral_conversion',
  },
};

const marketingOptOut = {
  id: 'wamid.HBgNNjI4MTIzNDU2Nzg5MBUCABEYEk9QVE9VVDEyMzQ1Njc4OTBBQkMA',
  status: 'failed',
  timestamp: '1767226300',
  recipient_id: '6281234567890',
  recipient_identity_key_hash: 'DF2lS5v2W6x=',
  biz_opaque_callback_data: 'kampanye-lebaran',
  errors: [
    {
      code: 131050,
      title:
        'Unable to deliver the message. This recipient has chosen to stop receiving marketing messages on WhatsApp from your business',
      message:
        'Unable to deliver the message. This recipient has chosen to stop receiving marketing messages on WhatsApp from your business',
      error_data: { details: 'The recipient opted out of marketing messages.' },
      href: '/documentation/business-messaging/whatsapp/support/error-codes',
    },
    {
      code: 131049,
      title: 'This message was not delivered to maintain healthy ecosystem engagement.',
    },
  ],
};

const conversationWithoutId = {
  id: 'wamid.HBgNNjI4MTIzNDU2Nzg5MBUCABEYEk5PQ09OVklEMTIzNDU2Nzg5MEEA',
  status: 'delivered',
  timestamp: '1767226400',
  recipient_id: '6281234567890',
  conversation: { origin: { type: 'utility' } },
  pricing: { billable: true, pricing_model: 'PMP', type: 'regular', category: 'utility' },
};

const callStatusInMessages = {
  id: 'wacid.HBgNNjI4MTIzNDU2Nzg5MBUCABIYIEE5OEI3QzZENUU0RjNBMkIxQzBEOUU4RjdBNkI1QzRE',
  type: 'call',
  status: 'RINGING',
  timestamp: '1767226500',
  recipient_id: '6281234567890',
};

const rateLimitValue = metaValue({
  errors: [
    {
      code: 130429,
      title: 'Rate limit hit',
      message: 'Rate limit hit',
      error_data: {
        details:
          'Message failed to send because there were too many messages sent from this phone number in a short period of time',
      },
      href: '/documentation/business-messaging/whatsapp/support/error-codes',
    },
  ],
});

// --- batches ------------------------------------------------------------------------------------

const batchText = {
  from: '6281234567890',
  id: 'wamid.HBgNNjI4MTIzNDU2Nzg5MBUCABIYFjNFQjBCQVRDSDAxMjM0NTY3ODkwQUIA',
  timestamp: '1767227000',
  type: 'text',
  text: { body: 'Pesanan saya sudah dikirim?' },
};
const batchImage = {
  from: '6285712345678',
  id: 'wamid.HBgNNjI4NTcxMjM0NTY3OBUCABIYFjNFQjBCQVRDSDAyMTIzNDU2Nzg5MEEA',
  timestamp: '1767227005',
  type: 'image',
  image: {
    caption: 'Bukti transfer',
    mime_type: 'image/jpeg',
    sha256: 'YnVrdGl0cmFuc2Zlcg==',
    id: '4400550066007700',
  },
};
const batchDelivered = {
  id: 'wamid.HBgNNjI4MTIzNDU2Nzg5MBUCABEYEkJBVENIMDNPVVQxMjM0NTY3OEEA',
  status: 'delivered',
  timestamp: '1767226990',
  recipient_id: '6281234567890',
};
const batchRead = {
  id: 'wamid.HBgNNjI4NTcxMjM0NTY3OBUCABEYEkJBVENIMDRPVVQxMjM0NTY3OEEA',
  status: 'read',
  timestamp: '1767226995',
  recipient_id: '6285712345678',
};
const sariContact = { profile: { name: 'Sari Wijaya' }, wa_id: '6285712345678' };
const budiPhoneContact = { profile: { name: 'Budi Santoso' }, wa_id: '6281234567890' };

const secondWabaText = {
  from: '6281298765432',
  id: 'wamid.HBgNNjI4MTI5ODc2NTQzMhUCABIYFjNFQjBTRUNPTkRXQUJBMTIzNDU2NzgA',
  timestamp: '1767227100',
  type: 'text',
  text: { body: 'Halo cabang Surabaya' },
};
const secondWabaStatus = {
  id: 'wamid.HBgNNjI4MTI5ODc2NTQzMhUCABEYElNFQ09ORFdBQkFTVEFUVVMxMjMA',
  status: 'sent',
  timestamp: '1767227101',
  recipient_id: '6281298765432',
};
const templateApproved = {
  event: 'APPROVED',
  message_template_id: 1689556908129999,
  message_template_name: 'konfirmasi_pesanan',
  message_template_language: 'id',
  reason: 'NONE',
  message_template_category: 'UTILITY',
};
const SURABAYA_METADATA = {
  display_phone_number: '6231990001234',
  phone_number_id: '109876543210555',
};

export const metaStatusCorpus: CorpusEntry[] = [
  {
    name: 'sent, with conversation and pricing',
    source: STATUS,
    origin: 'example',
    payload: envelope('messages', metaValue({ statuses: [sentMarketing] })),
    expected: [
      {
        kind: 'status',
        provider: 'meta',
        messageId: 'wamid.HBgLMTY1MDM4Nzk0MzkVAgASGBQzQUFERjg0NDEzNDdFODU3MUMxMAA=',
        status: 'sent',
        recipient: '16505551234',
        recipientUser: { phone: '16505551234' },
        timestamp: at(1750030073),
        errors: [],
        pricing: { billable: true, model: 'PMP', type: 'regular', category: 'marketing' },
        conversation: {
          id: '72b14d6bd5407799e66f64d1b338e567',
          origin: 'marketing',
          expiresAt: at(1750116480),
        },
        business: META_BIZ,
        raw: sentMarketing,
      },
    ],
  },
  {
    name: 'sent, v24.0 (no conversation, no pricing)',
    source: STATUS,
    origin: 'example',
    payload: envelope('messages', metaValue({ statuses: [sentV24] })),
    expected: [
      {
        kind: 'status',
        provider: 'meta',
        messageId: 'wamid.HBgLMTY1MDM4Nzk0MzkVAgASGBQzQUFERjg0NDEzNDdFODU3MUMxMAA=',
        status: 'sent',
        recipient: '16505551234',
        recipientUser: { phone: '16505551234' },
        timestamp: at(1750030073),
        errors: [],
        business: META_BIZ,
        raw: sentV24,
      },
    ],
  },
  {
    name: 'failed, with error_data details',
    source: STATUS,
    origin: 'example',
    payload: envelope('messages', metaValue({ statuses: [failed] })),
    expected: [
      {
        kind: 'status',
        provider: 'meta',
        messageId: 'wamid.HBgLMTY1MDM4Nzk0MzkVAgARGBI0QUQ2MjA4NEYyRkExNjMyREUA',
        status: 'failed',
        recipient: '16505551234',
        recipientUser: { phone: '16505551234' },
        timestamp: at(1751142888),
        error: ECOSYSTEM,
        errors: [ECOSYSTEM],
        business: META_BIZ,
        raw: failed,
      },
    ],
  },
  {
    name: 'delivered to a phone number, with BSUID, parent BSUID and username',
    source: BSUID,
    origin: 'example',
    payload: envelope(
      'messages',
      metaValue({ contacts: [pabloContact], statuses: [deliveredParent] }),
    ),
    expected: [
      {
        kind: 'status',
        provider: 'meta',
        messageId: 'wamid.HBgLMTY1MDM4Nzk0MzkVAgASGBQzQUFERjg0NDEzNDdFODU3MUMxMAA=',
        status: 'delivered',
        recipient: '16505551234',
        recipientUser: {
          phone: '16505551234',
          userId: 'US.13491208655302741918',
          parentUserId: 'US.ENT.11815799212886844830',
          username: 'pablomorales',
          name: 'Pablo M.',
        },
        timestamp: at(1750030073),
        errors: [],
        pricing: { billable: true, model: 'PMP', type: 'regular', category: 'marketing' },
        business: META_BIZ,
        raw: deliveredParent,
      },
    ],
  },
  {
    name: 'delivered to a BSUID, phone number withheld',
    source: BSUID,
    origin: 'example',
    payload: envelope(
      'messages',
      metaValue({
        contacts: [
          {
            profile: { name: 'Pablo M.', username: 'pablomorales' },
            user_id: 'US.13491208655302741918',
            parent_user_id: 'US.ENT.11815799212886844830',
          },
        ],
        statuses: [deliveredBsuid],
      }),
    ),
    expected: [
      {
        kind: 'status',
        provider: 'meta',
        messageId: 'wamid.HBgLMTY1MDM4Nzk0MzkVAgASGBQzQUFERjg0NDEzNDdFODU3MUMxMAA=',
        status: 'delivered',
        recipient: 'US.13491208655302741918',
        recipientUser: {
          phone: undefined,
          userId: 'US.13491208655302741918',
          parentUserId: 'US.ENT.11815799212886844830',
          username: 'pablomorales',
          name: 'Pablo M.',
        },
        timestamp: at(1750030073),
        errors: [],
        pricing: { billable: true, model: 'PMP', type: 'regular', category: 'marketing' },
        business: META_BIZ,
        raw: deliveredBsuid,
      },
    ],
  },
  {
    name: 'failed, sent to a phone number (no contacts, no recipient_user_id)',
    source: BSUID,
    origin: 'example',
    payload: envelope('messages', metaValue({ statuses: [failedToPhone] })),
    expected: [
      {
        kind: 'status',
        provider: 'meta',
        messageId: 'wamid.HBgLMTY1MDM4Nzk0MzkVAgASGBQzQUFERjg0NDEzNDdFODU3MUMxMAA=',
        status: 'failed',
        recipient: '16505551234',
        recipientUser: { phone: '16505551234' },
        timestamp: at(1750030073),
        error: ECOSYSTEM,
        errors: [ECOSYSTEM],
        business: META_BIZ,
        raw: failedToPhone,
      },
    ],
  },
  {
    name: 'read, free customer-service message, with biz_opaque_callback_data',
    source: STATUS,
    origin: 'variation',
    payload: envelope(
      'messages',
      idValue({ contacts: [budiContact], statuses: [readWithCallback] }),
      ID_WABA,
    ),
    expected: [
      {
        kind: 'status',
        provider: 'meta',
        messageId: 'wamid.HBgNNjI4MTIzNDU2Nzg5MBUCABEYEjQ0QjU1QzU2RDZFN0Y4QTlCMAA=',
        status: 'read',
        recipient: '6281234567890',
        recipientUser: BUDI,
        timestamp: at(1767225700),
        errors: [],
        pricing: {
          billable: false,
          model: 'PMP',
          type: 'free_customer_service',
          category: 'service',
        },
        callbackData: 'invoice:INV-2026-0042',
        business: ID_BIZ,
        raw: readWithCallback,
      },
    ],
  },
  {
    name: 'played (a voice message was listened to)',
    source: STATUS,
    origin: 'variation',
    payload: envelope(
      'messages',
      idValue({ contacts: [budiContact], statuses: [played] }),
      ID_WABA,
    ),
    expected: [
      {
        kind: 'status',
        provider: 'meta',
        messageId: 'wamid.HBgNNjI4MTIzNDU2Nzg5MBUCABEYEkFVRElPVk9JQ0UxMjM0NTY3ODkA',
        status: 'played',
        recipient: '6281234567890',
        recipientUser: BUDI,
        timestamp: at(1767225800),
        errors: [],
        business: ID_BIZ,
        raw: played,
      },
    ],
  },
  {
    name: 'deleted (legacy status)',
    source: STATUS,
    origin: 'variation',
    payload: envelope('messages', idValue({ statuses: [deleted] }), ID_WABA),
    expected: [
      {
        kind: 'status',
        provider: 'meta',
        messageId: 'wamid.HBgNNjI4MTIzNDU2Nzg5MBUCABEYEkRFTEVURUQxMjM0NTY3ODkwQUIA',
        status: 'deleted',
        recipient: '6281234567890',
        recipientUser: { phone: '6281234567890' },
        timestamp: at(1767225900),
        errors: [],
        business: ID_BIZ,
        raw: deleted,
      },
    ],
  },
  {
    name: 'group statuses, aggregated: one participant with a phone, one BSUID only',
    source: BSUID,
    origin: 'syntax',
    payload: envelope(
      'messages',
      idValue({
        contacts: [budiContact, sariBsuidContact],
        statuses: [groupDelivered, groupReadBsuid],
      }),
      ID_WABA,
    ),
    expected: [
      {
        kind: 'status',
        provider: 'meta',
        messageId: 'wamid.HBgNNjI4MTEwMDAwMTIzNBUCABEYEkdST1VQTVNHMTIzNDU2Nzg5MEEA',
        status: 'delivered',
        recipient: '6281234567890',
        recipientUser: BUDI,
        groupId: 'Y2FwaV9ncm91cDoxNzA1NTU1MDEzOToxMjAzNjM0MDQ2OTQyMzM4MjAZD',
        timestamp: at(1767226000),
        errors: [],
        pricing: { billable: true, model: 'PMP', type: 'regular', category: 'utility' },
        business: ID_BIZ,
        raw: groupDelivered,
      },
      {
        kind: 'status',
        provider: 'meta',
        messageId: 'wamid.HBgNNjI4MTEwMDAwMTIzNBUCABEYEkdST1VQTVNHMTIzNDU2Nzg5MEEA',
        status: 'read',
        recipient: 'ID.7700112233445566',
        recipientUser: {
          userId: 'ID.7700112233445566',
          parentUserId: 'ID.ENT.5566778899001122',
          username: 'sari.wijaya',
          name: 'Sari',
        },
        groupId: 'Y2FwaV9ncm91cDoxNzA1NTU1MDEzOToxMjAzNjM0MDQ2OTQyMzM4MjAZD',
        timestamp: at(1767226060),
        errors: [],
        business: ID_BIZ,
        raw: groupReadBsuid,
      },
    ],
  },
  {
    name: 'group status failed for one participant',
    source: STATUS,
    origin: 'syntax',
    payload: envelope('messages', idValue({ statuses: [groupFailed] }), ID_WABA),
    expected: [
      {
        kind: 'status',
        provider: 'meta',
        messageId: 'wamid.HBgNNjI4MTEwMDAwMTIzNBUCABEYEkdST1VQRkFJTDEyMzQ1Njc4OTAA',
        status: 'failed',
        recipient: '6285712345678',
        recipientUser: { phone: '6285712345678' },
        groupId: 'Y2FwaV9ncm91cDoxNzA1NTU1MDEzOToxMjAzNjM0MDQ2OTQyMzM4MjAZD',
        timestamp: at(1767226100),
        error: {
          code: 131026,
          title: 'Message undeliverable',
          message: 'Message undeliverable',
          details: 'Message could not be delivered to the participant.',
          href: '/documentation/business-messaging/whatsapp/support/error-codes',
        },
        errors: [
          {
            code: 131026,
            title: 'Message undeliverable',
            message: 'Message undeliverable',
            details: 'Message could not be delivered to the participant.',
            href: '/documentation/business-messaging/whatsapp/support/error-codes',
          },
        ],
        business: ID_BIZ,
        raw: groupFailed,
      },
    ],
  },
  {
    name: 'sent in a free entry point conversation (referral_conversion)',
    source: STATUS,
    origin: 'syntax',
    payload: envelope('messages', idValue({ statuses: [freeEntryPoint] }), ID_WABA),
    expected: [
      {
        kind: 'status',
        provider: 'meta',
        messageId: 'wamid.HBgNNjI4MTIzNDU2Nzg5MBUCABEYEkNUV0FGUkVFMTIzNDU2Nzg5MEEA',
        status: 'sent',
        recipient: '6281234567890',
        recipientUser: { phone: '6281234567890' },
        timestamp: at(1767226200),
        errors: [],
        pricing: {
          billable: false,
          model: 'PMP',
          type: 'free_entry_point',
          category: 'referral_conversion',
        },
        conversation: {
          id: '8f842dbba350821654c9dfed31f5635c',
          origin: 'referral_conversion',
          expiresAt: at(1767485400),
        },
        business: ID_BIZ,
        raw: freeEntryPoint,
      },
    ],
  },
  {
    name: 'failed: the customer stopped marketing messages (two errors, identity hash)',
    source: STATUS,
    origin: 'variation',
    payload: envelope('messages', idValue({ statuses: [marketingOptOut] }), ID_WABA),
    expected: [
      {
        kind: 'status',
        provider: 'meta',
        messageId: 'wamid.HBgNNjI4MTIzNDU2Nzg5MBUCABEYEk9QVE9VVDEyMzQ1Njc4OTBBQkMA',
        status: 'failed',
        recipient: '6281234567890',
        recipientUser: { phone: '6281234567890' },
        timestamp: at(1767226300),
        error: {
          code: 131050,
          title:
            'Unable to deliver the message. This recipient has chosen to stop receiving marketing messages on WhatsApp from your business',
          message:
            'Unable to deliver the message. This recipient has chosen to stop receiving marketing messages on WhatsApp from your business',
          details: 'The recipient opted out of marketing messages.',
          href: '/documentation/business-messaging/whatsapp/support/error-codes',
        },
        errors: [
          {
            code: 131050,
            title:
              'Unable to deliver the message. This recipient has chosen to stop receiving marketing messages on WhatsApp from your business',
            message:
              'Unable to deliver the message. This recipient has chosen to stop receiving marketing messages on WhatsApp from your business',
            details: 'The recipient opted out of marketing messages.',
            href: '/documentation/business-messaging/whatsapp/support/error-codes',
          },
          {
            code: 131049,
            title: 'This message was not delivered to maintain healthy ecosystem engagement.',
          },
        ],
        callbackData: 'kampanye-lebaran',
        business: ID_BIZ,
        raw: marketingOptOut,
      },
    ],
  },
  {
    name: 'conversation without an id is left out, the status kept',
    source: STATUS,
    origin: 'variation',
    payload: envelope('messages', idValue({ statuses: [conversationWithoutId] }), ID_WABA),
    expected: [
      {
        kind: 'status',
        provider: 'meta',
        messageId: 'wamid.HBgNNjI4MTIzNDU2Nzg5MBUCABEYEk5PQ09OVklEMTIzNDU2Nzg5MEEA',
        status: 'delivered',
        recipient: '6281234567890',
        recipientUser: { phone: '6281234567890' },
        timestamp: at(1767226400),
        errors: [],
        pricing: { billable: true, model: 'PMP', type: 'regular', category: 'utility' },
        business: ID_BIZ,
        raw: conversationWithoutId,
      },
    ],
  },
  {
    name: 'a call status among message statuses is a call, never a status',
    source: doc('calling/reference'),
    origin: 'variation',
    payload: envelope('messages', idValue({ statuses: [callStatusInMessages] }), ID_WABA),
    expected: [
      {
        kind: 'call',
        provider: 'meta',
        callId: 'wacid.HBgNNjI4MTIzNDU2Nzg5MBUCABIYIEE5OEI3QzZENUU0RjNBMkIxQzBEOUU4RjdBNkI1QzRE',
        event: 'status',
        status: 'RINGING',
        to: '6281234567890',
        timestamp: at(1767226500),
        business: ID_BIZ,
        raw: callStatusInMessages,
      },
    ],
  },
  {
    name: 'value-level errors (rate limit)',
    source: ERRORS,
    origin: 'example',
    payload: envelope('messages', rateLimitValue),
    expected: [
      {
        kind: 'error',
        provider: 'meta',
        errors: [
          {
            code: 130429,
            title: 'Rate limit hit',
            message: 'Rate limit hit',
            details:
              'Message failed to send because there were too many messages sent from this phone number in a short period of time',
            href: '/documentation/business-messaging/whatsapp/support/error-codes',
          },
        ],
        business: META_BIZ,
        raw: rateLimitValue,
      },
    ],
  },
  {
    name: 'batch: two customers’ messages and two statuses in one change',
    source: doc('webhooks/reference/messages'),
    origin: 'variation',
    payload: envelope(
      'messages',
      idValue({
        contacts: [budiPhoneContact, sariContact],
        messages: [batchText, batchImage],
        statuses: [batchDelivered, batchRead],
      }),
      ID_WABA,
    ),
    expected: [
      {
        kind: 'message',
        provider: 'meta',
        from: '6281234567890',
        sender: { phone: '6281234567890', name: 'Budi Santoso' },
        id: 'wamid.HBgNNjI4MTIzNDU2Nzg5MBUCABIYFjNFQjBCQVRDSDAxMjM0NTY3ODkwQUIA',
        name: 'Budi Santoso',
        timestamp: at(1767227000),
        business: ID_BIZ,
        content: { type: 'text', text: 'Pesanan saya sudah dikirim?' },
        raw: batchText,
      },
      {
        kind: 'message',
        provider: 'meta',
        from: '6285712345678',
        sender: { phone: '6285712345678', name: 'Sari Wijaya' },
        id: 'wamid.HBgNNjI4NTcxMjM0NTY3OBUCABIYFjNFQjBCQVRDSDAyMTIzNDU2Nzg5MEEA',
        name: 'Sari Wijaya',
        timestamp: at(1767227005),
        business: ID_BIZ,
        content: {
          type: 'image',
          mediaId: '4400550066007700',
          mimeType: 'image/jpeg',
          sha256: 'YnVrdGl0cmFuc2Zlcg==',
          caption: 'Bukti transfer',
        },
        raw: batchImage,
      },
      {
        kind: 'status',
        provider: 'meta',
        messageId: 'wamid.HBgNNjI4MTIzNDU2Nzg5MBUCABEYEkJBVENIMDNPVVQxMjM0NTY3OEEA',
        status: 'delivered',
        recipient: '6281234567890',
        recipientUser: { phone: '6281234567890', name: 'Budi Santoso' },
        timestamp: at(1767226990),
        errors: [],
        business: ID_BIZ,
        raw: batchDelivered,
      },
      {
        kind: 'status',
        provider: 'meta',
        messageId: 'wamid.HBgNNjI4NTcxMjM0NTY3OBUCABEYEkJBVENIMDRPVVQxMjM0NTY3OEEA',
        status: 'read',
        recipient: '6285712345678',
        recipientUser: { phone: '6285712345678', name: 'Sari Wijaya' },
        timestamp: at(1767226995),
        errors: [],
        business: ID_BIZ,
        raw: batchRead,
      },
    ],
  },
  {
    name: 'batch: two WABAs, a message, a template change and a status',
    source: doc('webhooks/overview'),
    origin: 'variation',
    payload: {
      object: 'whatsapp_business_account',
      entry: [
        {
          id: ID_WABA,
          changes: [
            { field: 'messages', value: idValue({ messages: [batchText] }) },
            { field: 'message_template_status_update', value: templateApproved },
          ],
        },
        {
          id: '301234567890999',
          time: 1767227101,
          changes: [
            {
              field: 'messages',
              value: {
                messaging_product: 'whatsapp',
                metadata: SURABAYA_METADATA,
                contacts: [{ profile: { name: 'Andi' }, wa_id: '6281298765432' }],
                messages: [secondWabaText],
                statuses: [secondWabaStatus],
              },
            },
          ],
        },
      ],
    },
    expected: [
      {
        kind: 'message',
        provider: 'meta',
        from: '6281234567890',
        sender: { phone: '6281234567890' },
        id: 'wamid.HBgNNjI4MTIzNDU2Nzg5MBUCABIYFjNFQjBCQVRDSDAxMjM0NTY3ODkwQUIA',
        timestamp: at(1767227000),
        business: ID_BIZ,
        content: { type: 'text', text: 'Pesanan saya sudah dikirim?' },
        raw: batchText,
      },
      {
        kind: 'template_status',
        provider: 'meta',
        templateId: '1689556908129999',
        name: 'konfirmasi_pesanan',
        language: 'id',
        event: 'APPROVED',
        reason: 'NONE',
        category: 'UTILITY',
        business: { accountId: ID_WABA },
        raw: templateApproved,
      },
      {
        kind: 'message',
        provider: 'meta',
        from: '6281298765432',
        sender: { phone: '6281298765432', name: 'Andi' },
        id: 'wamid.HBgNNjI4MTI5ODc2NTQzMhUCABIYFjNFQjBTRUNPTkRXQUJBMTIzNDU2NzgA',
        name: 'Andi',
        timestamp: at(1767227100),
        business: {
          accountId: '301234567890999',
          phoneNumberId: '109876543210555',
          displayPhoneNumber: '6231990001234',
        },
        content: { type: 'text', text: 'Halo cabang Surabaya' },
        raw: secondWabaText,
      },
      {
        kind: 'status',
        provider: 'meta',
        messageId: 'wamid.HBgNNjI4MTI5ODc2NTQzMhUCABEYElNFQ09ORFdBQkFTVEFUVVMxMjMA',
        status: 'sent',
        recipient: '6281298765432',
        recipientUser: { phone: '6281298765432', name: 'Andi' },
        timestamp: at(1767227101),
        errors: [],
        business: {
          accountId: '301234567890999',
          phoneNumberId: '109876543210555',
          displayPhoneNumber: '6231990001234',
        },
        raw: secondWabaStatus,
      },
    ],
  },
];
