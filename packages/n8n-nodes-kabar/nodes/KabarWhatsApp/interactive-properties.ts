import type { INodeProperties } from 'n8n-workflow';

/**
 * The fields of the interactive sends that go beyond buttons and lists: a CTA URL button, a
 * carousel of media cards and a flow. The message body is the shared Body field of properties.ts;
 * a location request needs nothing else.
 */

const show = (operation: string, extra: Record<string, string[]> = {}) => ({
  show: { resource: ['message'], operation: [operation], ...extra },
});

export const ctaUrl: INodeProperties[] = [
  {
    displayName: 'Button Text',
    name: 'ctaButtonText',
    type: 'string',
    default: '',
    required: true,
    placeholder: 'Lihat Pesanan',
    description: 'The label of the button, at most 20 characters',
    displayOptions: show('sendCtaUrl'),
  },
  {
    displayName: 'URL',
    name: 'ctaUrl',
    type: 'string',
    default: '',
    required: true,
    placeholder: 'https://toko.example/pesanan/1001',
    description: 'The http(s) address the button opens',
    displayOptions: show('sendCtaUrl'),
  },
  {
    displayName: 'Header',
    name: 'headerType',
    type: 'options',
    default: 'none',
    description: 'What shows above the body',
    options: [
      { name: 'Document', value: 'document' },
      { name: 'Image', value: 'image' },
      { name: 'None', value: 'none' },
      { name: 'Text', value: 'text' },
      { name: 'Video', value: 'video' },
    ],
    displayOptions: show('sendCtaUrl'),
  },
  {
    displayName: 'Header Text',
    name: 'headerText',
    type: 'string',
    default: '',
    required: true,
    description: 'At most 60 characters',
    displayOptions: show('sendCtaUrl', { headerType: ['text'] }),
  },
  {
    displayName: 'Header Media URL',
    name: 'headerMediaUrl',
    type: 'string',
    default: '',
    required: true,
    placeholder: 'https://toko.example/banner.jpg',
    description: 'A public http(s) URL of the image, video or document',
    displayOptions: show('sendCtaUrl', { headerType: ['image', 'video', 'document'] }),
  },
];

export const carousel: INodeProperties[] = [
  {
    displayName: 'Card Buttons',
    name: 'cardButtons',
    type: 'options',
    default: 'url',
    description: 'WhatsApp shows a carousel only when every card has the same kind of button',
    options: [
      {
        name: 'URL Button',
        value: 'url',
        description: 'Each card has one button that opens a web page',
      },
      {
        name: 'Reply Buttons',
        value: 'reply',
        description:
          'Each card has one or two reply buttons (the same number on every card); the ID comes back in the trigger when tapped',
      },
    ],
    displayOptions: show('sendCarousel'),
  },
  {
    displayName: 'Cards',
    name: 'cards',
    type: 'fixedCollection',
    typeOptions: { multipleValues: true, sortable: true },
    default: {},
    placeholder: 'Add Card',
    description: 'Two to ten cards, scrolling sideways under the body',
    displayOptions: show('sendCarousel'),
    options: [
      {
        name: 'card',
        displayName: 'Card',
        // n8n's lint wants these sorted by display name; the names make that read top-down.
        values: [
          {
            displayName: 'Card Text',
            name: 'text',
            type: 'string',
            default: '',
            description: 'Optional text under the media, at most 160 characters',
          },
          {
            displayName: 'Media Type',
            name: 'mediaType',
            type: 'options',
            default: 'image',
            options: [
              { name: 'Image', value: 'image' },
              { name: 'Video', value: 'video' },
            ],
          },
          {
            displayName: 'Media URL',
            name: 'mediaUrl',
            type: 'string',
            default: '',
            placeholder: 'https://toko.example/produk-1.jpg',
            description: 'A public http(s) URL of the image or video',
          },
          {
            displayName: 'Reply 1 ID',
            name: 'reply1Id',
            type: 'string',
            default: '',
            description: 'Unique across the carousel; the trigger receives it when tapped',
            displayOptions: { show: { '/cardButtons': ['reply'] } },
          },
          {
            displayName: 'Reply 1 Title',
            name: 'reply1Title',
            type: 'string',
            default: '',
            description: 'At most 20 characters',
            displayOptions: { show: { '/cardButtons': ['reply'] } },
          },
          {
            displayName: 'Reply 2 ID',
            name: 'reply2Id',
            type: 'string',
            default: '',
            description: 'Leave empty for one reply button per card',
            displayOptions: { show: { '/cardButtons': ['reply'] } },
          },
          {
            displayName: 'Reply 2 Title',
            name: 'reply2Title',
            type: 'string',
            default: '',
            displayOptions: { show: { '/cardButtons': ['reply'] } },
          },
          {
            displayName: 'URL Button Text',
            name: 'buttonText',
            type: 'string',
            default: '',
            description: 'At most 20 characters',
            displayOptions: { show: { '/cardButtons': ['url'] } },
          },
          {
            displayName: 'URL Button URL',
            name: 'buttonUrl',
            type: 'string',
            default: '',
            placeholder: 'https://toko.example/produk-1',
            displayOptions: { show: { '/cardButtons': ['url'] } },
          },
        ],
      },
    ],
  },
];

export const flow: INodeProperties[] = [
  {
    displayName: 'Flow',
    name: 'flowBy',
    type: 'options',
    default: 'id',
    options: [
      { name: 'By ID', value: 'id' },
      { name: 'By Name', value: 'name' },
    ],
    displayOptions: show('sendFlow'),
  },
  {
    displayName: 'Flow ID',
    name: 'flowId',
    type: 'string',
    default: '',
    required: true,
    displayOptions: show('sendFlow', { flowBy: ['id'] }),
  },
  {
    displayName: 'Flow Name',
    name: 'flowName',
    type: 'string',
    default: '',
    required: true,
    displayOptions: show('sendFlow', { flowBy: ['name'] }),
  },
  {
    displayName: 'Button Text',
    name: 'flowCta',
    type: 'string',
    default: '',
    required: true,
    placeholder: 'Isi Formulir',
    description: 'The label of the button that opens the flow, at most 30 characters, no emoji',
    displayOptions: show('sendFlow'),
  },
  {
    displayName: 'Flow Token',
    // Not a secret: a "token" in the name would make n8n's lint demand a password field.
    name: 'flowSession',
    type: 'string',
    default: '',
    description:
      'Identifies this flow session in the replies, e.g. an order ID; WhatsApp uses "unused" when empty',
    displayOptions: show('sendFlow'),
  },
  {
    displayName: 'Mode',
    name: 'flowMode',
    type: 'options',
    default: 'published',
    options: [
      { name: 'Published', value: 'published' },
      {
        name: 'Draft',
        value: 'draft',
        description: 'Sends the unpublished version, for testing',
      },
    ],
    displayOptions: show('sendFlow'),
  },
  {
    displayName: 'Flow Action',
    name: 'flowAction',
    type: 'options',
    default: 'navigate',
    options: [
      {
        name: 'Navigate',
        value: 'navigate',
        description: 'Open a given screen, with optional data',
      },
      {
        name: 'Data Exchange',
        value: 'data_exchange',
        description: "Ask the flow's endpoint for the first screen",
      },
    ],
    displayOptions: show('sendFlow'),
  },
  {
    displayName: 'Screen',
    name: 'flowScreen',
    type: 'string',
    default: '',
    required: true,
    placeholder: 'WELCOME_SCREEN',
    description: 'The ID of the screen the flow opens on',
    displayOptions: show('sendFlow', { flowAction: ['navigate'] }),
  },
  {
    displayName: 'Screen Data (JSON)',
    name: 'flowData',
    type: 'json',
    default: '',
    description:
      'Data for the first screen, as a JSON object, e.g. {"order_id":"1001"}; leave empty for none',
    displayOptions: show('sendFlow', { flowAction: ['navigate'] }),
  },
];
