// Incoming `messages` webhooks: one entry per message type of Meta's reference pages, plus our own
// variations (forwarded, ads, BSUID senders, groups…). Meta's example values are kept where the
// payload is Meta's; our variations use Indonesian numbers and names.
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
  SHEENA,
  SHEENA_CONTACT,
} from './types.js';

const TEXT = doc('webhooks/reference/messages/text');
const IMAGE = doc('webhooks/reference/messages/image');
const BSUID = doc('business-scoped-user-ids');

// --- text -------------------------------------------------------------------------------------

const text = {
  from: '16505551234',
  id: 'wamid.HBgLMTY1MDM4Nzk0MzkVAgASGBQzQTRBNjU5OUFFRTAzODEwMTQ0RgA=',
  timestamp: '1749416383',
  type: 'text',
  text: { body: 'Does it come in another color?' },
};

const productQuestion = {
  context: {
    from: '15550783881',
    id: 'wamid.HBgLMTY1MDM4Nzk0MzkVAgARGA9wcm9kdWN0X2lucXVpcnkA',
    referred_product: { catalog_id: '194836987003835', product_retailer_id: 'di9ozbzfi4' },
  },
  from: '16505551234',
  id: 'wamid.HBgLMTY1MDM4Nzk0MzkVAgASGBQzQTA2NTUwRkNEMDdFQjJCRUU0NQA=',
  timestamp: '1750016800',
  text: { body: 'Is this still available?' },
  type: 'text',
};

const adText = {
  referral: {
    source_url: 'https://fb.me/3cr4Wqqkv',
    source_id: '120226305854810726',
    source_type: 'ad',
    body: 'Summer Succulents are here!',
    headline: 'Chat with us',
    media_type: 'image',
    image_url: 'https://scontent.xx.fbcdn.net/v/t45.1...',
    ctwa_clid:
      'Aff-n8ZTODiE79d22KtAwQKj9e_mIEOOj27vDVwFjN80dp4_0NiNhEgpGo0AHemvuSoifXaytfTzcchptiErTKCqTrJ5nW1h7IHYeYymGb5K5J5iTROpBhWAGaIAeUzHL50',
    welcome_message: { text: 'Hi there! Let us know how we can help!' },
  },
  from: '16505551234',
  id: 'wamid.HBgLMTY1MDM4Nzk0MzkVAgASGBQzQUQ0N0VFMDA2MTQ0RkJFNkNDNAA=',
  timestamp: '1750275992',
  text: { body: 'Can I get more info about this?' },
  type: 'text',
};

const statusAdText = {
  referral: {
    source_url: 'https://fb.me/9TokoBatik',
    source_id: '120226305854819999',
    source_type: 'ad',
    body: 'Diskon 30% batik tulis sampai akhir bulan!',
    headline: 'Chat dengan kami',
    media_type: 'video',
    video_url: 'https://scontent.xx.fbcdn.net/v/t45.2...',
    thumbnail_url: 'https://scontent.xx.fbcdn.net/v/t45.3...',
    welcome_message: { text: 'Halo! Ada yang bisa kami bantu?' },
  },
  from: '6281234567890',
  id: 'wamid.HBgNNjI4MTIzNDU2Nzg5MBUCABIYFjNFQjA5QTFCMkMzRDRFNUY2QTdCOEMA',
  timestamp: '1767225600',
  text: { body: 'Kak, masih ada ukuran L?' },
  type: 'text',
};

const forwardedText = {
  context: { forwarded: true },
  from: '6281234567890',
  id: 'wamid.HBgNNjI4MTIzNDU2Nzg5MBUCABIYFjNFQjBGV0QxMjM0NTY3ODkwQUJDAA==',
  timestamp: '1767225700',
  type: 'text',
  text: { body: 'Info promo dari grup sebelah, benar ini kak?' },
};

const replyText = {
  context: {
    from: '6281100001234',
    id: 'wamid.HBgNNjI4MTEwMDAwMTIzNBUCABEYEjQ0QjU1QzU2RDZFN0Y4QTlCMAA=',
  },
  from: '6281234567890',
  id: 'wamid.HBgNNjI4MTIzNDU2Nzg5MBUCABIYFjNFQjBSRVBMWTEyMzQ1Njc4OTBBQgA=',
  timestamp: '1767225800',
  type: 'text',
  text: { body: 'Oke, saya transfer sekarang ya' },
};

const budiContact = { profile: { name: 'Budi Santoso' }, wa_id: '6281234567890' };
const BUDI = { phone: '6281234567890', name: 'Budi Santoso' };

// --- media ------------------------------------------------------------------------------------

const image = {
  from: '16505551234',
  id: 'wamid.HBgLMTY1MDM4Nzk0MzkVAgASGBQzQTRBNjU5OUFFRTAzODEwMTQ0RgA=',
  timestamp: '1744344496',
  type: 'image',
  image: {
    caption: 'Taj Mahal',
    mime_type: 'image/jpeg',
    sha256: 'SfInY0gGKTsJlUWbwxC1k+FAD0FZHvzwfpvO0zX0GUI=',
    id: '1003383421387256',
    url: 'https://lookaside.fbsbx.com/whatsapp_business/attachments/?mid=133...',
  },
};

const frequentlyForwardedImage = {
  from: '6281234567890',
  id: 'wamid.HBgNNjI4MTIzNDU2Nzg5MBUCABIYFjNFQjBJTUFHRTEyMzQ1Njc4OTBBQgA=',
  timestamp: '1767225900',
  type: 'image',
  image: {
    mime_type: 'image/jpeg',
    sha256: 'dGVzdHNoYTI1Nmhhc2hmb3JpbWFnZWZvcndhcmRlZDE=',
    id: '1100220033004400',
  },
  context: { frequently_forwarded: true },
};

const video = {
  from: '16505551234',
  id: 'wamid.HBgLMTY1MDM4Nzk0MzkVAgASGBQzQTRBNjU5OUFFRTAzODEwMTQ0RgA=',
  timestamp: '1739321024',
  type: 'video',
  video: {
    caption: 'Succulents in my garden',
    mime_type: 'video/mp4',
    sha256: 'SfInY0gGKTsJlUWbwxC1k+FAD0FZHvzwfpvO0zX0GUI=',
    id: '1003383421387256',
    url: 'https://lookaside.fbsbx.com/whatsapp_business/attachments/?mid=133...',
  },
};

const voiceNote = {
  from: '16505551234',
  id: 'wamid.HBgLMTY1MDM4Nzk0MzkVAgASGBQzQUFERjg0NDEzNDdFODU3MUMxMAA=',
  timestamp: '1739321024',
  type: 'audio',
  audio: {
    mime_type: 'audio/ogg; codecs=opus',
    sha256: 'SfInY0gGKTsJlUWbwxC1k+FAD0FZHvzwfpvO0zX0GUI=',
    id: '1003383421387256',
    url: 'https://lookaside.fbsbx.com/whatsapp_business/attachments/?mid=133...',
    voice: true,
  },
};

const audioFile = {
  from: '6281234567890',
  id: 'wamid.HBgNNjI4MTIzNDU2Nzg5MBUCABIYFjNFQjBBVURJTzEyMzQ1Njc4OTBBQgA=',
  timestamp: '1767226000',
  type: 'audio',
  audio: {
    mime_type: 'audio/mpeg',
    sha256: 'bXAzZmlsZXNoYTI1Nmhhc2hmb3Jhbm1wM2ZpbGUwMDE=',
    id: '2200330044005500',
    voice: false,
  },
};

const document = {
  from: '16505551234',
  id: 'wamid.HBgLMTY1MDM4Nzk0MzkVAgASGBQzQTRBNjU5OUFFRTAzODEwMTQ0RgA=',
  timestamp: '1744344496',
  type: 'document',
  document: {
    caption: 'my receipt',
    filename: 'receipt.pdf',
    mime_type: 'application/pdf',
    sha256: 'V5OPpLD/gEG6Xjg0MbmQDLFgcKsL+j5LfY4ny/pZ4MY=',
    id: '622684793477189',
    url: 'https://lookaside.fbsbx.com/whatsapp_business/attachments/?mid=133...',
  },
};

const animatedSticker = {
  from: '16505551234',
  id: 'wamid.HBgLMTY1MDM4Nzk0MzkVAgASGBQzQTRBNjU5OUFFRTAzODEwMTQ0RgA=',
  timestamp: '1744344496',
  type: 'sticker',
  sticker: {
    mime_type: 'image/webp',
    sha256: 'wvqXMe6n7n1W0zphvLPoLj+s/NtKqmr3zZ7YzTP7xFI=',
    id: '1908647269898587',
    url: 'https://lookaside.fbsbx.com/whatsapp_business/attachments/?mid=133...',
    animated: true,
  },
};

const staticSticker = {
  from: '6281234567890',
  id: 'wamid.HBgNNjI4MTIzNDU2Nzg5MBUCABIYFjNFQjBTVElDS0VSMTIzNDU2Nzg5MEEA',
  timestamp: '1767226100',
  type: 'sticker',
  sticker: {
    mime_type: 'image/webp',
    sha256: 'c3RpY2tlcnNoYTI1Nmhhc2hzdGF0aWNzdGlja2VyMDE=',
    id: '3300440055006600',
    animated: false,
  },
};

// --- location, contacts -------------------------------------------------------------------------

const location = {
  from: '16505551234',
  id: 'wamid.HBgLMTY1MDM4Nzk0MzkVAgASGBQzQUFERjg0NDEzNDdFODU3MUMxMAA=',
  timestamp: '1744344496',
  location: {
    address: '101 Forest Ave, Palo Alto, CA 94301',
    latitude: 37.44221496582,
    longitude: -122.16165924072,
    name: 'Philz Coffee',
    url: 'https://philzcoffee.com/',
  },
  type: 'location',
};

const pinnedLocation = {
  from: '6281234567890',
  id: 'wamid.HBgNNjI4MTIzNDU2Nzg5MBUCABIYFjNFQjBMT0NBVElPTjEyMzQ1Njc4OTAA',
  timestamp: '1767226200',
  location: { latitude: -6.175392, longitude: 106.827153 },
  type: 'location',
};

const barbara = {
  name: { first_name: 'Barbara', last_name: 'Johnson', formatted_name: 'Barbara J. Johnson' },
  org: { company: 'Social Tsunami' },
  phones: [{ phone: '+1 (415) 555-0829', wa_id: '14125550829', type: 'MOBILE' }],
};
const contacts = {
  from: '16505551234',
  id: 'wamid.HBgLMTY1MDM4Nzk0MzkVAgASGBQzQTRBNjU5OUFFRTAzODEwMTQ0RgA=',
  timestamp: '1744344496',
  type: 'contacts',
  contacts: [barbara],
};

const fullCard = {
  addresses: [
    {
      city: 'Menlo Park',
      country: 'United States',
      country_code: 'US',
      state: 'CA',
      street: '1 Hacker Way',
      type: 'Home',
      zip: '94025',
    },
  ],
  birthday: '1999-01-23',
  emails: [{ email: 'bjohson@socialtsunami.com', type: 'Personal' }],
  name: {
    formatted_name: 'Barbara J. Johnson',
    first_name: 'Barbara',
    last_name: 'Johnson',
    middle_name: 'Joana',
    suffix: 'Esq.',
    prefix: 'Dr.',
  },
  org: { company: 'Social Tsunami', department: 'Engineering', title: 'Software Engineer' },
  phones: [{ phone: '+14125550829', wa_id: '14125550829', type: 'CELL' }],
  urls: [{ url: 'socialtsunami.com', type: 'Company' }],
};
const fullContacts = {
  from: '16505551234',
  id: 'wamid.HBgLMTY1MDM4Nzk0MzkVAgASGBQzQUFERjg0NDEzNDdFODU3MUMxMAA=',
  timestamp: '1739321024',
  type: 'contacts',
  contacts: [fullCard],
};

const ownCard = {
  origin: 'contact_request',
  phones: [{ phone: '+62 812-3456-7890', wa_id: '6281234567890', type: 'CELL' }],
};
const sharedOwnNumber = {
  id: 'wamid.HBgNNjI4MTIzNDU2Nzg5MBUCABIYFjNFQjBDT05UQUNUUkVRMTIzNDU2NzgA',
  timestamp: '1767226300',
  type: 'contacts',
  from_user_id: 'ID.1502576394655843',
  contacts: [ownCard],
};

const vcardCard = {
  vcard:
    'BEGIN:VCARD\nVERSION:3.0\nN:Wijaya;Sari;;;\nFN:Sari Wijaya\nTEL;type=CELL;waid=6285712345678:+62 857-1234-5678\nEND:VCARD',
  origin: 'other',
  name: { formatted_name: 'Sari Wijaya', first_name: 'Sari', last_name: 'Wijaya' },
  phones: [{ phone: '+62 857-1234-5678', wa_id: '6285712345678', type: 'CELL' }],
};
const sharedVcard = {
  from: '6281234567890',
  from_user_id: 'ID.1502576394655843',
  id: 'wamid.HBgNNjI4MTIzNDU2Nzg5MBUCABIYFjNFQjBWQ0FSRDEyMzQ1Njc4OTBBQgA=',
  timestamp: '1767226400',
  type: 'contacts',
  contacts: [vcardCard],
};

// --- reactions, replies to interactive messages and templates ---------------------------------

const reaction = {
  from: '16505551234',
  id: 'wamid.HBgLMTY1MDM4Nzk0MzkVAgASGBQzQUFERjg0NDEzNDdFODU3MUMxMAA=',
  timestamp: '1749419544',
  type: 'reaction',
  reaction: {
    message_id: 'wamid.HBgLMTQxMjU1NTA4MjkVAgASGBQzQUNCNjk5RDUwNUZGMUZEM0VBRAA=',
    emoji: '👍',
  },
};

const reactionRemoved = {
  from: '16505551234',
  id: 'wamid.HBgLMTY1MDM4Nzk0MzkVAgASGBQzQUFERjg0NDEzNDdFODU3MUMxMAA=',
  timestamp: '1749419544',
  type: 'reaction',
  reaction: { message_id: 'wamid.HBgLMTQxMjU1NTA4MjkVAgASGBQzQUNCNjk5RDUwNUZGMUZEM0VBRAA=' },
};

const listReply = {
  context: {
    from: '15550783881',
    id: 'wamid.HBgLMTQxMjU1NTA4MjkVAgASGBQzQUNCNjk5RDUwNUZGMUZEM0VBRAA=',
  },
  from: '16505551234',
  id: 'wamid.HBgLMTY1MDM4Nzk0MzkVAgASGBQzQUFERjg0NDEzNDdFODU3MUMxMAA=',
  timestamp: '1749854575',
  type: 'interactive',
  interactive: {
    type: 'list_reply',
    list_reply: {
      id: 'priority_express',
      title: 'Priority Mail Express',
      description: 'Next Day to 2 Days',
    },
  },
};

const buttonReply = {
  context: {
    from: '15550783881',
    id: 'wamid.HBgLMTY1MDM4Nzk0MzkVAgARGBI3MEM2RUJFNkI0RENGQTVDRjUA',
  },
  from: '16505551234',
  id: 'wamid.HBgLMTY1MDM4Nzk0MzkVAgASGBQzQTZBQzg0MzQ4QjRCM0NGNkVGOAA=',
  timestamp: '1750025136',
  type: 'interactive',
  interactive: { type: 'button_reply', button_reply: { id: 'cancel-button', title: 'Cancel' } },
};

const flowReply = {
  context: { from: '16315558151', id: 'gBGGEiRVVgBPAgm7FUgc73noXjo' },
  from: '6281234567890',
  id: 'wamid.HBgNNjI4MTIzNDU2Nzg5MBUCABIYFjNFQjBGTE9XMTIzNDU2Nzg5MEFCQwA=',
  type: 'interactive',
  interactive: {
    type: 'nfm_reply',
    nfm_reply: {
      name: 'flow',
      body: 'Sent',
      response_json:
        '{"flow_token": "pendaftaran-8842", "nama": "Budi Santoso", "kota": "Bandung", "jumlah_peserta": 2}',
    },
  },
  timestamp: '1767226500',
};

const callPermissionReply = {
  context: {
    from: '6281100001234',
    id: 'wamid.HBgNNjI4MTEwMDAwMTIzNBUCABEYEkNBTExQRVJNMTIzNDU2Nzg5MAA=',
  },
  from: '6281234567890',
  from_user_id: 'ID.1502576394655843',
  id: 'wamid.HBgNNjI4MTIzNDU2Nzg5MBUCABIYFjNFQjBDQUxMUEVSTTEyMzQ1Njc4OTAA',
  timestamp: '1767226600',
  type: 'interactive',
  interactive: {
    type: 'call_permission_reply',
    call_permission_reply: {
      response: 'accept',
      expiration_timestamp: '1767831400',
      response_source: 'user_action',
    },
  },
};

const quickReply = {
  context: {
    from: '15550783881',
    id: 'wamid.HBgLMTQxMjU1NTA4MjkVAgASGBQzQUNCNjk5RDUwNUZGMUZEM0VBRAA=',
  },
  from: '16505551234',
  id: 'wamid.HBgLMTY1MDM4Nzk0MzkVAgASGBQzQUFERjg0NDEzNDdFODU3MUMxMAA=',
  timestamp: '1750091045',
  type: 'button',
  button: { payload: 'Unsubscribe', text: 'Unsubscribe' },
};

const order = {
  from: '16505551234',
  id: 'wamid.HBgLMTY1MDM4Nzk0MzkVAgASGBQzQUFERjg0NDEzNDdFODU3MUMxMAA=',
  timestamp: '1750096325',
  type: 'order',
  order: {
    catalog_id: '194836987003835',
    text: 'Love these!',
    product_items: [
      { product_retailer_id: 'di9ozbzfi4', quantity: 2, item_price: 30, currency: 'USD' },
      { product_retailer_id: 'nqryix03ez', quantity: 1, item_price: 25, currency: 'USD' },
    ],
  },
};

// --- system, revoke, edit, unsupported ---------------------------------------------------------

const changedNumber = {
  from: '16505551234',
  id: 'wamid.HBgLMTk4MzU1NTE5NzQVAgASGAoxMTgyMDg2MjY3AA==',
  timestamp: '1750269342',
  system: {
    body: 'User Sheena Nelson changed from 16505551234 to 12195555358',
    wa_id: '12195555358',
    type: 'user_changed_number',
  },
  type: 'system',
};

const changedUserId = {
  from: '16505551234',
  id: 'wamid.HBgLMTk4MzU1NTE5NzQVAgASGAoxMTgyMDg2MjY4AA==',
  timestamp: '1750269400',
  type: 'system',
  system: {
    body: 'User Sheena Nelson changed from US.10101010101010101010 to US.13491208655302741918',
    wa_id: '16505551234',
    user_id: 'US.13491208655302741918',
    parent_user_id: 'US.ENT.11815799212886844830',
    type: 'user_changed_user_id',
  },
};

const revoke = {
  from: '16505551234',
  id: 'wamid.HBgLMTY1MDM4Nzk0MzkVAgASGBQzQUFERjg0NDEzNDdFODU3MUMxMAA=',
  timestamp: '1749854575',
  type: 'revoke',
  revoke: { original_message_id: 'wamid.HBgLMTQxMjU1NTA4MjkVAgASGBQzQUNCNjk5RDUwNUZGMUZEM0VBRAA=' },
};

const revokeBsuid = {
  from_user_id: 'ID.1502576394655843',
  from_parent_user_id: 'ID.ENT.9988776655443322110',
  id: 'wamid.HBgNNjI4MTIzNDU2Nzg5MBUCABIYFjNFQjBSRVZPS0UxMjM0NTY3ODkwQUIA',
  timestamp: '1767226700',
  type: 'revoke',
  revoke: {
    original_message_id: 'wamid.HBgNNjI4MTIzNDU2Nzg5MBUCABIYFjNFQjBGV0QxMjM0NTY3ODkwQUJDAA==',
  },
};

const edit = {
  from: '16505551234',
  id: 'wamid.HBgLMTY1MDM4Nzk0MzkVAgASGBQzQUFERjg0NDEzNDdFODU3MUMxMAA=',
  timestamp: '1749854575',
  type: 'edit',
  edit: {
    original_message_id: 'wamid.HBgLMTQxMjU1NTA4MjkVAgASGBQzQUNCNjk5RDUwNUZGMUZEM0VBRAA=',
    message: {
      context: { id: 'M0' },
      type: 'image',
      image: {
        caption: 'Updated image caption',
        mime_type: 'image/jpeg',
        sha256: 'a1b2c3d4e5f6...',
        id: '1234567890',
        url: 'https://media.example.com/updated-image.jpg',
      },
    },
  },
};

const editedText = {
  from: '6281234567890',
  id: 'wamid.HBgNNjI4MTIzNDU2Nzg5MBUCABIYFjNFQjBFRElUMTIzNDU2Nzg5MEFCQwA=',
  timestamp: '1767226800',
  type: 'edit',
  edit: {
    original_message_id: 'wamid.HBgNNjI4MTIzNDU2Nzg5MBUCABIYFjNFQjBSRVBMWTEyMzQ1Njc4OTBBQgA=',
    message: { type: 'text', text: { body: 'Oke, saya transfer besok pagi ya' } },
  },
};

const unsupported = {
  from: '16505551234',
  id: 'wamid.HBgLMTY1MDM4Nzk0MzkVAgASGBQzQUFERjg0NDEzNDdFODU3MUMxMAA=',
  timestamp: '1750090702',
  errors: [
    {
      code: 131051,
      title: 'Message type unknown',
      message: 'Message type unknown',
      error_data: { details: 'Message type is currently not supported.' },
    },
  ],
  type: 'unsupported',
  unsupported: { type: 'edit' },
};

const unavailable = {
  from: '6281234567890',
  id: 'wamid.HBgNNjI4MTIzNDU2Nzg5MBUCABIYFjNFQjBVTkFWQUlMMTIzNDU2Nzg5MEEA',
  timestamp: '1767226900',
  errors: [
    {
      code: 131060,
      title: 'This message is currently unavailable.',
      message: 'This message is currently unavailable.',
      error_data: { details: 'The message is currently unavailable.' },
    },
  ],
  type: 'unsupported',
  unsupported: { type: 'media_placeholder' },
};

const unknownType = {
  from: '6281234567890',
  id: 'wamid.HBgNNjI4MTIzNDU2Nzg5MBUCABIYFjNFQjBQT0xMMTIzNDU2Nzg5MEFCQ0QA',
  timestamp: '1767227000',
  type: 'poll',
  poll: { question: 'Jam berapa kirim?', options: ['Pagi', 'Sore'] },
};

// --- groups and BSUID senders -------------------------------------------------------------------

const groupText = {
  from: '16505551234',
  group_id: 'HBgLMTY1MDM4Nzk0MzkVAgASGBQzQTRBNjU5OUFFRTAzODEwMTQ0RgA',
  id: 'wamid.HASDI128HJOPUERIH82ahdasd09ASDHi5>',
  timestamp: '1744344496',
  text: { body: 'What does everyone think about this?' },
  type: 'text',
};

const bsuidOnlyText = {
  from_user_id: 'US.13491208655302741918',
  from_parent_user_id: 'US.ENT.11815799212886844830',
  id: 'wamid.HBgLMTY1MDM4Nzk0MzkVAgASGBQzQTRBNjU5OUFFRTAzODEwMTQ0RgA=',
  timestamp: '1749416383',
  type: 'text',
  text: { body: 'Does it come in another color?' },
};

const bothIdsText = {
  from: '6281234567890',
  from_user_id: 'ID.1502576394655843',
  id: 'wamid.HBgNNjI4MTIzNDU2Nzg5MBUCABIYFjNFQjBCT1RISURTMTIzNDU2Nzg5MEEA',
  timestamp: '1767227100',
  type: 'text',
  text: { body: 'Selamat siang, toko buka jam berapa?' },
};

const bsuidGroupText = {
  from_user_id: 'ID.1502576394655843',
  group_id: 'Y2FwaV9ncm91cDoxNzA1NTU1MDEzOToxMjAzNjM0MDQ2OTQyMzM4MjAZD',
  id: 'wamid.HBgNNjI4MTIzNDU2Nzg5MBUCABIYFjNFQjBHUk9VUDEyMzQ1Njc4OTBBQgA=',
  timestamp: '1767227200',
  type: 'text',
  text: { body: 'Setuju, rapat jam 3 saja' },
};

export const metaMessageCorpus: CorpusEntry[] = [
  {
    name: 'text message',
    source: TEXT,
    origin: 'example',
    payload: envelope('messages', metaValue({ contacts: [SHEENA_CONTACT], messages: [text] })),
    expected: [
      {
        kind: 'message',
        provider: 'meta',
        from: '16505551234',
        sender: SHEENA,
        id: 'wamid.HBgLMTY1MDM4Nzk0MzkVAgASGBQzQTRBNjU5OUFFRTAzODEwMTQ0RgA=',
        name: 'Sheena Nelson',
        timestamp: at(1749416383),
        business: META_BIZ,
        content: { type: 'text', text: 'Does it come in another color?' },
        raw: text,
      },
    ],
  },
  {
    name: 'text sent with the Message business button of a product',
    source: TEXT,
    origin: 'example',
    payload: envelope(
      'messages',
      metaValue({ contacts: [SHEENA_CONTACT], messages: [productQuestion] }),
      '419561257915477',
    ),
    expected: [
      {
        kind: 'message',
        provider: 'meta',
        from: '16505551234',
        sender: SHEENA,
        id: 'wamid.HBgLMTY1MDM4Nzk0MzkVAgASGBQzQTA2NTUwRkNEMDdFQjJCRUU0NQA=',
        name: 'Sheena Nelson',
        timestamp: at(1750016800),
        replyTo: 'wamid.HBgLMTY1MDM4Nzk0MzkVAgARGA9wcm9kdWN0X2lucXVpcnkA',
        referredProduct: { catalogId: '194836987003835', productRetailerId: 'di9ozbzfi4' },
        business: { ...META_BIZ, accountId: '419561257915477' },
        content: { type: 'text', text: 'Is this still available?' },
        raw: productQuestion,
      },
    ],
  },
  {
    name: 'text sent from a Click to WhatsApp ad',
    source: TEXT,
    origin: 'example',
    payload: envelope('messages', metaValue({ contacts: [SHEENA_CONTACT], messages: [adText] })),
    expected: [
      {
        kind: 'message',
        provider: 'meta',
        from: '16505551234',
        sender: SHEENA,
        id: 'wamid.HBgLMTY1MDM4Nzk0MzkVAgASGBQzQUQ0N0VFMDA2MTQ0RkJFNkNDNAA=',
        name: 'Sheena Nelson',
        timestamp: at(1750275992),
        referral: {
          sourceUrl: 'https://fb.me/3cr4Wqqkv',
          sourceId: '120226305854810726',
          sourceType: 'ad',
          body: 'Summer Succulents are here!',
          headline: 'Chat with us',
          mediaType: 'image',
          imageUrl: 'https://scontent.xx.fbcdn.net/v/t45.1...',
          ctwaClid:
            'Aff-n8ZTODiE79d22KtAwQKj9e_mIEOOj27vDVwFjN80dp4_0NiNhEgpGo0AHemvuSoifXaytfTzcchptiErTKCqTrJ5nW1h7IHYeYymGb5K5J5iTROpBhWAGaIAeUzHL50',
          welcomeMessage: 'Hi there! Let us know how we can help!',
        },
        business: META_BIZ,
        content: { type: 'text', text: 'Can I get more info about this?' },
        raw: adText,
      },
    ],
  },
  {
    name: 'text from a video ad in WhatsApp Status (no ctwa_clid)',
    source: TEXT,
    origin: 'variation',
    payload: envelope(
      'messages',
      idValue({ contacts: [budiContact], messages: [statusAdText] }),
      ID_WABA,
    ),
    expected: [
      {
        kind: 'message',
        provider: 'meta',
        from: '6281234567890',
        sender: BUDI,
        id: 'wamid.HBgNNjI4MTIzNDU2Nzg5MBUCABIYFjNFQjA5QTFCMkMzRDRFNUY2QTdCOEMA',
        name: 'Budi Santoso',
        timestamp: at(1767225600),
        referral: {
          sourceUrl: 'https://fb.me/9TokoBatik',
          sourceId: '120226305854819999',
          sourceType: 'ad',
          body: 'Diskon 30% batik tulis sampai akhir bulan!',
          headline: 'Chat dengan kami',
          mediaType: 'video',
          videoUrl: 'https://scontent.xx.fbcdn.net/v/t45.2...',
          thumbnailUrl: 'https://scontent.xx.fbcdn.net/v/t45.3...',
          welcomeMessage: 'Halo! Ada yang bisa kami bantu?',
        },
        business: ID_BIZ,
        content: { type: 'text', text: 'Kak, masih ada ukuran L?' },
        raw: statusAdText,
      },
    ],
  },
  {
    name: 'forwarded text',
    source: TEXT,
    origin: 'variation',
    payload: envelope(
      'messages',
      idValue({ contacts: [budiContact], messages: [forwardedText] }),
      ID_WABA,
    ),
    expected: [
      {
        kind: 'message',
        provider: 'meta',
        from: '6281234567890',
        sender: BUDI,
        id: 'wamid.HBgNNjI4MTIzNDU2Nzg5MBUCABIYFjNFQjBGV0QxMjM0NTY3ODkwQUJDAA==',
        name: 'Budi Santoso',
        timestamp: at(1767225700),
        forwarded: true,
        business: ID_BIZ,
        content: { type: 'text', text: 'Info promo dari grup sebelah, benar ini kak?' },
        raw: forwardedText,
      },
    ],
  },
  {
    name: 'text quoting one of the business’s messages',
    source: doc('webhooks/reference/messages'),
    origin: 'variation',
    payload: envelope(
      'messages',
      idValue({ contacts: [budiContact], messages: [replyText] }),
      ID_WABA,
    ),
    expected: [
      {
        kind: 'message',
        provider: 'meta',
        from: '6281234567890',
        sender: BUDI,
        id: 'wamid.HBgNNjI4MTIzNDU2Nzg5MBUCABIYFjNFQjBSRVBMWTEyMzQ1Njc4OTBBQgA=',
        name: 'Budi Santoso',
        timestamp: at(1767225800),
        replyTo: 'wamid.HBgNNjI4MTEwMDAwMTIzNBUCABEYEjQ0QjU1QzU2RDZFN0Y4QTlCMAA=',
        business: ID_BIZ,
        content: { type: 'text', text: 'Oke, saya transfer sekarang ya' },
        raw: replyText,
      },
    ],
  },
  {
    name: 'image',
    source: IMAGE,
    origin: 'example',
    payload: envelope('messages', metaValue({ contacts: [SHEENA_CONTACT], messages: [image] })),
    expected: [
      {
        kind: 'message',
        provider: 'meta',
        from: '16505551234',
        sender: SHEENA,
        id: 'wamid.HBgLMTY1MDM4Nzk0MzkVAgASGBQzQTRBNjU5OUFFRTAzODEwMTQ0RgA=',
        name: 'Sheena Nelson',
        timestamp: at(1744344496),
        business: META_BIZ,
        content: {
          type: 'image',
          mediaId: '1003383421387256',
          url: 'https://lookaside.fbsbx.com/whatsapp_business/attachments/?mid=133...',
          mimeType: 'image/jpeg',
          sha256: 'SfInY0gGKTsJlUWbwxC1k+FAD0FZHvzwfpvO0zX0GUI=',
          caption: 'Taj Mahal',
        },
        raw: image,
      },
    ],
  },
  {
    name: 'frequently forwarded image without caption or url',
    source: IMAGE,
    origin: 'variation',
    payload: envelope(
      'messages',
      idValue({ contacts: [budiContact], messages: [frequentlyForwardedImage] }),
      ID_WABA,
    ),
    expected: [
      {
        kind: 'message',
        provider: 'meta',
        from: '6281234567890',
        sender: BUDI,
        id: 'wamid.HBgNNjI4MTIzNDU2Nzg5MBUCABIYFjNFQjBJTUFHRTEyMzQ1Njc4OTBBQgA=',
        name: 'Budi Santoso',
        timestamp: at(1767225900),
        frequentlyForwarded: true,
        business: ID_BIZ,
        content: {
          type: 'image',
          mediaId: '1100220033004400',
          mimeType: 'image/jpeg',
          sha256: 'dGVzdHNoYTI1Nmhhc2hmb3JpbWFnZWZvcndhcmRlZDE=',
        },
        raw: frequentlyForwardedImage,
      },
    ],
  },
  {
    name: 'video',
    source: doc('webhooks/reference/messages/video'),
    origin: 'syntax',
    payload: envelope('messages', metaValue({ contacts: [SHEENA_CONTACT], messages: [video] })),
    expected: [
      {
        kind: 'message',
        provider: 'meta',
        from: '16505551234',
        sender: SHEENA,
        id: 'wamid.HBgLMTY1MDM4Nzk0MzkVAgASGBQzQTRBNjU5OUFFRTAzODEwMTQ0RgA=',
        name: 'Sheena Nelson',
        timestamp: at(1739321024),
        business: META_BIZ,
        content: {
          type: 'video',
          mediaId: '1003383421387256',
          url: 'https://lookaside.fbsbx.com/whatsapp_business/attachments/?mid=133...',
          mimeType: 'video/mp4',
          sha256: 'SfInY0gGKTsJlUWbwxC1k+FAD0FZHvzwfpvO0zX0GUI=',
          caption: 'Succulents in my garden',
        },
        raw: video,
      },
    ],
  },
  {
    name: 'audio recorded as a voice note',
    source: doc('webhooks/reference/messages/audio'),
    origin: 'syntax',
    payload: envelope('messages', metaValue({ contacts: [SHEENA_CONTACT], messages: [voiceNote] })),
    expected: [
      {
        kind: 'message',
        provider: 'meta',
        from: '16505551234',
        sender: SHEENA,
        id: 'wamid.HBgLMTY1MDM4Nzk0MzkVAgASGBQzQUFERjg0NDEzNDdFODU3MUMxMAA=',
        name: 'Sheena Nelson',
        timestamp: at(1739321024),
        business: META_BIZ,
        content: {
          type: 'audio',
          mediaId: '1003383421387256',
          url: 'https://lookaside.fbsbx.com/whatsapp_business/attachments/?mid=133...',
          mimeType: 'audio/ogg; codecs=opus',
          sha256: 'SfInY0gGKTsJlUWbwxC1k+FAD0FZHvzwfpvO0zX0GUI=',
          voice: true,
        },
        raw: voiceNote,
      },
    ],
  },
  {
    name: 'audio file (not a voice note)',
    source: doc('webhooks/reference/messages/audio'),
    origin: 'variation',
    payload: envelope(
      'messages',
      idValue({ contacts: [budiContact], messages: [audioFile] }),
      ID_WABA,
    ),
    expected: [
      {
        kind: 'message',
        provider: 'meta',
        from: '6281234567890',
        sender: BUDI,
        id: 'wamid.HBgNNjI4MTIzNDU2Nzg5MBUCABIYFjNFQjBBVURJTzEyMzQ1Njc4OTBBQgA=',
        name: 'Budi Santoso',
        timestamp: at(1767226000),
        business: ID_BIZ,
        content: {
          type: 'audio',
          mediaId: '2200330044005500',
          mimeType: 'audio/mpeg',
          sha256: 'bXAzZmlsZXNoYTI1Nmhhc2hmb3Jhbm1wM2ZpbGUwMDE=',
          voice: false,
        },
        raw: audioFile,
      },
    ],
  },
  {
    name: 'document',
    source: doc('webhooks/reference/messages/document'),
    origin: 'example',
    payload: envelope('messages', metaValue({ contacts: [SHEENA_CONTACT], messages: [document] })),
    expected: [
      {
        kind: 'message',
        provider: 'meta',
        from: '16505551234',
        sender: SHEENA,
        id: 'wamid.HBgLMTY1MDM4Nzk0MzkVAgASGBQzQTRBNjU5OUFFRTAzODEwMTQ0RgA=',
        name: 'Sheena Nelson',
        timestamp: at(1744344496),
        business: META_BIZ,
        content: {
          type: 'document',
          mediaId: '622684793477189',
          url: 'https://lookaside.fbsbx.com/whatsapp_business/attachments/?mid=133...',
          mimeType: 'application/pdf',
          sha256: 'V5OPpLD/gEG6Xjg0MbmQDLFgcKsL+j5LfY4ny/pZ4MY=',
          caption: 'my receipt',
          filename: 'receipt.pdf',
        },
        raw: document,
      },
    ],
  },
  {
    name: 'animated sticker',
    source: doc('webhooks/reference/messages/sticker'),
    origin: 'example',
    payload: envelope(
      'messages',
      metaValue({ contacts: [SHEENA_CONTACT], messages: [animatedSticker] }),
    ),
    expected: [
      {
        kind: 'message',
        provider: 'meta',
        from: '16505551234',
        sender: SHEENA,
        id: 'wamid.HBgLMTY1MDM4Nzk0MzkVAgASGBQzQTRBNjU5OUFFRTAzODEwMTQ0RgA=',
        name: 'Sheena Nelson',
        timestamp: at(1744344496),
        business: META_BIZ,
        content: {
          type: 'sticker',
          mediaId: '1908647269898587',
          url: 'https://lookaside.fbsbx.com/whatsapp_business/attachments/?mid=133...',
          mimeType: 'image/webp',
          sha256: 'wvqXMe6n7n1W0zphvLPoLj+s/NtKqmr3zZ7YzTP7xFI=',
          animated: true,
        },
        raw: animatedSticker,
      },
    ],
  },
  {
    name: 'static sticker',
    source: doc('webhooks/reference/messages/sticker'),
    origin: 'variation',
    payload: envelope(
      'messages',
      idValue({ contacts: [budiContact], messages: [staticSticker] }),
      ID_WABA,
    ),
    expected: [
      {
        kind: 'message',
        provider: 'meta',
        from: '6281234567890',
        sender: BUDI,
        id: 'wamid.HBgNNjI4MTIzNDU2Nzg5MBUCABIYFjNFQjBTVElDS0VSMTIzNDU2Nzg5MEEA',
        name: 'Budi Santoso',
        timestamp: at(1767226100),
        business: ID_BIZ,
        content: {
          type: 'sticker',
          mediaId: '3300440055006600',
          mimeType: 'image/webp',
          sha256: 'c3RpY2tlcnNoYTI1Nmhhc2hzdGF0aWNzdGlja2VyMDE=',
          animated: false,
        },
        raw: staticSticker,
      },
    ],
  },
  {
    name: 'location of a business',
    source: doc('webhooks/reference/messages/location'),
    origin: 'example',
    payload: envelope('messages', metaValue({ contacts: [SHEENA_CONTACT], messages: [location] })),
    expected: [
      {
        kind: 'message',
        provider: 'meta',
        from: '16505551234',
        sender: SHEENA,
        id: 'wamid.HBgLMTY1MDM4Nzk0MzkVAgASGBQzQUFERjg0NDEzNDdFODU3MUMxMAA=',
        name: 'Sheena Nelson',
        timestamp: at(1744344496),
        business: META_BIZ,
        content: {
          type: 'location',
          latitude: 37.44221496582,
          longitude: -122.16165924072,
          name: 'Philz Coffee',
          address: '101 Forest Ave, Palo Alto, CA 94301',
          url: 'https://philzcoffee.com/',
        },
        raw: location,
      },
    ],
  },
  {
    name: 'dropped pin (coordinates only)',
    source: doc('webhooks/reference/messages/location'),
    origin: 'variation',
    payload: envelope(
      'messages',
      idValue({ contacts: [budiContact], messages: [pinnedLocation] }),
      ID_WABA,
    ),
    expected: [
      {
        kind: 'message',
        provider: 'meta',
        from: '6281234567890',
        sender: BUDI,
        id: 'wamid.HBgNNjI4MTIzNDU2Nzg5MBUCABIYFjNFQjBMT0NBVElPTjEyMzQ1Njc4OTAA',
        name: 'Budi Santoso',
        timestamp: at(1767226200),
        business: ID_BIZ,
        content: { type: 'location', latitude: -6.175392, longitude: 106.827153 },
        raw: pinnedLocation,
      },
    ],
  },
  {
    name: 'contacts',
    source: doc('webhooks/reference/messages/contacts'),
    origin: 'example',
    payload: envelope('messages', metaValue({ contacts: [SHEENA_CONTACT], messages: [contacts] })),
    expected: [
      {
        kind: 'message',
        provider: 'meta',
        from: '16505551234',
        sender: SHEENA,
        id: 'wamid.HBgLMTY1MDM4Nzk0MzkVAgASGBQzQTRBNjU5OUFFRTAzODEwMTQ0RgA=',
        name: 'Sheena Nelson',
        timestamp: at(1744344496),
        business: META_BIZ,
        content: {
          type: 'contacts',
          contacts: [
            {
              name: 'Barbara J. Johnson',
              phones: [{ phone: '+1 (415) 555-0829', waId: '14125550829', type: 'MOBILE' }],
              emails: [],
              organization: 'Social Tsunami',
              raw: barbara,
            },
          ],
        },
        raw: contacts,
      },
    ],
  },
  {
    name: 'contacts with every field of the card',
    source: doc('webhooks/reference/messages/contacts'),
    origin: 'syntax',
    payload: envelope(
      'messages',
      metaValue({ contacts: [SHEENA_CONTACT], messages: [fullContacts] }),
    ),
    expected: [
      {
        kind: 'message',
        provider: 'meta',
        from: '16505551234',
        sender: SHEENA,
        id: 'wamid.HBgLMTY1MDM4Nzk0MzkVAgASGBQzQUFERjg0NDEzNDdFODU3MUMxMAA=',
        name: 'Sheena Nelson',
        timestamp: at(1739321024),
        business: META_BIZ,
        content: {
          type: 'contacts',
          contacts: [
            {
              name: 'Barbara J. Johnson',
              phones: [{ phone: '+14125550829', waId: '14125550829', type: 'CELL' }],
              emails: [{ email: 'bjohson@socialtsunami.com', type: 'Personal' }],
              organization: 'Social Tsunami',
              raw: fullCard,
            },
          ],
        },
        raw: fullContacts,
      },
    ],
  },
  {
    name: 'customer shares their number with a request-contact-info button (BSUID only)',
    source: BSUID,
    origin: 'syntax',
    payload: envelope(
      'messages',
      idValue({
        contacts: [
          { profile: { name: 'Budi', username: 'budisantoso' }, user_id: 'ID.1502576394655843' },
        ],
        messages: [sharedOwnNumber],
      }),
      ID_WABA,
    ),
    expected: [
      {
        kind: 'message',
        provider: 'meta',
        from: 'ID.1502576394655843',
        sender: { userId: 'ID.1502576394655843', username: 'budisantoso', name: 'Budi' },
        id: 'wamid.HBgNNjI4MTIzNDU2Nzg5MBUCABIYFjNFQjBDT05UQUNUUkVRMTIzNDU2NzgA',
        name: 'Budi',
        timestamp: at(1767226300),
        business: ID_BIZ,
        content: {
          type: 'contacts',
          contacts: [
            {
              phones: [{ phone: '+62 812-3456-7890', waId: '6281234567890', type: 'CELL' }],
              emails: [],
              origin: 'contact_request',
              raw: ownCard,
            },
          ],
        },
        raw: sharedOwnNumber,
      },
    ],
  },
  {
    name: 'contact shared from the chat, with its vCard',
    source: BSUID,
    origin: 'variation',
    payload: envelope(
      'messages',
      idValue({
        contacts: [
          {
            profile: { name: 'Budi Santoso' },
            wa_id: '6281234567890',
            user_id: 'ID.1502576394655843',
          },
        ],
        messages: [sharedVcard],
      }),
      ID_WABA,
    ),
    expected: [
      {
        kind: 'message',
        provider: 'meta',
        from: '6281234567890',
        sender: { phone: '6281234567890', userId: 'ID.1502576394655843', name: 'Budi Santoso' },
        id: 'wamid.HBgNNjI4MTIzNDU2Nzg5MBUCABIYFjNFQjBWQ0FSRDEyMzQ1Njc4OTBBQgA=',
        name: 'Budi Santoso',
        timestamp: at(1767226400),
        business: ID_BIZ,
        content: {
          type: 'contacts',
          contacts: [
            {
              name: 'Sari Wijaya',
              phones: [{ phone: '+62 857-1234-5678', waId: '6285712345678', type: 'CELL' }],
              emails: [],
              vcard:
                'BEGIN:VCARD\nVERSION:3.0\nN:Wijaya;Sari;;;\nFN:Sari Wijaya\nTEL;type=CELL;waid=6285712345678:+62 857-1234-5678\nEND:VCARD',
              origin: 'other',
              raw: vcardCard,
            },
          ],
        },
        raw: sharedVcard,
      },
    ],
  },
  {
    name: 'reaction',
    source: doc('webhooks/reference/messages/reaction'),
    origin: 'example',
    payload: envelope('messages', metaValue({ contacts: [SHEENA_CONTACT], messages: [reaction] })),
    expected: [
      {
        kind: 'message',
        provider: 'meta',
        from: '16505551234',
        sender: SHEENA,
        id: 'wamid.HBgLMTY1MDM4Nzk0MzkVAgASGBQzQUFERjg0NDEzNDdFODU3MUMxMAA=',
        name: 'Sheena Nelson',
        timestamp: at(1749419544),
        business: META_BIZ,
        content: {
          type: 'reaction',
          messageId: 'wamid.HBgLMTQxMjU1NTA4MjkVAgASGBQzQUNCNjk5RDUwNUZGMUZEM0VBRAA=',
          emoji: '👍',
          removed: false,
        },
        raw: reaction,
      },
    ],
  },
  {
    name: 'reaction removed (no emoji)',
    source: doc('webhooks/reference/messages/reaction'),
    origin: 'example',
    payload: envelope(
      'messages',
      metaValue({ contacts: [SHEENA_CONTACT], messages: [reactionRemoved] }),
    ),
    expected: [
      {
        kind: 'message',
        provider: 'meta',
        from: '16505551234',
        sender: SHEENA,
        id: 'wamid.HBgLMTY1MDM4Nzk0MzkVAgASGBQzQUFERjg0NDEzNDdFODU3MUMxMAA=',
        name: 'Sheena Nelson',
        timestamp: at(1749419544),
        business: META_BIZ,
        content: {
          type: 'reaction',
          messageId: 'wamid.HBgLMTQxMjU1NTA4MjkVAgASGBQzQUNCNjk5RDUwNUZGMUZEM0VBRAA=',
          emoji: '',
          removed: true,
        },
        raw: reactionRemoved,
      },
    ],
  },
  {
    name: 'interactive list reply',
    source: doc('webhooks/reference/messages/interactive'),
    origin: 'example',
    payload: envelope('messages', metaValue({ contacts: [SHEENA_CONTACT], messages: [listReply] })),
    expected: [
      {
        kind: 'message',
        provider: 'meta',
        from: '16505551234',
        sender: SHEENA,
        id: 'wamid.HBgLMTY1MDM4Nzk0MzkVAgASGBQzQUFERjg0NDEzNDdFODU3MUMxMAA=',
        name: 'Sheena Nelson',
        timestamp: at(1749854575),
        replyTo: 'wamid.HBgLMTQxMjU1NTA4MjkVAgASGBQzQUNCNjk5RDUwNUZGMUZEM0VBRAA=',
        business: META_BIZ,
        content: {
          type: 'list',
          id: 'priority_express',
          title: 'Priority Mail Express',
          description: 'Next Day to 2 Days',
        },
        raw: listReply,
      },
    ],
  },
  {
    name: 'interactive reply button',
    source: doc('webhooks/reference/messages/interactive'),
    origin: 'example',
    payload: envelope(
      'messages',
      metaValue({ contacts: [SHEENA_CONTACT], messages: [buttonReply] }),
    ),
    expected: [
      {
        kind: 'message',
        provider: 'meta',
        from: '16505551234',
        sender: SHEENA,
        id: 'wamid.HBgLMTY1MDM4Nzk0MzkVAgASGBQzQTZBQzg0MzQ4QjRCM0NGNkVGOAA=',
        name: 'Sheena Nelson',
        timestamp: at(1750025136),
        replyTo: 'wamid.HBgLMTY1MDM4Nzk0MzkVAgARGBI3MEM2RUJFNkI0RENGQTVDRjUA',
        business: META_BIZ,
        content: { type: 'button', id: 'cancel-button', title: 'Cancel' },
        raw: buttonReply,
      },
    ],
  },
  {
    name: 'completed WhatsApp Flow (nfm_reply)',
    source: 'https://developers.facebook.com/docs/whatsapp/flows/guides/receiveflowresponse',
    origin: 'syntax',
    payload: envelope(
      'messages',
      idValue({ contacts: [budiContact], messages: [flowReply] }),
      ID_WABA,
    ),
    expected: [
      {
        kind: 'message',
        provider: 'meta',
        from: '6281234567890',
        sender: BUDI,
        id: 'wamid.HBgNNjI4MTIzNDU2Nzg5MBUCABIYFjNFQjBGTE9XMTIzNDU2Nzg5MEFCQwA=',
        name: 'Budi Santoso',
        timestamp: at(1767226500),
        replyTo: 'gBGGEiRVVgBPAgm7FUgc73noXjo',
        business: ID_BIZ,
        content: {
          type: 'flow',
          response: {
            flow_token: 'pendaftaran-8842',
            nama: 'Budi Santoso',
            kota: 'Bandung',
            jumlah_peserta: 2,
          },
          flowToken: 'pendaftaran-8842',
          name: 'flow',
          body: 'Sent',
        },
        raw: flowReply,
      },
    ],
  },
  {
    // Not modelled: a call permission reply is read as `unsupported` content (see the report).
    name: 'call permission reply (interactive type Kabar does not model)',
    source: BSUID,
    origin: 'syntax',
    payload: envelope(
      'messages',
      idValue({
        contacts: [
          {
            profile: { name: 'Budi Santoso' },
            wa_id: '6281234567890',
            user_id: 'ID.1502576394655843',
          },
        ],
        messages: [callPermissionReply],
      }),
      ID_WABA,
    ),
    expected: [
      {
        kind: 'message',
        provider: 'meta',
        from: '6281234567890',
        sender: { phone: '6281234567890', userId: 'ID.1502576394655843', name: 'Budi Santoso' },
        id: 'wamid.HBgNNjI4MTIzNDU2Nzg5MBUCABIYFjNFQjBDQUxMUEVSTTEyMzQ1Njc4OTAA',
        name: 'Budi Santoso',
        timestamp: at(1767226600),
        replyTo: 'wamid.HBgNNjI4MTEwMDAwMTIzNBUCABEYEkNBTExQRVJNMTIzNDU2Nzg5MAA=',
        business: ID_BIZ,
        content: {
          type: 'unsupported',
          originalType: 'interactive.call_permission_reply',
          errors: [],
        },
        raw: callPermissionReply,
      },
    ],
  },
  {
    name: 'quick-reply button of a template',
    source: doc('webhooks/reference/messages/button'),
    origin: 'example',
    payload: envelope(
      'messages',
      metaValue({ contacts: [SHEENA_CONTACT], messages: [quickReply] }),
    ),
    expected: [
      {
        kind: 'message',
        provider: 'meta',
        from: '16505551234',
        sender: SHEENA,
        id: 'wamid.HBgLMTY1MDM4Nzk0MzkVAgASGBQzQUFERjg0NDEzNDdFODU3MUMxMAA=',
        name: 'Sheena Nelson',
        timestamp: at(1750091045),
        replyTo: 'wamid.HBgLMTQxMjU1NTA4MjkVAgASGBQzQUNCNjk5RDUwNUZGMUZEM0VBRAA=',
        business: META_BIZ,
        content: { type: 'button', id: 'Unsubscribe', title: 'Unsubscribe' },
        raw: quickReply,
      },
    ],
  },
  {
    name: 'order from a catalog',
    source: doc('webhooks/reference/messages/order'),
    origin: 'example',
    payload: envelope('messages', metaValue({ contacts: [SHEENA_CONTACT], messages: [order] })),
    expected: [
      {
        kind: 'message',
        provider: 'meta',
        from: '16505551234',
        sender: SHEENA,
        id: 'wamid.HBgLMTY1MDM4Nzk0MzkVAgASGBQzQUFERjg0NDEzNDdFODU3MUMxMAA=',
        name: 'Sheena Nelson',
        timestamp: at(1750096325),
        business: META_BIZ,
        content: {
          type: 'order',
          catalogId: '194836987003835',
          text: 'Love these!',
          items: [
            { productRetailerId: 'di9ozbzfi4', quantity: 2, itemPrice: 30, currency: 'USD' },
            { productRetailerId: 'nqryix03ez', quantity: 1, itemPrice: 25, currency: 'USD' },
          ],
        },
        raw: order,
      },
    ],
  },
  {
    name: 'system: the customer changed their number (no contacts block)',
    source: doc('webhooks/reference/messages/system'),
    origin: 'example',
    payload: envelope('messages', metaValue({ messages: [changedNumber] })),
    expected: [
      {
        kind: 'message',
        provider: 'meta',
        from: '16505551234',
        sender: { phone: '16505551234' },
        id: 'wamid.HBgLMTk4MzU1NTE5NzQVAgASGAoxMTgyMDg2MjY3AA==',
        timestamp: at(1750269342),
        business: META_BIZ,
        content: {
          type: 'system',
          event: 'user_changed_number',
          body: 'User Sheena Nelson changed from 16505551234 to 12195555358',
          newPhone: '12195555358',
        },
        raw: changedNumber,
      },
    ],
  },
  {
    name: 'system: the customer’s BSUID changed',
    source: BSUID,
    origin: 'syntax',
    payload: envelope('messages', metaValue({ messages: [changedUserId] })),
    expected: [
      {
        kind: 'message',
        provider: 'meta',
        from: '16505551234',
        sender: { phone: '16505551234' },
        id: 'wamid.HBgLMTk4MzU1NTE5NzQVAgASGAoxMTgyMDg2MjY4AA==',
        timestamp: at(1750269400),
        business: META_BIZ,
        content: {
          type: 'system',
          event: 'user_changed_user_id',
          body: 'User Sheena Nelson changed from US.10101010101010101010 to US.13491208655302741918',
          // system.wa_id is the customer's unchanged number here, not a new one.
          newUserId: 'US.13491208655302741918',
          newParentUserId: 'US.ENT.11815799212886844830',
        },
        raw: changedUserId,
      },
    ],
  },
  {
    name: 'revoke (customer deleted a message)',
    source: doc('webhooks/reference/messages/revoke'),
    origin: 'example',
    payload: envelope('messages', metaValue({ contacts: [SHEENA_CONTACT], messages: [revoke] })),
    expected: [
      {
        kind: 'message',
        provider: 'meta',
        from: '16505551234',
        sender: SHEENA,
        id: 'wamid.HBgLMTY1MDM4Nzk0MzkVAgASGBQzQUFERjg0NDEzNDdFODU3MUMxMAA=',
        name: 'Sheena Nelson',
        timestamp: at(1749854575),
        business: META_BIZ,
        content: {
          type: 'revoke',
          messageId: 'wamid.HBgLMTQxMjU1NTA4MjkVAgASGBQzQUNCNjk5RDUwNUZGMUZEM0VBRAA=',
        },
        raw: revoke,
      },
    ],
  },
  {
    name: 'revoke from a customer known only by BSUID and parent BSUID',
    source: BSUID,
    origin: 'syntax',
    payload: envelope(
      'messages',
      idValue({
        contacts: [
          {
            profile: { name: 'Budi', username: 'budisantoso' },
            user_id: 'ID.1502576394655843',
            parent_user_id: 'ID.ENT.9988776655443322110',
          },
        ],
        messages: [revokeBsuid],
      }),
      ID_WABA,
    ),
    expected: [
      {
        kind: 'message',
        provider: 'meta',
        from: 'ID.1502576394655843',
        sender: {
          userId: 'ID.1502576394655843',
          parentUserId: 'ID.ENT.9988776655443322110',
          username: 'budisantoso',
          name: 'Budi',
        },
        id: 'wamid.HBgNNjI4MTIzNDU2Nzg5MBUCABIYFjNFQjBSRVZPS0UxMjM0NTY3ODkwQUIA',
        name: 'Budi',
        timestamp: at(1767226700),
        business: ID_BIZ,
        content: {
          type: 'revoke',
          messageId: 'wamid.HBgNNjI4MTIzNDU2Nzg5MBUCABIYFjNFQjBGV0QxMjM0NTY3ODkwQUJDAA==',
        },
        raw: revokeBsuid,
      },
    ],
  },
  {
    name: 'edit of an image’s caption',
    source: doc('webhooks/reference/messages/edit'),
    origin: 'example',
    payload: envelope('messages', metaValue({ contacts: [SHEENA_CONTACT], messages: [edit] })),
    expected: [
      {
        kind: 'message',
        provider: 'meta',
        from: '16505551234',
        sender: SHEENA,
        id: 'wamid.HBgLMTY1MDM4Nzk0MzkVAgASGBQzQUFERjg0NDEzNDdFODU3MUMxMAA=',
        name: 'Sheena Nelson',
        timestamp: at(1749854575),
        business: META_BIZ,
        content: {
          type: 'edit',
          messageId: 'wamid.HBgLMTQxMjU1NTA4MjkVAgASGBQzQUNCNjk5RDUwNUZGMUZEM0VBRAA=',
          content: {
            type: 'image',
            mediaId: '1234567890',
            url: 'https://media.example.com/updated-image.jpg',
            mimeType: 'image/jpeg',
            sha256: 'a1b2c3d4e5f6...',
            caption: 'Updated image caption',
          },
        },
        raw: edit,
      },
    ],
  },
  {
    name: 'edit of a text',
    source: doc('webhooks/reference/messages/edit'),
    origin: 'variation',
    payload: envelope(
      'messages',
      idValue({ contacts: [budiContact], messages: [editedText] }),
      ID_WABA,
    ),
    expected: [
      {
        kind: 'message',
        provider: 'meta',
        from: '6281234567890',
        sender: BUDI,
        id: 'wamid.HBgNNjI4MTIzNDU2Nzg5MBUCABIYFjNFQjBFRElUMTIzNDU2Nzg5MEFCQwA=',
        name: 'Budi Santoso',
        timestamp: at(1767226800),
        business: ID_BIZ,
        content: {
          type: 'edit',
          messageId: 'wamid.HBgNNjI4MTIzNDU2Nzg5MBUCABIYFjNFQjBSRVBMWTEyMzQ1Njc4OTBBQgA=',
          content: { type: 'text', text: 'Oke, saya transfer besok pagi ya' },
        },
        raw: editedText,
      },
    ],
  },
  {
    name: 'unsupported message type, with its error',
    source: doc('webhooks/reference/messages/unsupported'),
    origin: 'example',
    payload: envelope(
      'messages',
      metaValue({ contacts: [SHEENA_CONTACT], messages: [unsupported] }),
    ),
    expected: [
      {
        kind: 'message',
        provider: 'meta',
        from: '16505551234',
        sender: SHEENA,
        id: 'wamid.HBgLMTY1MDM4Nzk0MzkVAgASGBQzQUFERjg0NDEzNDdFODU3MUMxMAA=',
        name: 'Sheena Nelson',
        timestamp: at(1750090702),
        business: META_BIZ,
        content: {
          type: 'unsupported',
          originalType: 'edit',
          errors: [
            {
              code: 131051,
              title: 'Message type unknown',
              message: 'Message type unknown',
              details: 'Message type is currently not supported.',
            },
          ],
        },
        raw: unsupported,
      },
    ],
  },
  {
    name: 'first message to a coexistence number: currently unavailable (131060)',
    source: doc('webhooks/reference/messages/unsupported'),
    origin: 'variation',
    payload: envelope(
      'messages',
      idValue({ contacts: [budiContact], messages: [unavailable] }),
      ID_WABA,
    ),
    expected: [
      {
        kind: 'message',
        provider: 'meta',
        from: '6281234567890',
        sender: BUDI,
        id: 'wamid.HBgNNjI4MTIzNDU2Nzg5MBUCABIYFjNFQjBVTkFWQUlMMTIzNDU2Nzg5MEEA',
        name: 'Budi Santoso',
        timestamp: at(1767226900),
        business: ID_BIZ,
        content: {
          type: 'unsupported',
          originalType: 'media_placeholder',
          errors: [
            {
              code: 131060,
              title: 'This message is currently unavailable.',
              message: 'This message is currently unavailable.',
              details: 'The message is currently unavailable.',
            },
          ],
        },
        raw: unavailable,
      },
    ],
  },
  {
    name: 'a message type this version does not know',
    source: doc('webhooks/reference/messages'),
    origin: 'variation',
    payload: envelope(
      'messages',
      idValue({ contacts: [budiContact], messages: [unknownType] }),
      ID_WABA,
    ),
    expected: [
      {
        kind: 'message',
        provider: 'meta',
        from: '6281234567890',
        sender: BUDI,
        id: 'wamid.HBgNNjI4MTIzNDU2Nzg5MBUCABIYFjNFQjBQT0xMMTIzNDU2Nzg5MEFCQ0QA',
        name: 'Budi Santoso',
        timestamp: at(1767227000),
        business: ID_BIZ,
        content: { type: 'unsupported', originalType: 'poll', errors: [] },
        raw: unknownType,
      },
    ],
  },
  {
    name: 'text received in a group',
    source: doc('webhooks/reference/messages/group'),
    origin: 'example',
    payload: envelope(
      'messages',
      metaValue({
        contacts: [{ profile: { name: 'Tiago Mingo' }, wa_id: '16505551234' }],
        messages: [groupText],
      }),
    ),
    expected: [
      {
        kind: 'message',
        provider: 'meta',
        from: '16505551234',
        sender: { phone: '16505551234', name: 'Tiago Mingo' },
        id: 'wamid.HASDI128HJOPUERIH82ahdasd09ASDHi5>',
        name: 'Tiago Mingo',
        timestamp: at(1744344496),
        groupId: 'HBgLMTY1MDM4Nzk0MzkVAgASGBQzQTRBNjU5OUFFRTAzODEwMTQ0RgA',
        business: META_BIZ,
        content: { type: 'text', text: 'What does everyone think about this?' },
        raw: groupText,
      },
    ],
  },
  {
    name: 'text from a username adopter without a phone number (BSUID only)',
    source: BSUID,
    origin: 'example',
    payload: envelope(
      'messages',
      metaValue({
        contacts: [
          {
            profile: { name: 'Sheena Nelson', username: 'realsheenanelson' },
            user_id: 'US.13491208655302741918',
            parent_user_id: 'US.ENT.11815799212886844830',
          },
        ],
        messages: [bsuidOnlyText],
      }),
    ),
    expected: [
      {
        kind: 'message',
        provider: 'meta',
        from: 'US.13491208655302741918',
        sender: {
          phone: undefined,
          userId: 'US.13491208655302741918',
          parentUserId: 'US.ENT.11815799212886844830',
          username: 'realsheenanelson',
          name: 'Sheena Nelson',
        },
        id: 'wamid.HBgLMTY1MDM4Nzk0MzkVAgASGBQzQTRBNjU5OUFFRTAzODEwMTQ0RgA=',
        name: 'Sheena Nelson',
        timestamp: at(1749416383),
        business: META_BIZ,
        content: { type: 'text', text: 'Does it come in another color?' },
        raw: bsuidOnlyText,
      },
    ],
  },
  {
    name: 'text with phone number, BSUID and username',
    source: BSUID,
    origin: 'syntax',
    payload: envelope(
      'messages',
      idValue({
        contacts: [
          {
            profile: { name: 'Budi Santoso', username: 'budisantoso' },
            wa_id: '6281234567890',
            user_id: 'ID.1502576394655843',
          },
        ],
        messages: [bothIdsText],
      }),
      ID_WABA,
    ),
    expected: [
      {
        kind: 'message',
        provider: 'meta',
        from: '6281234567890',
        sender: {
          phone: '6281234567890',
          userId: 'ID.1502576394655843',
          username: 'budisantoso',
          name: 'Budi Santoso',
        },
        id: 'wamid.HBgNNjI4MTIzNDU2Nzg5MBUCABIYFjNFQjBCT1RISURTMTIzNDU2Nzg5MEEA',
        name: 'Budi Santoso',
        timestamp: at(1767227100),
        business: ID_BIZ,
        content: { type: 'text', text: 'Selamat siang, toko buka jam berapa?' },
        raw: bothIdsText,
      },
    ],
  },
  {
    name: 'group text from a participant known only by BSUID',
    source: BSUID,
    origin: 'syntax',
    payload: envelope(
      'messages',
      idValue({
        contacts: [
          { profile: { name: 'Budi', username: 'budisantoso' }, user_id: 'ID.1502576394655843' },
        ],
        messages: [bsuidGroupText],
      }),
      ID_WABA,
    ),
    expected: [
      {
        kind: 'message',
        provider: 'meta',
        from: 'ID.1502576394655843',
        sender: { userId: 'ID.1502576394655843', username: 'budisantoso', name: 'Budi' },
        id: 'wamid.HBgNNjI4MTIzNDU2Nzg5MBUCABIYFjNFQjBHUk9VUDEyMzQ1Njc4OTBBQgA=',
        name: 'Budi',
        timestamp: at(1767227200),
        groupId: 'Y2FwaV9ncm91cDoxNzA1NTU1MDEzOToxMjAzNjM0MDQ2OTQyMzM4MjAZD',
        business: ID_BIZ,
        content: { type: 'text', text: 'Setuju, rapat jam 3 saja' },
        raw: bsuidGroupText,
      },
    ],
  },
];
