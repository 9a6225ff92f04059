// The other fields of a WhatsApp Business Account: templates, account, phone numbers, user
// preferences, coexistence (echoes, history), calls, and fields Kabar does not type.
import {
  at,
  type CorpusEntry,
  doc,
  envelope,
  ID_BIZ,
  ID_WABA,
  idValue,
  META_BIZ,
  META_WABA,
  META_WABA_ONLY,
  metaValue,
} from './types.js';

const TEMPLATE_STATUS = doc('webhooks/reference/message_template_status_update');
const TEMPLATE_QUALITY = doc('webhooks/reference/message_template_quality_update');
const TEMPLATE_CATEGORY = doc('webhooks/reference/template_category_update');
const ACCOUNT = doc('webhooks/reference/account_update');
const PHONE_QUALITY = doc('webhooks/reference/phone_number_quality_update');
const PHONE_NAME = doc('webhooks/reference/phone_number_name_update');
const PREFERENCES = doc('webhooks/reference/user_preferences');
const ECHOES = doc('webhooks/reference/smb_message_echoes');
const HISTORY = doc('webhooks/reference/history');
const BSUID = doc('business-scoped-user-ids');

/** Meta's template, account and phone number webhooks: `entry[].time`, no metadata. */
function accountEnvelope(
  field: string,
  value: Record<string, unknown>,
  wabaId = META_WABA,
  time = 1739321024,
) {
  return {
    entry: [{ id: wabaId, time, changes: [{ value, field }] }],
    object: 'whatsapp_business_account',
  };
}

// --- templates ----------------------------------------------------------------------------------

const approved = {
  event: 'APPROVED',
  message_template_id: 1689556908129832,
  message_template_name: 'order_confirmation',
  message_template_language: 'en-US',
  reason: 'NONE',
  message_template_category: 'UTILITY',
};

const rejected = {
  event: 'REJECTED',
  message_template_id: 1689556908129835,
  message_template_name: 'abandoned_cart',
  message_template_language: 'en',
  reason: 'INVALID_FORMAT',
  message_template_category: 'MARKETING',
  rejection_info: {
    reason:
      'Your template has parameters placed next to each other (like {{1}}{{2}}) without text or punctuation between them.',
    recommendation:
      'Separate parameters with descriptive text and ensure each parameter is clearly contextualized.',
  },
};

const paused = {
  event: 'PAUSED',
  message_template_id: 1689556908129900,
  message_template_name: 'promo_ramadan',
  message_template_language: 'id',
  reason: 'NONE',
  message_template_category: 'MARKETING',
  other_info: {
    title: 'FIRST_PAUSE',
    description: 'Your WhatsApp message template has been paused for 3 hours due to low quality.',
  },
};

const disabled = {
  event: 'DISABLED',
  message_template_id: 1689556908129901,
  message_template_name: 'promo_flash_sale',
  message_template_language: 'id',
  reason: 'NONE',
  message_template_category: 'MARKETING',
  disable_info: { disable_date: 1751234563 },
};

const pendingDeletion = {
  event: 'PENDING_DELETION',
  message_template_id: 1689556908129902,
  message_template_name: 'ucapan_lebaran_2025',
  message_template_language: 'id',
  reason: null,
  message_template_category: 'MARKETING',
};

const quality = {
  previous_quality_score: 'GREEN',
  new_quality_score: 'YELLOW',
  message_template_id: 806312974732579,
  message_template_name: 'welcome_template',
  message_template_language: 'en-US',
};
// The same example as once published, under the status field: a separate object so both can be
// checked by identity.
const qualityUnderStatusField = { ...quality };

const recategorizing = {
  message_template_id: 278077987957091,
  message_template_name: 'welcome_template',
  message_template_language: 'en-US',
  new_category: 'UTILITY',
  correct_category: 'MARKETING',
  category_update_timestamp: 1746169200,
};

const recategorized = {
  message_template_id: 278077987957091,
  message_template_name: 'welcome_template',
  message_template_language: 'en-US',
  previous_category: 'UTILITY',
  new_category: 'MARKETING',
};

// --- account and phone numbers ------------------------------------------------------------------

const accountDeleted = { event: 'ACCOUNT_DELETED' };
const accountViolation = {
  event: 'ACCOUNT_VIOLATION',
  violation_info: { violation_type: 'ADULT' },
};
const disabledUpdate = {
  event: 'DISABLED_UPDATE',
  ban_info: { waba_ban_state: 'REINSTATE', waba_ban_date: 'April 17, 2025' },
};
const primaryLocation = { country: 'IN', event: 'BUSINESS_PRIMARY_LOCATION_COUNTRY_UPDATE' };
const callingRestriction = {
  phone_number: '6281100001234',
  event: 'ACCOUNT_RESTRICTION',
  restriction_info: [
    { restriction_type: 'RESTRICTED_BUSINESS_INITIATED_CALLING', expiration: 1767830400 },
  ],
};
const partnerAdded = {
  event: 'PARTNER_ADDED',
  waba_info: {
    waba_id: '980198427658004',
    owner_business_id: '2329417887457253',
    solution_id: '1715120619246906',
    solution_partner_business_ids: ['2949482758682047', '520744086200222'],
  },
};
const partnerAppInstalled = {
  event: 'PARTNER_APP_INSTALLED',
  waba_info: {
    waba_id: '1191624265890717',
    owner_business_id: '2329417887457253',
    partner_app_id: '5731794616896507',
    solution_id: '1715120619246906',
    solution_partner_business_ids: ['2949482758682047', '520744086200222'],
  },
};
const partnerAppUninstalled = {
  event: 'PARTNER_APP_UNINSTALLED',
  waba_info: {
    waba_id: '184943124712545',
    owner_business_id: '1284923862322270',
    partner_app_id: '869361281603019',
  },
  field: 'account_update',
  object: 'whatsapp_business_account',
};

const throughputUpgrade = {
  display_phone_number: '15550783881',
  event: 'THROUGHPUT_UPGRADE',
  current_limit: 'TIER_UNLIMITED',
};
const downgrade = {
  display_phone_number: '6281100001234',
  event: 'DOWNGRADE',
  old_limit: 'TIER_10K',
  current_limit: 'TIER_2K',
  max_daily_conversations_per_business: 'TIER_2K',
};
const limitWithoutCurrent = {
  display_phone_number: '6281100001234',
  event: 'UPGRADE',
  max_daily_conversations_per_business: 'TIER_10K',
};

const nameApproved = {
  display_phone_number: '15550783881',
  decision: 'APPROVED',
  requested_verified_name: 'Lucky Shrub',
  rejection_reason: null,
};
const nameRejected = {
  display_phone_number: '6281100001234',
  decision: 'REJECTED',
  requested_verified_name: 'TOKO BATIK SARI!!!',
  rejection_reason: 'NAME_FORMAT_UNACCEPTABLE',
};

// --- user preferences ---------------------------------------------------------------------------

const resumePreference = {
  wa_id: '16505551234',
  detail: 'User requested to resume marketing messages',
  category: 'marketing_messages',
  value: 'resume',
  timestamp: 1731705721,
};
const stopPreferenceBsuid = {
  user_id: 'ID.1502576394655843',
  parent_user_id: 'ID.ENT.9988776655443322110',
  detail: 'User requested to stop marketing messages',
  category: 'marketing_messages',
  value: 'stop',
  timestamp: 1767227300,
};

// --- coexistence: echoes and history ------------------------------------------------------------

const echoText = {
  from: '15550783881',
  to: '16505551234',
  id: 'wamid.HBgLMTY0NjcwNDM1OTUVAgARGBIyNDlBOEI5QUQ4NDc0N0FCNjMA',
  timestamp: '1739321024',
  type: 'text',
  text: { body: "Here's the info you requested! https://www.meta.com/quest/quest-3/" },
};
const echoRevoke = {
  from: '15550783881',
  to: '16505551234',
  id: 'wamid.HBgLMTY1MDM4Nzk0MzkVAgASGBQzQUFERjg0NDEzNDdFODU3MUMxMAA=',
  timestamp: '1749854575',
  type: 'revoke',
  revoke: { original_message_id: 'wamid.HBgLMTQxMjU1NTA4MjkVAgASGBQzQUNCNjk5RDUwNUZGMUZEM0VBRAA=' },
};
const echoEdit = {
  from: '15550783881',
  to: '16505551234',
  id: 'wamid.HBgLMTY1MDM4Nzk0MzkVAgASGBQzQkJERjg0NDEzNDdFODU3MUMxMAA=',
  timestamp: '1749854620',
  type: 'edit',
  edit: {
    original_message_id: 'wamid.HBgLMTQxMjU1NTA4MjkVAgASGBQzQUNCNjk5RDUwNUZGMUZEM0VBRAA=',
    message: {
      context: { id: 'M0' },
      type: 'image',
      image: {
        caption: 'Updated image caption',
        mime_type: 'image/jpeg',
        sha256: 'a1b2c3d4e5f6a1b2c3d4e5f6a1b2c3d4e5f6a1b2c3d4e5f6a1b2c3d4e5f6a1b2',
        id: '1234567890',
        url: 'https://lookaside.fbsbx.com/whatsapp_business/attachments/?mid=133...',
      },
    },
  },
};
const echoImageBsuid = {
  from: '6281100001234',
  to_user_id: 'ID.1502576394655843',
  to_parent_user_id: 'ID.ENT.9988776655443322110',
  id: 'wamid.HBgNNjI4MTEwMDAwMTIzNBUCABEYEkVDSE9JTUFHRTEyMzQ1Njc4OTAA',
  timestamp: '1767227400',
  type: 'image',
  image: {
    caption: 'Ini katalog terbaru kak',
    mime_type: 'image/jpeg',
    sha256: 'a2F0YWxvZ3RlcmJhcnVrYWsxMjM0NTY3ODkwMTIzNA==',
    id: '5500660077008800',
  },
};

const thread1 = {
  id: '16505551234',
  messages: [
    {
      from: '15550783881',
      id: 'wamid.HBgLMTY0NjcwNDM1OTUVAgARGBIyNDlBOEI5QUQ4NDc0N0FCNjMA',
      timestamp: '1739230955',
      type: 'text',
      text: { body: "Here's the info you requested! https://www.meta.com/quest/quest-3/" },
      history_context: { status: 'READ' },
    },
    {
      from: '15550783881',
      id: 'wamid.QyNUEHBgLMTY0NjcwNDM1OTUVAgARGBI1Rj3NEYxMzAzMzQ5MkEA',
      timestamp: '1739230970',
      type: 'media_placeholder',
      history_context: { status: 'PLAYED' },
    },
    {
      from: '16505551234',
      id: 'wamid.N0FCNjMAHBgLMTY0NjcwNDM1OTUVAgARGBIyNDlBOEI5QUQ4NDc0',
      timestamp: '1739230970',
      type: 'text',
      text: { body: 'Thanks!' },
      history_context: { status: 'READ' },
    },
  ],
};
const thread2 = {
  id: '12125557890',
  messages: [
    {
      from: '15550783881',
      id: 'wamid.BIyNDlBOEI5N0FCNjMAHBgLMTY0NjcwNDM1OTUVAgARGQUQ4NDc0',
      timestamp: '1739230970',
      type: 'text',
      text: {
        body: 'Thanks for your order! As a thank you, use code THANKS30 to get 30% of your next order.',
      },
      history_context: { status: 'DELIVERED' },
    },
  ],
};
const historyMediaMessage = {
  from: '16505551234',
  id: 'wamid.QyNUEHBgLMTY0NjcwNDM1OTUVAgARGBI1Rj3NEYxMzAzMzQ5MkEA',
  timestamp: '1738796547',
  type: 'image',
  image: {
    caption: 'Black Prince echeveria',
    mime_type: 'image/jpeg',
    sha256: '3f9d94d399fa61c191bc1d4ca71375a035cd9b9f5b1128e1f0963a415c16b0cc',
    id: '24230790383178626',
  },
};
const historyDeclined = {
  errors: [
    {
      code: 2593109,
      title: 'History sync is turned off by the business from the WhatsApp Business App',
      message: 'History sync is turned off by the business from the WhatsApp Business App',
      error_data: { details: 'History sharing is turned off by the business' },
    },
  ],
};
const bsuidThread = {
  context: { user_id: 'ID.1502576394655843', username: 'budisantoso' },
  messages: [
    {
      from_user_id: 'ID.1502576394655843',
      id: 'wamid.HBgNSUQuMTUwMjU3NjM5NDY1NTg0MxUCABIYFkhJU1RPUllJTjEyMzQ1Njc4OTAA',
      timestamp: '1766000000',
      type: 'text',
      text: { body: 'Kak, pesanan kemarin sudah sampai' },
      history_context: { status: 'READ' },
    },
    {
      from: '6281100001234',
      to_user_id: 'ID.1502576394655843',
      id: 'wamid.HBgNNjI4MTEwMDAwMTIzNBUCABEYEkhJU1RPUllPVVQxMjM0NTY3ODkA',
      timestamp: '1766000060',
      type: 'text',
      text: { body: 'Terima kasih sudah berbelanja!' },
      history_context: { status: 'DELIVERED' },
    },
  ],
};

// --- calls --------------------------------------------------------------------------------------

const SDP_OFFER =
  'v=0\r\no=- 7669997803033704573 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\na=group:BUNDLE audio\r\nm=audio 9 UDP/TLS/RTP/SAVPF 111\r\n';
const SDP_ANSWER =
  'v=0\r\no=- 1848437327 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\na=group:BUNDLE audio\r\nm=audio 9 UDP/TLS/RTP/SAVPF 111\r\n';
const CALL_BIZ = {
  accountId: '366634483210360',
  phoneNumberId: '436666719526789',
  displayPhoneNumber: '13175551399',
};
const CALL_METADATA = { phone_number_id: '436666719526789', display_phone_number: '13175551399' };

const userCallConnect = {
  id: 'wacid.ABGGFjFVU2AfAgo6V-Hc5eCgK5Gh',
  to: '16315553601',
  from: '13175551399',
  event: 'connect',
  timestamp: '1671644824',
  session: { sdp_type: 'offer', sdp: SDP_OFFER },
};
const userCallTerminate = {
  id: 'wacid.ABGGFjFVU2AfAgo6V-Hc5eCgK5Gh',
  to: '16315553601',
  from: '13175551399',
  event: 'terminate',
  direction: 'USER_INITIATED',
  timestamp: '1749197480',
  status: ['Failed', 'Completed'],
  start_time: '1671644824',
  end_time: '1671644944',
  duration: 480,
};
const userCallCompletedBsuid = {
  duration: 95,
  start_time: '1767228000',
  biz_opaque_callback_data: 'tiket-cs-7781',
  end_time: '1767228095',
  from_user_id: 'ID.1502576394655843',
  id: 'wacid.HBgNSUQuMTUwMjU3NjM5NDY1NTg0MxUCABIYIENBTExURVJNMTIzNDU2Nzg5MA==',
  to: '6281100001234',
  event: 'terminate',
  timestamp: '1767228095',
  direction: 'USER_INITIATED',
  status: 'COMPLETED',
};
const businessCallConnect = {
  biz_opaque_callback_data: 'follow-up-INV-0042',
  session: { sdp_type: 'answer', sdp: SDP_ANSWER },
  from: '6281100001234',
  id: 'wacid.HBgNNjI4MTEwMDAwMTIzNBUCABEYIEJJWkNBTExDT05OMTIzNDU2Nzg5MA==',
  to_user_id: 'ID.1502576394655843',
  event: 'connect',
  timestamp: '1767228200',
  direction: 'BUSINESS_INITIATED',
};
const businessCallRinging = {
  biz_opaque_callback_data: 'follow-up-INV-0042',
  id: 'wacid.HBgNNjI4MTEwMDAwMTIzNBUCABEYIEJJWkNBTExDT05OMTIzNDU2Nzg5MA==',
  type: 'call',
  status: 'RINGING',
  timestamp: '1767228201',
  recipient_user_id: 'ID.1502576394655843',
};
const failedCall = {
  id: 'wacid.HBgNNjI4MTIzNDU2Nzg5MBUCABIYIEZBSUxFRENBTEwxMjM0NTY3ODkwQUI=',
  from: '6281234567890',
  to: '6281100001234',
  event: 'terminate',
  timestamp: '1767228300',
  direction: 'USER_INITIATED',
  start_time: '1767228280',
  end_time: '1767228300',
  duration: 20,
  status: 'FAILED',
  errors: [
    {
      code: 138021,
      title:
        'WhatsApp client terminated the call due to not receiving any media for a long time. Please try again',
      message:
        'WhatsApp client terminated the call due to not receiving any media for a long time. Please try again',
      error_data: {
        details:
          'WhatsApp client terminated the call due to not receiving any media for a long time.',
      },
    },
  ],
};
const CALL_MEDIA_ERROR = {
  code: 138021,
  title:
    'WhatsApp client terminated the call due to not receiving any media for a long time. Please try again',
  message:
    'WhatsApp client terminated the call due to not receiving any media for a long time. Please try again',
  details: 'WhatsApp client terminated the call due to not receiving any media for a long time.',
};
const failedCallValue = idValue({
  contacts: [{ profile: { name: 'Budi Santoso' }, wa_id: '6281234567890' }],
  calls: [failedCall],
  errors: failedCall.errors,
});

// --- fields Kabar does not type -----------------------------------------------------------------

const userIdUpdateValue = metaValue({
  contacts: [{ profile: { name: 'Sheena Nelson' }, wa_id: '16505551234' }],
  user_id_update: [
    {
      wa_id: '16505551234',
      detail: 'User id for Sheena Nelson has been updated.',
      user_id: { previous: 'US.10101010101010101010', current: 'US.13491208655302741918' },
      timestamp: '1750269400',
    },
  ],
});
const usernameUpdate = {
  display_phone_number: '15550783881',
  username: 'luckyshrub',
  status: 'approved',
};

export const metaFieldCorpus: CorpusEntry[] = [
  {
    name: 'template approved',
    source: TEMPLATE_STATUS,
    origin: 'example',
    payload: accountEnvelope('message_template_status_update', approved, META_WABA, 1751247548),
    expected: [
      {
        kind: 'template_status',
        provider: 'meta',
        templateId: '1689556908129832',
        name: 'order_confirmation',
        language: 'en-US',
        event: 'APPROVED',
        reason: 'NONE',
        category: 'UTILITY',
        business: META_WABA_ONLY,
        raw: approved,
      },
    ],
  },
  {
    name: 'template rejected with INVALID_FORMAT and rejection_info',
    source: TEMPLATE_STATUS,
    origin: 'example',
    payload: accountEnvelope('message_template_status_update', rejected, META_WABA, 1751247548),
    expected: [
      {
        kind: 'template_status',
        provider: 'meta',
        templateId: '1689556908129835',
        name: 'abandoned_cart',
        language: 'en',
        event: 'REJECTED',
        reason: 'INVALID_FORMAT',
        category: 'MARKETING',
        rejection: {
          reason:
            'Your template has parameters placed next to each other (like {{1}}{{2}}) without text or punctuation between them.',
          recommendation:
            'Separate parameters with descriptive text and ensure each parameter is clearly contextualized.',
        },
        business: META_WABA_ONLY,
        raw: rejected,
      },
    ],
  },
  {
    name: 'template paused, with other_info',
    source: TEMPLATE_STATUS,
    origin: 'syntax',
    payload: accountEnvelope('message_template_status_update', paused, ID_WABA),
    expected: [
      {
        kind: 'template_status',
        provider: 'meta',
        templateId: '1689556908129900',
        name: 'promo_ramadan',
        language: 'id',
        event: 'PAUSED',
        reason: 'NONE',
        detail:
          'FIRST_PAUSE: Your WhatsApp message template has been paused for 3 hours due to low quality.',
        category: 'MARKETING',
        business: { accountId: ID_WABA },
        raw: paused,
      },
    ],
  },
  {
    name: 'template disabled, with disable_info',
    source: TEMPLATE_STATUS,
    origin: 'syntax',
    payload: accountEnvelope('message_template_status_update', disabled, ID_WABA),
    expected: [
      {
        kind: 'template_status',
        provider: 'meta',
        templateId: '1689556908129901',
        name: 'promo_flash_sale',
        language: 'id',
        event: 'DISABLED',
        reason: 'NONE',
        category: 'MARKETING',
        disabledAt: at(1751234563),
        business: { accountId: ID_WABA },
        raw: disabled,
      },
    ],
  },
  {
    name: 'template pending deletion (reason null)',
    source: TEMPLATE_STATUS,
    origin: 'syntax',
    payload: accountEnvelope('message_template_status_update', pendingDeletion, ID_WABA),
    expected: [
      {
        kind: 'template_status',
        provider: 'meta',
        templateId: '1689556908129902',
        name: 'ucapan_lebaran_2025',
        language: 'id',
        event: 'PENDING_DELETION',
        category: 'MARKETING',
        business: { accountId: ID_WABA },
        raw: pendingDeletion,
      },
    ],
  },
  {
    name: 'template quality changed',
    source: TEMPLATE_QUALITY,
    origin: 'example',
    payload: accountEnvelope('message_template_quality_update', quality, META_WABA, 1674864290),
    expected: [
      {
        kind: 'template_quality',
        provider: 'meta',
        templateId: '806312974732579',
        name: 'welcome_template',
        language: 'en-US',
        previousScore: 'GREEN',
        newScore: 'YELLOW',
        business: META_WABA_ONLY,
        raw: quality,
      },
    ],
  },
  {
    name: 'template quality changed, under the status field as Meta’s example long showed it',
    source: TEMPLATE_QUALITY,
    origin: 'example',
    payload: accountEnvelope(
      'message_template_status_update',
      qualityUnderStatusField,
      META_WABA,
      1674864290,
    ),
    expected: [
      {
        kind: 'template_quality',
        provider: 'meta',
        templateId: '806312974732579',
        name: 'welcome_template',
        language: 'en-US',
        previousScore: 'GREEN',
        newScore: 'YELLOW',
        business: META_WABA_ONLY,
        raw: qualityUnderStatusField,
      },
    ],
  },
  {
    name: 'template about to be recategorized',
    source: TEMPLATE_CATEGORY,
    origin: 'example',
    payload: accountEnvelope('template_category_update', recategorizing, META_WABA, 1746082800),
    expected: [
      {
        kind: 'template_category',
        provider: 'meta',
        templateId: '278077987957091',
        name: 'welcome_template',
        language: 'en-US',
        newCategory: 'UTILITY',
        correctCategory: 'MARKETING',
        scheduledAt: at(1746169200),
        business: META_WABA_ONLY,
        raw: recategorizing,
      },
    ],
  },
  {
    name: 'template recategorized',
    source: TEMPLATE_CATEGORY,
    origin: 'example',
    payload: accountEnvelope('template_category_update', recategorized, META_WABA, 1746169200),
    expected: [
      {
        kind: 'template_category',
        provider: 'meta',
        templateId: '278077987957091',
        name: 'welcome_template',
        language: 'en-US',
        previousCategory: 'UTILITY',
        newCategory: 'MARKETING',
        business: META_WABA_ONLY,
        raw: recategorized,
      },
    ],
  },
  {
    name: 'account deleted',
    source: ACCOUNT,
    origin: 'example',
    payload: accountEnvelope('account_update', accountDeleted, META_WABA, 1743451903),
    expected: [
      {
        kind: 'account_update',
        provider: 'meta',
        event: 'ACCOUNT_DELETED',
        business: META_WABA_ONLY,
        raw: accountDeleted,
      },
    ],
  },
  {
    name: 'account violation',
    source: ACCOUNT,
    origin: 'example',
    payload: accountEnvelope('account_update', accountViolation, META_WABA, 1743451903),
    expected: [
      {
        kind: 'account_update',
        provider: 'meta',
        event: 'ACCOUNT_VIOLATION',
        detail: 'ADULT',
        business: META_WABA_ONLY,
        raw: accountViolation,
      },
    ],
  },
  {
    name: 'account reinstated (DISABLED_UPDATE with ban_info)',
    source: ACCOUNT,
    origin: 'example',
    payload: accountEnvelope('account_update', disabledUpdate, META_WABA, 1743451903),
    expected: [
      {
        kind: 'account_update',
        provider: 'meta',
        event: 'DISABLED_UPDATE',
        detail: 'REINSTATE',
        business: META_WABA_ONLY,
        raw: disabledUpdate,
      },
    ],
  },
  {
    name: 'primary business location set',
    source: ACCOUNT,
    origin: 'example',
    payload: accountEnvelope('account_update', primaryLocation, META_WABA, 1743138982),
    expected: [
      {
        kind: 'account_update',
        provider: 'meta',
        event: 'BUSINESS_PRIMARY_LOCATION_COUNTRY_UPDATE',
        country: 'IN',
        business: META_WABA_ONLY,
        raw: primaryLocation,
      },
    ],
  },
  {
    name: 'account restriction (business-initiated calling)',
    source: doc('calling/call-settings'),
    origin: 'syntax',
    payload: accountEnvelope('account_update', callingRestriction, ID_WABA, 1767225600),
    expected: [
      {
        kind: 'account_update',
        provider: 'meta',
        event: 'ACCOUNT_RESTRICTION',
        phoneNumber: '6281100001234',
        detail: 'RESTRICTED_BUSINESS_INITIATED_CALLING',
        business: { accountId: ID_WABA },
        raw: callingRestriction,
      },
    ],
  },
  {
    name: 'partner added (no `object` in the envelope)',
    source: ACCOUNT,
    origin: 'example',
    payload: {
      entry: [
        {
          id: '2949482758682047',
          time: 1744823932,
          changes: [{ value: partnerAdded, field: 'account_update' }],
        },
      ],
    },
    expected: [
      {
        kind: 'account_update',
        provider: 'meta',
        event: 'PARTNER_ADDED',
        business: { accountId: '2949482758682047' },
        raw: partnerAdded,
      },
    ],
  },
  {
    name: 'partner app installed (`field` beside `changes`, as in Meta’s example)',
    source: ACCOUNT,
    origin: 'example',
    payload: {
      entry: [
        {
          id: '2949482758682047',
          time: 1745337174,
          changes: [{ value: partnerAppInstalled }],
          field: 'account_update',
          object: 'whatsapp_business_account',
        },
      ],
    },
    expected: [
      {
        kind: 'account_update',
        provider: 'meta',
        event: 'PARTNER_APP_INSTALLED',
        business: { accountId: '2949482758682047' },
        raw: partnerAppInstalled,
      },
    ],
  },
  {
    name: 'partner app uninstalled (`field` inside `value`, as in Meta’s example)',
    source: ACCOUNT,
    origin: 'example',
    payload: {
      entry: [
        { id: '2949482758682047', time: 1748477359, changes: [{ value: partnerAppUninstalled }] },
      ],
    },
    expected: [
      {
        kind: 'account_update',
        provider: 'meta',
        event: 'PARTNER_APP_UNINSTALLED',
        business: { accountId: '2949482758682047' },
        raw: partnerAppUninstalled,
      },
    ],
  },
  {
    name: 'phone number throughput upgraded',
    source: PHONE_QUALITY,
    origin: 'example',
    payload: accountEnvelope(
      'phone_number_quality_update',
      throughputUpgrade,
      META_WABA,
      1748454394,
    ),
    expected: [
      {
        kind: 'phone_number_quality',
        provider: 'meta',
        displayPhoneNumber: '15550783881',
        event: 'THROUGHPUT_UPGRADE',
        currentLimit: 'TIER_UNLIMITED',
        business: META_WABA_ONLY,
        raw: throughputUpgrade,
      },
    ],
  },
  {
    name: 'messaging limit lowered, with old_limit and the portfolio limit',
    source: PHONE_QUALITY,
    origin: 'syntax',
    payload: accountEnvelope('phone_number_quality_update', downgrade, ID_WABA),
    expected: [
      {
        kind: 'phone_number_quality',
        provider: 'meta',
        displayPhoneNumber: '6281100001234',
        event: 'DOWNGRADE',
        currentLimit: 'TIER_2K',
        previousLimit: 'TIER_10K',
        maxDailyConversations: 'TIER_2K',
        business: { accountId: ID_WABA },
        raw: downgrade,
      },
    ],
  },
  {
    name: 'messaging limit after current_limit is gone (max_daily_conversations_per_business)',
    source: PHONE_QUALITY,
    origin: 'variation',
    payload: accountEnvelope('phone_number_quality_update', limitWithoutCurrent, ID_WABA),
    expected: [
      {
        kind: 'phone_number_quality',
        provider: 'meta',
        displayPhoneNumber: '6281100001234',
        event: 'UPGRADE',
        currentLimit: 'TIER_10K',
        maxDailyConversations: 'TIER_10K',
        business: { accountId: ID_WABA },
        raw: limitWithoutCurrent,
      },
    ],
  },
  {
    name: 'display name approved (rejection_reason null)',
    source: PHONE_NAME,
    origin: 'example',
    payload: accountEnvelope('phone_number_name_update', nameApproved),
    expected: [
      {
        kind: 'phone_number_name',
        provider: 'meta',
        displayPhoneNumber: '15550783881',
        decision: 'APPROVED',
        requestedName: 'Lucky Shrub',
        business: META_WABA_ONLY,
        raw: nameApproved,
      },
    ],
  },
  {
    name: 'display name rejected',
    source: PHONE_NAME,
    origin: 'syntax',
    payload: accountEnvelope('phone_number_name_update', nameRejected, ID_WABA),
    expected: [
      {
        kind: 'phone_number_name',
        provider: 'meta',
        displayPhoneNumber: '6281100001234',
        decision: 'REJECTED',
        requestedName: 'TOKO BATIK SARI!!!',
        rejectionReason: 'NAME_FORMAT_UNACCEPTABLE',
        business: { accountId: ID_WABA },
        raw: nameRejected,
      },
    ],
  },
  {
    name: 'customer resumed marketing messages',
    source: PREFERENCES,
    origin: 'example',
    payload: envelope(
      'user_preferences',
      metaValue({ contacts: [{ wa_id: '16505551234' }], user_preferences: [resumePreference] }),
    ),
    expected: [
      {
        kind: 'user_preference',
        provider: 'meta',
        from: '16505551234',
        user: { phone: '16505551234' },
        category: 'marketing_messages',
        value: 'resume',
        detail: 'User requested to resume marketing messages',
        timestamp: at(1731705721),
        business: META_BIZ,
        raw: resumePreference,
      },
    ],
  },
  {
    name: 'customer known only by BSUID stopped marketing messages',
    source: BSUID,
    origin: 'syntax',
    payload: envelope(
      'user_preferences',
      idValue({
        contacts: [
          {
            profile: { name: 'Budi', username: 'budisantoso' },
            user_id: 'ID.1502576394655843',
            parent_user_id: 'ID.ENT.9988776655443322110',
          },
        ],
        user_preferences: [stopPreferenceBsuid],
      }),
      ID_WABA,
    ),
    expected: [
      {
        kind: 'user_preference',
        provider: 'meta',
        from: 'ID.1502576394655843',
        user: {
          userId: 'ID.1502576394655843',
          parentUserId: 'ID.ENT.9988776655443322110',
          username: 'budisantoso',
          name: 'Budi',
        },
        category: 'marketing_messages',
        value: 'stop',
        detail: 'User requested to stop marketing messages',
        timestamp: at(1767227300),
        business: ID_BIZ,
        raw: stopPreferenceBsuid,
      },
    ],
  },
  {
    name: 'echo: text sent from the WhatsApp Business app',
    source: ECHOES,
    origin: 'example',
    payload: envelope('smb_message_echoes', metaValue({ message_echoes: [echoText] })),
    expected: [
      {
        kind: 'echo',
        provider: 'meta',
        id: 'wamid.HBgLMTY0NjcwNDM1OTUVAgARGBIyNDlBOEI5QUQ4NDc0N0FCNjMA',
        to: '16505551234',
        toUser: { phone: '16505551234' },
        timestamp: at(1739321024),
        content: {
          type: 'text',
          text: "Here's the info you requested! https://www.meta.com/quest/quest-3/",
        },
        business: META_BIZ,
        raw: echoText,
      },
    ],
  },
  {
    name: 'echo: message revoked in the WhatsApp Business app',
    source: ECHOES,
    origin: 'example',
    payload: envelope('smb_message_echoes', metaValue({ message_echoes: [echoRevoke] })),
    expected: [
      {
        kind: 'echo',
        provider: 'meta',
        id: 'wamid.HBgLMTY1MDM4Nzk0MzkVAgASGBQzQUFERjg0NDEzNDdFODU3MUMxMAA=',
        to: '16505551234',
        toUser: { phone: '16505551234' },
        timestamp: at(1749854575),
        content: {
          type: 'revoke',
          messageId: 'wamid.HBgLMTQxMjU1NTA4MjkVAgASGBQzQUNCNjk5RDUwNUZGMUZEM0VBRAA=',
        },
        business: META_BIZ,
        raw: echoRevoke,
      },
    ],
  },
  {
    name: 'echo: caption edited in the WhatsApp Business app',
    source: ECHOES,
    origin: 'example',
    payload: envelope('smb_message_echoes', metaValue({ message_echoes: [echoEdit] })),
    expected: [
      {
        kind: 'echo',
        provider: 'meta',
        id: 'wamid.HBgLMTY1MDM4Nzk0MzkVAgASGBQzQkJERjg0NDEzNDdFODU3MUMxMAA=',
        to: '16505551234',
        toUser: { phone: '16505551234' },
        timestamp: at(1749854620),
        content: {
          type: 'edit',
          messageId: 'wamid.HBgLMTQxMjU1NTA4MjkVAgASGBQzQUNCNjk5RDUwNUZGMUZEM0VBRAA=',
          content: {
            type: 'image',
            mediaId: '1234567890',
            url: 'https://lookaside.fbsbx.com/whatsapp_business/attachments/?mid=133...',
            mimeType: 'image/jpeg',
            sha256: 'a1b2c3d4e5f6a1b2c3d4e5f6a1b2c3d4e5f6a1b2c3d4e5f6a1b2c3d4e5f6a1b2',
            caption: 'Updated image caption',
          },
        },
        business: META_BIZ,
        raw: echoEdit,
      },
    ],
  },
  {
    name: 'echo to a customer known only by BSUID',
    source: BSUID,
    origin: 'syntax',
    payload: envelope(
      'smb_message_echoes',
      idValue({
        contacts: [
          {
            profile: { username: 'budisantoso' },
            user_id: 'ID.1502576394655843',
            parent_user_id: 'ID.ENT.9988776655443322110',
          },
        ],
        message_echoes: [echoImageBsuid],
      }),
      ID_WABA,
    ),
    expected: [
      {
        kind: 'echo',
        provider: 'meta',
        id: 'wamid.HBgNNjI4MTEwMDAwMTIzNBUCABEYEkVDSE9JTUFHRTEyMzQ1Njc4OTAA',
        to: 'ID.1502576394655843',
        toUser: {
          userId: 'ID.1502576394655843',
          parentUserId: 'ID.ENT.9988776655443322110',
          username: 'budisantoso',
        },
        timestamp: at(1767227400),
        content: {
          type: 'image',
          mediaId: '5500660077008800',
          mimeType: 'image/jpeg',
          sha256: 'a2F0YWxvZ3RlcmJhcnVrYWsxMjM0NTY3ODkwMTIzNA==',
          caption: 'Ini katalog terbaru kak',
        },
        business: ID_BIZ,
        raw: echoImageBsuid,
      },
    ],
  },
  {
    name: 'history: two threads, with a media placeholder',
    source: HISTORY,
    origin: 'example',
    payload: envelope(
      'history',
      metaValue({
        history: [
          { metadata: { phase: 0, chunk_order: 1, progress: 55 }, threads: [thread1, thread2] },
        ],
      }),
    ),
    expected: [
      {
        kind: 'history',
        provider: 'meta',
        threadId: '16505551234',
        phase: 0,
        progress: 55,
        chunkOrder: 1,
        messages: [
          {
            id: 'wamid.HBgLMTY0NjcwNDM1OTUVAgARGBIyNDlBOEI5QUQ4NDc0N0FCNjMA',
            from: '15550783881',
            timestamp: at(1739230955),
            status: 'READ',
            content: {
              type: 'text',
              text: "Here's the info you requested! https://www.meta.com/quest/quest-3/",
            },
          },
          {
            id: 'wamid.QyNUEHBgLMTY0NjcwNDM1OTUVAgARGBI1Rj3NEYxMzAzMzQ5MkEA',
            from: '15550783881',
            timestamp: at(1739230970),
            status: 'PLAYED',
            content: { type: 'unsupported', originalType: 'media_placeholder', errors: [] },
          },
          {
            id: 'wamid.N0FCNjMAHBgLMTY0NjcwNDM1OTUVAgARGBIyNDlBOEI5QUQ4NDc0',
            from: '16505551234',
            timestamp: at(1739230970),
            status: 'READ',
            content: { type: 'text', text: 'Thanks!' },
          },
        ],
        business: META_BIZ,
        raw: thread1,
      },
      {
        kind: 'history',
        provider: 'meta',
        threadId: '12125557890',
        phase: 0,
        progress: 55,
        chunkOrder: 1,
        messages: [
          {
            id: 'wamid.BIyNDlBOEI5N0FCNjMAHBgLMTY0NjcwNDM1OTUVAgARGQUQ4NDc0',
            from: '15550783881',
            timestamp: at(1739230970),
            status: 'DELIVERED',
            content: {
              type: 'text',
              text: 'Thanks for your order! As a thank you, use code THANKS30 to get 30% of your next order.',
            },
          },
        ],
        business: META_BIZ,
        raw: thread2,
      },
    ],
  },
  {
    name: 'history: a media message’s contents (`messages` under the history field)',
    source: HISTORY,
    origin: 'example',
    payload: envelope('history', metaValue({ messages: [historyMediaMessage] })),
    expected: [
      {
        kind: 'history',
        provider: 'meta',
        threadId: '16505551234',
        messages: [
          {
            id: 'wamid.QyNUEHBgLMTY0NjcwNDM1OTUVAgARGBI1Rj3NEYxMzAzMzQ5MkEA',
            from: '16505551234',
            timestamp: at(1738796547),
            content: {
              type: 'image',
              mediaId: '24230790383178626',
              mimeType: 'image/jpeg',
              sha256: '3f9d94d399fa61c191bc1d4ca71375a035cd9b9f5b1128e1f0963a415c16b0cc',
              caption: 'Black Prince echeveria',
            },
          },
        ],
        business: META_BIZ,
        raw: historyMediaMessage,
      },
    ],
  },
  {
    name: 'history declined by the business (errors instead of threads)',
    source: HISTORY,
    origin: 'example',
    payload: envelope('history', metaValue({ history: [historyDeclined] })),
    expected: [
      {
        kind: 'error',
        provider: 'meta',
        errors: [
          {
            code: 2593109,
            title: 'History sync is turned off by the business from the WhatsApp Business App',
            message: 'History sync is turned off by the business from the WhatsApp Business App',
            details: 'History sharing is turned off by the business',
          },
        ],
        business: META_BIZ,
        raw: historyDeclined,
      },
    ],
  },
  {
    name: 'history thread with a customer known only by BSUID (no thread id)',
    source: BSUID,
    origin: 'syntax',
    payload: envelope(
      'history',
      idValue({
        history: [{ metadata: { phase: 1, chunk_order: 3, progress: 80 }, threads: [bsuidThread] }],
      }),
      ID_WABA,
    ),
    expected: [
      {
        kind: 'history',
        provider: 'meta',
        threadId: 'ID.1502576394655843',
        user: { userId: 'ID.1502576394655843', username: 'budisantoso' },
        phase: 1,
        progress: 80,
        chunkOrder: 3,
        messages: [
          {
            id: 'wamid.HBgNSUQuMTUwMjU3NjM5NDY1NTg0MxUCABIYFkhJU1RPUllJTjEyMzQ1Njc4OTAA',
            from: 'ID.1502576394655843',
            timestamp: at(1766000000),
            status: 'READ',
            content: { type: 'text', text: 'Kak, pesanan kemarin sudah sampai' },
          },
          {
            id: 'wamid.HBgNNjI4MTEwMDAwMTIzNBUCABEYEkhJU1RPUllPVVQxMjM0NTY3ODkA',
            from: '6281100001234',
            to: 'ID.1502576394655843',
            timestamp: at(1766000060),
            status: 'DELIVERED',
            content: { type: 'text', text: 'Terima kasih sudah berbelanja!' },
          },
        ],
        business: ID_BIZ,
        raw: bsuidThread,
      },
    ],
  },
  {
    name: 'call connect: a customer calls, with the SDP offer',
    source: doc('calling/user-initiated-calls'),
    origin: 'example',
    payload: {
      object: 'whatsapp_business_account',
      entry: [
        {
          id: '366634483210360',
          changes: [
            {
              value: {
                messaging_product: 'whatsapp',
                metadata: CALL_METADATA,
                calls: [userCallConnect],
              },
              field: 'calls',
            },
          ],
        },
      ],
    },
    expected: [
      {
        kind: 'call',
        provider: 'meta',
        callId: 'wacid.ABGGFjFVU2AfAgo6V-Hc5eCgK5Gh',
        event: 'connect',
        from: '13175551399',
        to: '16315553601',
        session: { sdpType: 'offer', sdp: SDP_OFFER },
        timestamp: at(1671644824),
        business: CALL_BIZ,
        raw: userCallConnect,
      },
    ],
  },
  {
    name: 'call terminate, with Meta’s example status list',
    source: doc('calling/user-initiated-calls'),
    origin: 'example',
    payload: {
      object: 'whatsapp_business_account',
      entry: [
        {
          id: '366634483210360',
          changes: [
            {
              value: {
                messaging_product: 'whatsapp',
                metadata: CALL_METADATA,
                calls: [userCallTerminate],
              },
              field: 'calls',
            },
          ],
        },
      ],
    },
    expected: [
      {
        kind: 'call',
        provider: 'meta',
        callId: 'wacid.ABGGFjFVU2AfAgo6V-Hc5eCgK5Gh',
        event: 'terminate',
        direction: 'USER_INITIATED',
        from: '13175551399',
        to: '16315553601',
        duration: 480,
        startedAt: at(1671644824),
        endedAt: at(1671644944),
        timestamp: at(1749197480),
        business: CALL_BIZ,
        raw: userCallTerminate,
      },
    ],
  },
  {
    name: 'call completed, caller known only by BSUID',
    source: BSUID,
    origin: 'syntax',
    payload: envelope(
      'calls',
      idValue({
        calls: [userCallCompletedBsuid],
        contacts: [
          { profile: { name: 'Budi', username: 'budisantoso' }, user_id: 'ID.1502576394655843' },
        ],
      }),
      ID_WABA,
    ),
    expected: [
      {
        kind: 'call',
        provider: 'meta',
        callId: 'wacid.HBgNSUQuMTUwMjU3NjM5NDY1NTg0MxUCABIYIENBTExURVJNMTIzNDU2Nzg5MA==',
        event: 'terminate',
        status: 'COMPLETED',
        direction: 'USER_INITIATED',
        from: 'ID.1502576394655843',
        to: '6281100001234',
        duration: 95,
        startedAt: at(1767228000),
        endedAt: at(1767228095),
        callbackData: 'tiket-cs-7781',
        timestamp: at(1767228095),
        business: ID_BIZ,
        raw: userCallCompletedBsuid,
      },
    ],
  },
  {
    name: 'business-initiated call connected to a BSUID, with the SDP answer',
    source: BSUID,
    origin: 'syntax',
    payload: envelope(
      'calls',
      idValue({
        contacts: [{ profile: { username: 'budisantoso' }, user_id: 'ID.1502576394655843' }],
        calls: [businessCallConnect],
      }),
      ID_WABA,
    ),
    expected: [
      {
        kind: 'call',
        provider: 'meta',
        callId: 'wacid.HBgNNjI4MTEwMDAwMTIzNBUCABEYIEJJWkNBTExDT05OMTIzNDU2Nzg5MA==',
        event: 'connect',
        direction: 'BUSINESS_INITIATED',
        from: '6281100001234',
        to: 'ID.1502576394655843',
        session: { sdpType: 'answer', sdp: SDP_ANSWER },
        callbackData: 'follow-up-INV-0042',
        timestamp: at(1767228200),
        business: ID_BIZ,
        raw: businessCallConnect,
      },
    ],
  },
  {
    name: 'business-initiated call ringing (a call status, never a message status)',
    source: BSUID,
    origin: 'syntax',
    payload: envelope(
      'calls',
      idValue({
        statuses: [businessCallRinging],
        contacts: [{ profile: { username: 'budisantoso' }, user_id: 'ID.1502576394655843' }],
      }),
      ID_WABA,
    ),
    expected: [
      {
        kind: 'call',
        provider: 'meta',
        callId: 'wacid.HBgNNjI4MTEwMDAwMTIzNBUCABEYIEJJWkNBTExDT05OMTIzNDU2Nzg5MA==',
        event: 'status',
        status: 'RINGING',
        to: 'ID.1502576394655843',
        callbackData: 'follow-up-INV-0042',
        timestamp: at(1767228201),
        business: ID_BIZ,
        raw: businessCallRinging,
      },
    ],
  },
  {
    name: 'call failed, with the call’s errors and the value’s',
    source: doc('calling/reference'),
    origin: 'variation',
    payload: envelope('calls', failedCallValue, ID_WABA),
    expected: [
      {
        kind: 'call',
        provider: 'meta',
        callId: 'wacid.HBgNNjI4MTIzNDU2Nzg5MBUCABIYIEZBSUxFRENBTEwxMjM0NTY3ODkwQUI=',
        event: 'terminate',
        status: 'FAILED',
        direction: 'USER_INITIATED',
        from: '6281234567890',
        to: '6281100001234',
        duration: 20,
        startedAt: at(1767228280),
        endedAt: at(1767228300),
        errors: [CALL_MEDIA_ERROR],
        timestamp: at(1767228300),
        business: ID_BIZ,
        raw: failedCall,
      },
      {
        kind: 'error',
        provider: 'meta',
        errors: [CALL_MEDIA_ERROR],
        business: ID_BIZ,
        raw: failedCallValue,
      },
    ],
  },
  {
    name: 'user_id_update (a field Kabar does not type yet)',
    source: BSUID,
    origin: 'syntax',
    payload: envelope('user_id_update', userIdUpdateValue),
    expected: [
      {
        kind: 'unknown',
        provider: 'meta',
        field: 'user_id_update',
        reason: 'the "user_id_update" field is not one Kabar types',
        business: META_BIZ,
        raw: userIdUpdateValue,
      },
    ],
  },
  {
    name: 'business_username_updates (a field Kabar does not type)',
    source: BSUID,
    origin: 'syntax',
    payload: accountEnvelope('business_username_updates', usernameUpdate),
    expected: [
      {
        kind: 'unknown',
        provider: 'meta',
        field: 'business_username_updates',
        reason: 'the "business_username_updates" field is not one Kabar types',
        business: META_WABA_ONLY,
        raw: usernameUpdate,
      },
    ],
  },
];
